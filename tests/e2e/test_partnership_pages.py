"""The partnership pages in a real browser: a policy officer creates a partnership from the form's
navigation, copies each partner's link (shown once), each partner opens its link and sends its
view, and the owner reads the status, the divergence in words and the history. The keys travel
in the link's fragment and in POSTed forms, never in a URL the server sees."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from recommender import default_recommender
from tests.partnerships.servers import Server, call, free_port
from tests.partnerships.support import PROFILE

PUBLIC = "http://partners.example.test"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("pages")
    server = Server(free_port(), {"PARTNERSHIP_DATA_DIR": str(folder / "data")}, folder / "server.log").start()
    try:
        yield server
    finally:
        server.stop()


def _by(driver: Any) -> Any:
    from selenium.webdriver.common.by import By

    return By


def click_and_load(browser: Any, button: Any) -> None:
    """Click ``button`` and wait until the page it submits to has replaced this one (chromedriver's
    transient errors while the page is replaced are waited out, as everywhere: ``browsing.navigate``)."""
    from tests.e2e.browsing import navigate

    navigate(browser, button.click)


def test_a_partnership_is_created_answered_and_compared_in_the_browser(site: Server, browser: Any) -> None:
    by = _by(browser)
    browser.get(f"{site.base}/")
    browser.find_element(
        by.LINK_TEXT, "Assess a partnership with your partners: each answers, then see where your views differ"
    ).click()
    assert browser.current_url == f"{site.base}/partnerships/new"
    browser.find_element(by.ID, "field-title").send_keys("Housing evaluation")
    browser.find_element(by.ID, "partner-1-name").send_keys("Agency team")
    browser.find_element(by.ID, "partner-2-name").send_keys("University")
    click_and_load(browser, browser.find_element(by.CSS_SELECTOR, "button[type=submit]"))

    assert browser.find_element(by.TAG_NAME, "h1").text == "Partnership created: Housing evaluation"
    owner_link = browser.find_element(by.ID, "link-owner").get_attribute("value")
    links = [e.get_attribute("value") for e in browser.find_elements(by.CSS_SELECTOR, "ul.links input")]
    assert len(links) == 2
    for link in (owner_link, *links):
        assert link.startswith(f"{site.base}/partnerships/")
        assert "#key=" in link

    # The views: the agency keeps the suggested answers but for the project type; the university differs.
    kb = default_recommender().kb
    for link, project_type in zip(links, ["evidence_review", "evaluation"], strict=True):
        browser.get(link)
        assert "#key=" not in browser.current_url  # the script took the key out of the address bar
        assert browser.find_element(by.ID, "field-token").get_attribute("value") == link.split("#key=")[1]
        radio = browser.find_element(by.CSS_SELECTOR, f"input[name=project_type][value={project_type}]")
        browser.execute_script("arguments[0].scrollIntoView()", radio)
        radio.click()
        click_and_load(browser, browser.find_element(by.XPATH, "//button[text()='Send my answers']"))
        assert browser.find_element(by.TAG_NAME, "h1").text == "Your answers are saved"
        assert "revision 1" in browser.find_element(by.CSS_SELECTOR, "[role=status]").text

    browser.get(owner_link)
    click_and_load(browser, browser.find_element(by.XPATH, "//button[text()='Open']"))
    page = browser.find_element(by.TAG_NAME, "main").text
    assert "Agency team (" in page
    assert "answered" in page
    assert "not yet answered" not in page
    table = browser.find_element(by.CSS_SELECTOR, "table.divergence")
    label = kb.require_field_guide().field("project_type")
    row = table.find_element(by.XPATH, f".//tr[th[text()='{label.label}']]")
    cells = [td.text for td in row.find_elements(by.TAG_NAME, "td")]
    assert cells == [label.value_label("evidence_review"), label.value_label("evaluation")]
    assert "Who should initiate:" in page
    finding = kb.findings[kb.talk_through[0].findings[0]]
    assert finding.statement in page
    assert "No assessment has been recorded yet." in page

    # The owner records the view the partners agreed on the page (a project type neither gave,
    # nor the form's default: the form starts from the defaults while the partners differ).
    form = browser.find_element(by.CSS_SELECTOR, "section[aria-labelledby=record-heading] form")
    assert not form.find_element(by.CSS_SELECTOR, "input[name=project_type][value=implementation]").is_selected()
    radio = form.find_element(by.CSS_SELECTOR, "input[name=project_type][value=implementation]")
    browser.execute_script("arguments[0].scrollIntoView()", radio)
    radio.click()
    click_and_load(browser, form.find_element(by.XPATH, ".//button[text()='Record this assessment']"))
    assert "Assessment 1 is recorded" in browser.find_element(by.CSS_SELECTOR, "[role=status]").text
    history = browser.find_element(by.CSS_SELECTOR, "ol.history").text
    assert history.startswith("Assessment 1,")
    again = browser.find_element(by.CSS_SELECTOR, "section[aria-labelledby=record-heading] form")
    assert again.find_element(by.CSS_SELECTOR, "input[name=project_type][value=implementation]").is_selected()
    owner_key = owner_link.split("#key=")[1]
    assert owner_key not in Path(site.log).read_text(errors="replace")


def test_pages_with_keys_are_not_cached_nor_referred(site: Server) -> None:
    status, created = call("POST", f"{site.base}/v1/partnerships", {
        "title": "T", "partners": [{"name": "A", "party": "policy_agency"}, {"name": "B", "party": "researchers"}],
    })  # fmt: skip
    assert status == 201
    pid, partner = created["id"], created["partners"][0]
    for path in (f"/partnerships/{pid}", f"/partnerships/{pid}/partners/{partner['id']}", "/partnerships/new"):
        with urllib.request.urlopen(f"{site.base}{path}") as response:
            assert response.headers["Cache-Control"] == "no-store"
            assert response.headers["Referrer-Policy"] == "no-referrer"
    # A key posted for another partner's page is refused (403), a wrong key 401, on the page itself.
    other = created["partners"][1]
    for token, expected in ((partner["token"], 403), ("wrong", 401)):
        request = urllib.request.Request(
            f"{site.base}/partnerships/{pid}/partners/{other['id']}",
            data=urlencode({"token": token, **PROFILE}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)
        assert refused.value.code == expected
        assert refused.value.headers["Cache-Control"] == "no-store"
        refused.value.close()
    # No key ever reached the server's log: it only ever sees paths without them.
    log = Path(site.log).read_text(errors="replace")
    assert created["owner_token"] not in log
    assert partner["token"] not in log
