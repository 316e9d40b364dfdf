"""A real server and a real headless browser for the end-to-end tests.

The app runs under uvicorn in a subprocess on a free localhost port; the browser is Debian's
chromium driven by selenium through /usr/bin/chromedriver, with a fresh profile and no network
side-traffic. Missing browser parts fail the tests (CI installs them); only
``PARTNERSHIP_NO_BROWSER=1`` skips them, for machines that cannot run a browser.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("PARTNERSHIP_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("PARTNERSHIP_CHROMEDRIVER", "/usr/bin/chromedriver")
ROOT = Path(__file__).resolve().parents[2]
#: Chromium's resolver rules for "no internet": no name resolves, except localhost (the server is 127.0.0.1).
OFFLINE_RULES = "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if os.environ.get("PARTNERSHIP_NO_BROWSER") == "1":
        skip = pytest.mark.skip(reason="PARTNERSHIP_NO_BROWSER=1: browser tests not run on this machine")
        for item in items:
            if "tests/e2e/" in item.nodeid:
                item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(log_dir: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """The base address of the app served by uvicorn in a subprocess (with ``env`` added to its
    environment), once it answers /healthz; the server is stopped on leaving."""
    port = _free_port()
    log_path = log_dir / "server.log"
    log = log_path.open("wb")  # a file, not a pipe: a pipe nobody reads would block the server
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.app:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not start: {log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base address of the app on the shipped knowledge base, served by uvicorn in a subprocess."""
    with serving(tmp_path_factory.mktemp("server")) as base:
        yield base


def _chromium(profile: Path, *flags: str) -> Any:
    """Headless chromium under selenium; fails (does not skip) when the browser is not installed."""
    for tool in (CHROMIUM, CHROMEDRIVER):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: install chromium and chromium-driver (see .ci/run)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1200,1600",
        f"--user-data-dir={profile}",
        *flags,
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Headless chromium under selenium; fails (does not skip) when the browser is not installed."""
    driver = _chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def offline_browser(tmp_path: Path) -> Iterator[object]:
    """A browser on a network without internet: every host name but localhost fails to resolve."""
    driver = _chromium(tmp_path / "profile", f"--host-resolver-rules={OFFLINE_RULES}")
    try:
        yield driver
    finally:
        driver.quit()
