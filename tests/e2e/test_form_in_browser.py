"""End to end in a real browser: a policy officer fills in the form and gets the report."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest

from recommender import ProjectProfile, recommend

pytest.importorskip("selenium", reason="selenium is a dev dependency")

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.print_page_options import PrintOptions
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.browsing import navigate as _navigate


def _open_form(browser: WebDriver, server: str) -> None:
    browser.get(f"{server}/")
    assert browser.title == "Plan a research/policy partnership"


def _choose(browser: WebDriver, label: str) -> None:
    """Pick a radio button or checkbox by clicking its visible label, as a person would."""
    text = _xpath_text(label)
    browser.find_element(
        By.XPATH, f"//label[normalize-space()={text} or normalize-space()=concat({text}, ' (optional)')]"
    ).click()


#: The profile fields a person must answer; the form starts with none of them answered.
REQUIRED = [name for name, info in ProjectProfile.model_fields.items() if info.is_required()]


def _answer_the_required_questions(browser: WebDriver, months: str = "12") -> None:
    _choose(browser, "Evaluation")
    _type(browser.find_element(By.ID, "field-timeline_months"), months)
    _choose(browser, "Both partners share the cost")
    _choose(browser, "Not at all")
    _choose(browser, "Moderate")


def _xpath_text(text: str) -> str:
    return '"' + text + '"' if '"' not in text else "concat('" + text.replace("'", "', \"'\", '") + "')"


def _type(field: WebElement, text: str) -> None:
    field.clear()
    field.send_keys(text)


def _wait_for(browser: WebDriver, css: str) -> WebElement:
    element: Any = WebDriverWait(browser, 20).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
    )
    return element  # type: ignore[no-any-return]


def test_a_policy_officer_fills_in_the_form_and_gets_the_recommendation(browser: WebDriver, server: str) -> None:
    _open_form(browser, server)
    _type(browser.find_element(By.ID, "field-title"), "Falls prevention <evaluation>")
    _choose(browser, "Data analysis")
    _choose(browser, "A competitive research grant")
    _choose(browser, "One earlier project")
    _choose(browser, "Moderate")
    _choose(browser, "The researchers")
    _choose(browser, "The work depends on data or resources the agency must provide")
    months = browser.find_element(By.ID, "field-timeline_months")
    _type(months, "18")
    _navigate(browser, lambda: months.send_keys(Keys.ENTER))  # the keyboard submits with the first button

    heading = _wait_for(browser, "main h1")
    assert heading.text == "Falls prevention <evaluation>"
    expected = recommend(
        ProjectProfile(
            title="Falls prevention <evaluation>",
            project_type="data_analysis",
            timeline_months=18,
            funding="external_grant",
            relationship="prior_project",
            staff_stability="moderate",
            proposed_initiation="researcher",
            uses_agency_data=True,
        )
    )
    answer = browser.find_element(By.CSS_SELECTOR, ".answer").text
    assert expected.initiation_mode.ranking[0].title in answer
    assert browser.find_element(By.CSS_SELECTOR, "svg[aria-labelledby=continuum-title]").is_displayed()
    assert browser.find_elements(By.CSS_SELECTOR, "ul.checklist li"), "the action plan is on the page"
    assert browser.find_element(By.ID, "findings").is_displayed()

    _navigate(browser, browser.find_element(By.LINK_TEXT, "Markdown").click)
    body = _wait_for(browser, "body").text
    assert body.startswith("# Falls prevention \\<evaluation\\>")


@pytest.mark.parametrize("months", ["0", "500"])
def test_an_invalid_timeline_is_shown_beside_the_field(browser: WebDriver, server: str, months: str) -> None:
    _open_form(browser, server)
    _answer_the_required_questions(browser, months)
    _navigate(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Get the recommendation']").click)

    error = _wait_for(browser, "#error-timeline_months")
    assert "whole number from 1 to 120" in error.text
    field = browser.find_element(By.ID, "field-timeline_months")
    assert field.get_attribute("aria-invalid") == "true"
    assert field.get_attribute("value") == months
    container = field.find_element(By.XPATH, "./..")
    assert error in container.find_elements(By.CSS_SELECTOR, ".error-message"), "the error sits beside its field"
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary")
    assert summary.get_attribute("role") == "alert"
    summary.find_element(By.CSS_SELECTOR, "a[href='#field-timeline_months']").click()
    assert browser.title.startswith("Error: ")

    _type(field, "12")
    _navigate(browser, lambda: field.send_keys(Keys.ENTER))
    assert _wait_for(browser, "main h1").text == "Partnership recommendation"


def test_the_form_can_be_used_with_the_keyboard_alone(browser: WebDriver, server: str) -> None:
    _open_form(browser, server)
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("id") == "field-title"
    browser.switch_to.active_element.send_keys("Keyboard only")
    for name in REQUIRED:
        browser.switch_to.active_element.send_keys(Keys.TAB)
        focused = browser.switch_to.active_element
        assert focused.get_attribute("name") == name, "Tab moves on to the next question"
        if focused.get_attribute("type") == "radio":
            focused.send_keys(Keys.ARROW_DOWN)  # arrow keys move within a radio group, and choose
            chosen = browser.switch_to.active_element
            assert chosen.get_attribute("name") == name
            assert chosen.is_selected()
        else:
            focused.send_keys("12")
    title = browser.find_element(By.ID, "field-title")
    _navigate(browser, lambda: title.send_keys(Keys.ENTER))
    assert _wait_for(browser, "main h1").text == "Keyboard only"


def _submit_untouched(browser: WebDriver) -> None:
    browser.find_element(By.XPATH, "//button[normalize-space()='Get the recommendation']").click()


def test_the_browser_refuses_the_untouched_form(browser: WebDriver, server: str) -> None:
    _open_form(browser, server)
    _submit_untouched(browser)
    assert browser.execute_script("return document.querySelector('form.profile').checkValidity()") is False
    invalid = browser.execute_script("return [...new Set([...document.querySelectorAll(':invalid')].map(e => e.name))]")
    assert invalid[1:] == REQUIRED, "the form element itself, then each required field, and nothing else"
    assert browser.title == "Plan a research/policy partnership", "nothing was sent"


def test_the_untouched_form_comes_back_with_each_required_field_named_as_an_error(
    browser: WebDriver, server: str
) -> None:
    _open_form(browser, server)
    browser.execute_script("document.querySelector('form.profile').noValidate = true")  # the server's own check
    _navigate(browser, lambda: _submit_untouched(browser))

    assert browser.title.startswith("Error: ")
    summary = _wait_for(browser, ".error-summary")
    linked = [(a.get_attribute("href") or "").split("#")[-1] for a in summary.find_elements(By.TAG_NAME, "a")]
    assert linked == [f"field-{name}" for name in REQUIRED]
    for name in REQUIRED:
        error = browser.find_element(By.ID, f"error-{name}")
        assert error.is_displayed()
        field = browser.find_element(By.ID, f"field-{name}")
        assert field.get_attribute("aria-invalid") == "true"
        assert f"error-{name}" in (field.get_attribute("aria-describedby") or "").split(), (
            "the error is read with the field"
        )
    summary.find_element(By.CSS_SELECTOR, "a[href='#field-funding']").click()
    assert browser.switch_to.active_element.get_attribute("id") == "field-funding", (
        "the summary's link moves to the field"
    )


def test_the_plan_check_is_reachable_from_the_form(browser: WebDriver, server: str) -> None:
    _open_form(browser, server)
    _answer_the_required_questions(browser)
    _navigate(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Check a partnership plan']").click)
    _wait_for(browser, "input[name=in_place]")
    _choose(browser, "Aims and scope agreed in writing at the outset")
    _choose(browser, "Timeline with dated deliverables")
    _navigate(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Check the plan']").click)
    heading = _wait_for(browser, "#readiness-heading")
    assert heading.text.startswith("Readiness: ")
    missing = browser.find_element(By.CSS_SELECTOR, "ul.components").text
    assert "Aims and scope agreed in writing at the outset \u2013 in place" in missing

    _navigate(browser, browser.find_element(By.LINK_TEXT, "Tender brief").click)
    assert _wait_for(browser, "#clauses-heading").text == "Clauses to write into the tender"


def _printed_pages(browser: WebDriver) -> int:
    """How many A4 pages the current page prints on (with the report's own @page margins)."""
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7
    options.margin_top = options.margin_bottom = options.margin_left = options.margin_right = 0
    pdf = base64.b64decode(browser.print_page(options))
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


#: Representative profiles: a short agency-commissioned review, a grant-funded data analysis on
#: agency data, and a long co-funded evaluation between long-term partners.
PRINTED_PROFILES = [
    "project_type=evidence_review&timeline_months=4&funding=agency_commissioned&relationship=none"
    "&staff_stability=moderate&agency_evidence_need=specific",
    "project_type=data_analysis&timeline_months=18&funding=external_grant&relationship=prior_project"
    "&staff_stability=moderate&proposed_initiation=researcher&uses_agency_data=true",
    "project_type=evaluation&timeline_months=24&funding=co_funded&relationship=long_term&staff_stability=high",
]

#: Typical plans brought to the plan check: the basics and some of the rest in place. (A plan with
#: almost nothing in place cites more findings than two pages hold at a legible size.)
#: Printed pages a report may take. Four until 2026-12; since then print keeps every action step,
#: nothing is under 9pt and no list is set in columns (no item split across them): measured in
#: chromium, five to six A4 pages for the recommendation and tender brief, seven for the plan check.
MAX_PRINTED_PAGES = 7

PLANS_IN_PLACE = [
    ["aims_in_writing", "dated_deliverables", "named_agency_contact", "adequate_budget", "publication_policy"],
    ["aims_in_writing", "dated_deliverables", "data_access_agreement", "meeting_cadence", "adequate_budget"],
    ["aims_in_writing", "governance_agreement", "dated_deliverables", "meeting_cadence", "relationship_building"],
]


@pytest.mark.parametrize("query", PRINTED_PROFILES)
def test_the_report_prints_on_a_few_a4_pages(browser: WebDriver, server: str, query: str) -> None:
    browser.get(f"{server}/report?title=Printed+report&{query}")
    assert _wait_for(browser, "main h1").text == "Printed report"
    assert _printed_pages(browser) <= MAX_PRINTED_PAGES


@pytest.mark.parametrize("query", PRINTED_PROFILES)
def test_the_tender_brief_prints_on_a_few_a4_pages(browser: WebDriver, server: str, query: str) -> None:
    browser.get(f"{server}/tender-brief?title=Printed+brief&{query}")
    assert _wait_for(browser, "main h1").text == "Printed brief"
    _wait_for(browser, "#clauses-heading")
    assert _printed_pages(browser) <= MAX_PRINTED_PAGES


@pytest.mark.parametrize(("query", "in_place"), list(zip(PRINTED_PROFILES, PLANS_IN_PLACE, strict=True)))
def test_the_plan_check_prints_on_a_few_a4_pages(
    browser: WebDriver, server: str, query: str, in_place: list[str]
) -> None:
    components = "".join(f"&in_place={component}" for component in in_place)
    browser.get(f"{server}/plan-check/report?title=Printed+check&{query}{components}")
    assert _wait_for(browser, "main h1").text == "Printed check"
    assert _wait_for(browser, "#readiness-heading").text.startswith("Readiness: ")
    assert _printed_pages(browser) <= MAX_PRINTED_PAGES


def test_printed_reports_use_no_type_under_9pt_and_keep_every_action_step(browser: WebDriver, server: str) -> None:
    """Every piece of text in every printed report is at least 9pt (12px), citations and charts
    included, and every action step is printed."""
    query = PRINTED_PROFILES[1]
    for path in ("/report", "/plan-check/report", "/tender-brief", "/what-if"):
        browser.get(f"{server}{path}?title=Printed&{query}&in_place=aims_in_writing")
        _wait_for(browser, "main h1")
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        try:
            small, hidden_actions = browser.execute_script(
                """
                const found = [];
                for (const el of document.querySelectorAll("main *")) {
                  if (getComputedStyle(el).display === "none") continue;
                  const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
                  if (own && el.getClientRects().length && parseFloat(getComputedStyle(el).fontSize) < 11.99)
                    found.push(el.tagName + "." + el.className + ": " + getComputedStyle(el).fontSize);
                }
                const actions = [...document.querySelectorAll(".action")];
                return [found, actions.filter(a => !a.getClientRects().length).length];
                """
            )
        finally:
            browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        assert small == [], f"{path}: text under 9pt in print: {small[:5]}"
        assert hidden_actions == 0, f"{path}: action steps dropped in print"
