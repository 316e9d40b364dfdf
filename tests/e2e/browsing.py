"""What the browser tests do in a page: wait for the next page to load after a click."""

from __future__ import annotations

from collections.abc import Callable

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait


def navigate(browser: WebDriver, action: Callable[[], object]) -> None:
    """Do ``action`` (a click, a key) and wait until the browser has left the current page."""
    page = browser.find_element(By.TAG_NAME, "html")
    action()
    # While a page is replaced chromedriver may also answer "node does not belong to the document".
    wait = WebDriverWait(browser, 20, ignored_exceptions=(WebDriverException,))
    wait.until(expected_conditions.staleness_of(page))
    wait.until(lambda driver: driver.execute_script("return document.readyState") == "complete")
