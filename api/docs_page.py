"""``GET /docs``: Swagger UI from the installed ``fastapi-offline`` package, made to pass a WCAG 2.1 AA audit.

FastAPI's page is kept (its script starts Swagger UI with the app's parameters) and three things
are added: the page's language (and a ``main`` landmark), a stylesheet that darkens the colours
Swagger UI draws below a 4.5:1 contrast (the method badges, the version stamps, the schema and
"Try it out" buttons, the highlighted examples), and a small script (``static/docs.js``) that
names the controls Swagger UI leaves unnamed (the servers list, the example and media-type
lists, each parameter's field, the request body), lets a scrolling example take the keyboard's
focus, and turns the link nested in each operation's button into plain text (a link inside a
button is two controls in one; the button still opens the operation and, with deep linking, sets
the address).
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse


def _asset(name: str) -> str:
    return (resources.files("api") / "static" / name).read_text(encoding="utf-8")


def _accessible(page: str) -> str:
    """FastAPI's Swagger UI page with the language, the stylesheet and the script added."""
    replacements = {
        "<html>": '<html lang="en">',
        "</head>": f"<style>\n{_asset('docs.css')}</style>\n</head>",
        '<div id="swagger-ui">\n    </div>': '<main id="swagger-ui">\n    </main>',
        "</body>": f"<script>\n{_asset('docs.js')}</script>\n</body>",
    }
    for old, new in replacements.items():
        if page.count(old) != 1:  # FastAPI changed its page: fail at start-up, not with an unaudited page
            raise RuntimeError(f"the Swagger UI page has {page.count(old)} of {old!r}, expected 1")
        page = page.replace(old, new)
    return page


def install(app: FastAPI, *, static_url: str, parameters: dict[str, object]) -> None:
    """Serve the documentation page at ``/docs``, its assets being under ``static_url``."""

    def page(root: str) -> str:
        html = get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - API documentation",
            swagger_js_url=f"{root}{static_url}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{static_url}/swagger-ui.css",
            swagger_favicon_url=f"{root}{static_url}/favicon.png",
            swagger_ui_parameters=parameters,
            oauth2_redirect_url=None,  # no OAuth2 flow: the API's only scheme is a bearer token
        )
        return _accessible(bytes(html.body).decode("utf-8"))

    page("")  # checked once, at start-up

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        return HTMLResponse(page(str(request.scope.get("root_path", ""))))
