"""Every page the service serves passes an automated WCAG 2.1 AA audit (axe-core) in a real browser.

The pages are found, not listed: every GET route of the app is asked for, bare and with a sample
profile in the query string (``format=html`` where the route takes a format), and each answer that
is HTML is audited; so is the HTML report of every POST operation whose OpenAPI document offers
``text/html``, posted with the operation's first request example. A page added later is audited
without touching this file. A route with path parameters must have samples in ``PATH_SAMPLES``.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from api.app import create_app
from api.errors import _routes
from api.settings import Settings
from tests.e2e.axe import audit, describe
from tests.partnerships.support import NEW, OTHER, PROFILE

#: A profile that fills every required field and some optional ones, and a plan with one part in place.
SAMPLE_QUERY = urlencode(
    [
        ("title", "Audited page"),
        ("project_type", "data_analysis"),
        ("timeline_months", "18"),
        ("funding", "external_grant"),
        ("relationship", "prior_project"),
        ("staff_stability", "moderate"),
        ("proposed_initiation", "researcher"),
        ("uses_agency_data", "true"),
        ("in_place", "aims_in_writing"),
    ]
)
#: Values for path parameters, by name; a GET route with a parameter missing here fails the audit.
PATH_SAMPLES: dict[str, str] = {}


@dataclass(frozen=True)
class Page:
    """An HTML page: fetched with GET at ``url``, or answered to a POST of ``body`` to ``url``."""

    url: str
    body: bytes | None = None
    content_type: str = "application/json"
    html: str = field(default="", compare=False, repr=False)
    #: Request headers (a partnership's bearer token); such a page is shown like a POST's answer.
    headers: tuple[tuple[str, str], ...] = ()


def _fetch(
    base: str,
    url: str,
    body: bytes | None = None,
    content_type: str = "application/json",
    headers: tuple[tuple[str, str], ...] = (),
) -> tuple[str, str]:
    request = urllib.request.Request(base + url, data=body, headers={"Accept": "text/html", **dict(headers)})
    if body is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.headers.get("content-type", ""), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:  # a 4xx page (the form with its errors) is a page too
        return exc.headers.get("content-type", ""), exc.read().decode("utf-8")


def _get_urls(app: Any, samples: dict[str, str]) -> list[str]:
    urls: list[str] = []
    for route in _routes(app.router.routes):
        if "GET" not in (getattr(route, "methods", None) or ()):
            continue
        path: str = route.path
        names = re.findall(r"{(\w+)(?::\w+)?}", path)
        missing = [name for name in names if name not in samples]
        if missing:
            if getattr(route, "include_in_schema", False) and not _offers_html(app, path, "get"):
                continue  # a JSON resource of the API, documented as such
            pytest.fail(f"GET {path}: add a sample for {missing} to PATH_SAMPLES so that its page is audited")
        for name in names:
            path = re.sub(r"{" + name + r"(?::\w+)?}", samples[name], path)
        takes_format = any(p.name == "format" for p in getattr(getattr(route, "dependant", None), "query_params", []))
        urls += [path, f"{path}?{SAMPLE_QUERY}" + ("&format=html" if takes_format else "")]
    return urls


def _offers_html(app: Any, path: str, method: str) -> bool:
    operation = app.openapi()["paths"].get(path, {}).get(method, {})
    return "text/html" in operation.get("responses", {}).get("200", {}).get("content", {})


def _post_pages(app: Any) -> list[Page]:
    pages = []
    for path, item in app.openapi()["paths"].items():
        if "post" in item and _offers_html(app, path, "post"):
            examples = item["post"]["requestBody"]["content"]["application/json"]["examples"]
            first = next(iter(examples.values()))["value"]
            pages.append(Page(f"{path}?format=html", json.dumps(first).encode()))
    return pages


def _call(base: str, method: str, url: str, body: Any, token: str | None = None) -> Any:
    request = urllib.request.Request(base + url, data=json.dumps(body).encode(), method=method)
    request.add_header("Content-Type", "application/json")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _partnership(base: str) -> tuple[dict[str, str], list[Page]]:
    """A partnership both partners have answered on the server: samples for its pages' path
    parameters, and its pages that need its key (the owner's page, the divergence report, an
    assessment refused)."""
    created = _call(base, "POST", "/v1/partnerships", NEW)
    pid, owner = created["id"], created["owner_token"]
    for partner, view in zip(created["partners"], (PROFILE, OTHER), strict=True):
        _call(base, "PUT", f"/v1/partnerships/{pid}/partners/{partner['id']}/answers", view, partner["token"])
    samples = {"partnership_id": pid, "partner_id": created["partners"][0]["id"]}
    keyed = [
        Page(f"/partnerships/{pid}", urlencode({"token": owner}).encode(), "application/x-www-form-urlencoded"),
        Page(f"/v1/partnerships/{pid}/divergence?format=html", headers=(("Authorization", f"Bearer {owner}"),)),
        # An assessment refused: the owner's page with the problem beside its field.
        Page(
            f"/partnerships/{pid}/assessments",
            urlencode({"token": owner, **PROFILE, "timeline_months": 0}).encode(),
            "application/x-www-form-urlencoded",
        ),
    ]
    return samples, keyed


def html_pages(base: str) -> list[Page]:
    """Every distinct HTML page the app serves (the same HTML reached by two addresses once)."""
    app = create_app(Settings())
    samples, keyed = _partnership(base)
    candidates = [Page(url) for url in _get_urls(app, PATH_SAMPLES | samples)] + _post_pages(app) + keyed
    # The untouched form, posted: the form again, each required field named as an error.
    candidates.append(Page("/", b"next=recommendation", "application/x-www-form-urlencoded"))
    pages: dict[str, Page] = {}
    for page in candidates:
        content_type, html = _fetch(base, page.url, page.body, page.content_type, page.headers)
        if content_type.startswith("text/html"):
            digest = hashlib.sha256(re.sub(r"[0-9a-f]{32}", "", html).encode()).hexdigest()
            pages.setdefault(digest, Page(page.url, page.body, page.content_type, html, page.headers))
    return list(pages.values())


def show(browser: WebDriver, base: str, page: Page) -> None:
    """Load ``page`` in the browser: a GET by address, a POST's answer written into a page of the same origin."""
    if page.body is None and not page.headers:
        browser.get(base + page.url)
    else:
        browser.get(f"{base}/healthz")
        browser.execute_script("document.open(); document.write(arguments[0]); document.close();", page.html)
    WebDriverWait(browser, 20).until(lambda b: b.execute_script("return document.readyState") == "complete")
    if page.url.startswith("/docs") and "oauth2" not in page.url:
        WebDriverWait(browser, 20).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock"))


