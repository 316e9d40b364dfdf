"""The interactive documentation works without internet access: /docs (Swagger UI) loads every
script, style and icon from the service itself."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

CONTENT_TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png"}


class _Assets(HTMLParser):
    """Every address a page loads by itself: script sources, stylesheets and icons (not plain links)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.urls.append(str(values["src"]))
        if tag == "link" and values.get("href"):
            self.urls.append(str(values["href"]))
        if tag in ("img", "iframe", "source") and values.get("src"):
            self.urls.append(str(values["src"]))


def _assets(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return parser.urls


@pytest.mark.parametrize("page", ["/docs"])
def test_the_docs_page_loads_only_same_origin_assets(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    urls = _assets(response.text)

    assert urls, "the page loads no script or style at all"
    for url in urls:
        parts = urlsplit(url)
        assert not parts.scheme, f"{page} loads {url} from another origin"
        assert not parts.netloc, f"{page} loads {url} from another origin"
        assert url.startswith("/docs/static/"), url
    # Nor does an inline script fetch anything from elsewhere (fonts, a validator badge).
    assert not re.search(r"https?://", response.text), re.findall(r"https?://\S+", response.text)


@pytest.mark.parametrize("page", ["/docs"])
def test_every_asset_of_the_docs_loads_with_its_content_type(client: TestClient, page: str) -> None:
    for url in _assets(client.get(page).text):
        response = client.get(url)
        assert response.status_code == 200, url
        suffix = url[url.rfind(".") :]
        assert CONTENT_TYPES[suffix] in response.headers["content-type"], (url, response.headers["content-type"])
        assert len(response.content) > 1000, url


def test_swagger_ui_reads_the_openapi_document_and_calls_no_online_validator(client: TestClient) -> None:
    page = client.get("/docs").text

    assert "url: '/openapi.json'" in page
    assert '"validatorUrl": null' in page
    assert "SwaggerUIBundle" in client.get("/docs/static/swagger-ui-bundle.js").text


def test_a_missing_asset_is_a_problem(client: TestClient) -> None:
    response = client.get("/docs/static/nothing.js")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_no_redoc_page_is_served(client: TestClient) -> None:
    """ReDoc's page fetches its vendor's logo from a CDN, so it is not offered."""
    assert client.get("/redoc").status_code == 404
