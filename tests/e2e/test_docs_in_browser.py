"""The interactive API documentation renders in a real browser from the service alone.

Swagger UI (/docs) must draw every operation, and the browser must have fetched nothing from
any other origin: an agency network without internet access sees the same page.
"""

from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from api.app import create_app
from api.settings import Settings

OPERATIONS = sum(len(item) for item in create_app(Settings()).openapi()["paths"].values())


def _loaded_from(browser: WebDriver) -> list[str]:
    """Every address the page fetched, as the browser's resource timing records it."""
    names: Any = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return [str(name) for name in names]


def test_swagger_ui_renders_every_operation_from_the_service_alone(browser: WebDriver, server: str) -> None:
    browser.get(f"{server}/docs")

    WebDriverWait(browser, 20).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock")) > 0)
    operations = browser.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock")
    assert len(operations) == OPERATIONS
    assert "Partnership recommender" in browser.find_element(By.CSS_SELECTOR, ".swagger-ui .info .title").text
    ids = {element.get_attribute("id") for element in operations}
    assert any(op_id and "createRecommendation" in op_id for op_id in ids), ids
    fetched = _loaded_from(browser)
    assert f"{server}/openapi.json" in fetched
    assert all(url.startswith(f"{server}/") for url in fetched), fetched


def test_swagger_ui_renders_on_a_network_without_internet(offline_browser: WebDriver, server: str) -> None:
    offline_browser.get(f"{server}/docs")
    WebDriverWait(offline_browser, 20).until(
        lambda b: len(b.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock")) == OPERATIONS
    )
    assert "Partnership recommender" in offline_browser.find_element(By.CSS_SELECTOR, ".swagger-ui .info .title").text
    # The control: in this browser a CDN's address does not resolve, so nothing could have come from one.
    outcome = offline_browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        fetch("https://cdn.jsdelivr.net/npm/swagger-ui-dist/swagger-ui.css", {mode: "no-cors"})
          .then(() => done("fetched"), error => done("failed: " + error));
        """
    )
    assert outcome.startswith("failed"), outcome
