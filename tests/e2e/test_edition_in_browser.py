"""In a real browser, on a server with a second knowledge base: a person who opens the form with
``?knowledge_base=VERSION`` stays on that edition from page to page, by buttons and links alone,
through the reports and through a stored partnership (its creation, the links it hands out, each
partner's answers and the owner's page)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

from recommender import KnowledgeBase, Recommender, parse_profile
from tests.e2e.conftest import serving
from tests.editions import edition_deciding_otherwise

pytest.importorskip("selenium", reason="selenium is a dev dependency")

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.e2e.browsing import navigate

OTHER = "test.browser.2"
#: A grant-funded evaluation: the edition recommends another initiation for it than the shipped one.
ANSWERS = {
    "project_type": "evaluation",
    "timeline_months": "18",
    "funding": "external_grant",
    "relationship": "prior_project",
    "staff_stability": "moderate",
}


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> KnowledgeBase:
    return edition_deciding_otherwise(kb.root, tmp_path_factory.mktemp("edition") / "rules", OTHER)


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory: pytest.TempPathFactory, edition: KnowledgeBase) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("server")
    env = {"PARTNERSHIP_EXTRA_KNOWLEDGE_BASES": json.dumps([str(edition.root)]), "PARTNERSHIP_DATA_DIR": str(folder)}
    with serving(folder, env) as base:
        yield base


def _follow(browser: WebDriver, link: str) -> None:
    navigate(browser, browser.find_element(By.LINK_TEXT, link).click)


def _on_the_edition(browser: WebDriver) -> str:
    """The page's text, after checking that its address and its text name the edition chosen."""
    assert parse_qs(urlsplit(browser.current_url).query).get("knowledge_base") == [OTHER], browser.current_url
    text: str = browser.find_element(By.TAG_NAME, "body").text
    assert f"edition {OTHER}" in text, browser.current_url
    return text


def test_a_person_stays_on_the_edition_chosen_from_the_form_to_every_report(
    browser: WebDriver, two_editions: str, recommender: Recommender, edition: KnowledgeBase
) -> None:
    profile = parse_profile({**ANSWERS, "timeline_months": 18})
    chosen = Recommender(edition).recommend(profile).initiation_mode
    shipped = recommender.recommend(profile).initiation_mode
    assert chosen.recommended != shipped.recommended
    title = {ranked.mode: ranked.title for ranked in chosen.ranking}

    browser.get(f"{two_editions}/?knowledge_base={OTHER}")
    _on_the_edition(browser)
    for name, value in ANSWERS.items():
        if name == "timeline_months":
            browser.find_element(By.ID, "field-timeline_months").send_keys(value)
        else:
            browser.find_element(By.CSS_SELECTOR, f'input[name="{name}"][value="{value}"]').click()
    navigate(browser, browser.find_element(By.CSS_SELECTOR, 'button[value="recommendation"]').click)

    _on_the_edition(browser)
    who = browser.find_element(By.XPATH, '//div[@class="answer"]/div[span="Who should initiate"]/strong')
    assert who.text == title[chosen.recommended]
    _follow(browser, "Check a plan")
    _on_the_edition(browser)
    browser.find_element(By.CSS_SELECTOR, 'input[name="in_place"]').click()
    navigate(browser, browser.find_element(By.CSS_SELECTOR, 'form[action="/plan-check/report"] button').click)
    _on_the_edition(browser)
    _follow(browser, "Tender brief")
    _on_the_edition(browser)
    _follow(browser, "What could change it")
    _on_the_edition(browser)
    _follow(browser, "Change your answers")
    _on_the_edition(browser)
    navigate(browser, browser.find_element(By.CSS_SELECTOR, 'button[value="tender-brief"]').click)
    _on_the_edition(browser)


def _answer(browser: WebDriver, answers: dict[str, str]) -> None:
    """Give ``answers`` on the page's form: a text field is typed into afresh, a choice clicked."""
    for name, value in answers.items():
        if name == "timeline_months":
            field = browser.find_element(By.ID, "field-timeline_months")
            field.clear()
            field.send_keys(value)
        else:
            choice = browser.find_element(By.CSS_SELECTOR, f'input[name="{name}"][value="{value}"]')
            browser.execute_script("arguments[0].scrollIntoView()", choice)
            choice.click()


def test_a_partnership_made_on_the_edition_chosen_stays_on_it_from_its_links_to_the_advice(
    browser: WebDriver, two_editions: str, recommender: Recommender, edition: KnowledgeBase
) -> None:
    profile = parse_profile({**ANSWERS, "timeline_months": 18})
    chosen = Recommender(edition).recommend(profile).initiation_mode
    assert chosen.recommended != recommender.recommend(profile).initiation_mode.recommended
    title = {ranked.mode: ranked.title for ranked in chosen.ranking}

    browser.get(f"{two_editions}/?knowledge_base={OTHER}")
    _follow(browser, "Assess a partnership with your partners: each answers, then see where your views differ")
    _on_the_edition(browser)
    browser.find_element(By.ID, "field-title").send_keys("Falls prevention")
    browser.find_element(By.ID, "partner-1-name").send_keys("Agency team")
    browser.find_element(By.ID, "partner-2-name").send_keys("University")
    navigate(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click)
    _on_the_edition(browser)
    owner_link = str(browser.find_element(By.ID, "link-owner").get_attribute("value"))
    links = [str(e.get_attribute("value")) for e in browser.find_elements(By.CSS_SELECTOR, "ul.links input")]
    for link in (owner_link, *links):
        assert urlsplit(link).query == f"knowledge_base={OTHER}", link
        assert urlsplit(link).fragment.startswith("key="), link

    for link in links:
        browser.get(link)
        assert "#key=" not in browser.current_url  # the script took the key out, and kept the edition
        _on_the_edition(browser)
        assert browser.find_element(By.ID, "field-token").get_attribute("value") == link.split("#key=")[1]
        _answer(browser, ANSWERS)
        navigate(browser, browser.find_element(By.XPATH, "//button[text()='Send my answers']").click)
        assert browser.find_element(By.TAG_NAME, "h1").text == "Your answers are saved"
        _on_the_edition(browser)

    browser.get(owner_link)
    _on_the_edition(browser)
    navigate(browser, browser.find_element(By.XPATH, "//button[text()='Open']").click)
    page = _on_the_edition(browser)
    assert page.count(f"Who should initiate: {title[chosen.recommended]}") == 2