@pytest.fixture(scope="module")
def pages(server: str) -> list[Page]:
    return html_pages(server)


def test_every_page_passes_a_wcag_2_1_aa_audit(browser: WebDriver, server: str, pages: list[Page]) -> None:
    failures = {}
    for page in pages:
        show(browser, server, page)
        violations = audit(browser)
        if violations:
            failures[page.url] = describe(violations)
    report = "\n".join(f"{url}\n{text}" for url, text in failures.items())
    assert not failures, f"{len(failures)} of {len(pages)} pages fail the audit:\n{report}"


def test_swagger_ui_with_an_operation_open_for_trying_passes_the_audit(browser: WebDriver, server: str) -> None:
    show(browser, server, Page("/docs"))
    operation = browser.find_element(By.CSS_SELECTOR, ".swagger-ui .opblock")
    operation.find_element(By.CSS_SELECTOR, ".opblock-summary-control").click()
    WebDriverWait(browser, 20).until(lambda b: operation.find_elements(By.CSS_SELECTOR, ".try-out__btn"))
    operation.find_element(By.CSS_SELECTOR, ".try-out__btn").click()
    WebDriverWait(browser, 20).until(lambda b: operation.find_elements(By.CSS_SELECTOR, "textarea, .execute"))
    violations = audit(browser)
    assert violations == [], describe(violations)


def test_the_pages_audited_include_the_form_the_reports_the_errors_and_the_docs(pages: list[Page]) -> None:
    audited = {page.url.split("?")[0] for page in pages}
    expected = {"/", "/report", "/plan-check", "/plan-check/report", "/tender-brief", "/what-if", "/docs"}
    assert expected | {"/v1/recommendations", "/v1/plan-checks", "/v1/tender-briefs", "/v1/what-if"} <= audited
    assert any('class="error-summary"' in page.html for page in pages), "the form shown again with its errors"


def _page(body: str) -> str:
    return "data:text/html;charset=utf-8," + quote(
        f'<!DOCTYPE html><html lang="en"><title>Test page</title><main><h1>Test page</h1>{body}</main></html>'
    )


def test_the_audit_fails_on_a_page_with_an_image_without_a_text_alternative(browser: WebDriver) -> None:
    browser.get(_page('<img src="chart.png">'))
    assert [violation["id"] for violation in audit(browser)] == ["image-alt"]
    browser.get(_page('<img src="chart.png" alt="A chart">'))
    assert audit(browser) == [], "the same page with the alternative passes"
