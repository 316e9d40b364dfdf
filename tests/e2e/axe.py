"""axe-core, the accessibility engine, run in the page the browser shows.

The script is the copy of axe-core that the ``selenium-axe-python`` package ships (a dev
dependency, so ``pip install -e '.[dev]'`` brings it); only its ``axe.min.js`` is used. The
audit runs the rules tagged for WCAG 2.0 and 2.1, levels A and AA.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from selenium.webdriver.remote.webdriver import WebDriver

#: The rule sets of a WCAG 2.1 AA audit.
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
#: The longest one audit may run (a cap, not an expectation).
AUDIT_TIMEOUT_S = 180

_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(results => done({version: axe.version, violations: results.violations}),
        error => done({error: String(error)}));
"""


@functools.cache
def axe_script() -> str:
    return (resources.files("selenium_axe_python") / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def audit(browser: WebDriver, tags: tuple[str, ...] = WCAG_21_AA) -> list[dict[str, Any]]:
    """The violations axe-core finds on the page the browser shows (an empty list when none)."""
    # A long page (Swagger UI's) takes axe-core a while on a busy machine: allow it, rather than fail.
    browser.set_script_timeout(AUDIT_TIMEOUT_S)
    if not browser.execute_script("return typeof window.axe === 'object'"):
        browser.execute_script(axe_script())
    result: Any = browser.execute_async_script(_RUN, list(tags))
    if "error" in result:
        raise AssertionError(f"axe-core failed to run: {result['error']}")
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation and up to three of the elements it names, for an assertion message."""
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(
            f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}x): {violation['help']}: {targets}"
        )
        for node in violation["nodes"][:1]:
            lines.append(f"    {node.get('failureSummary', '')[:300]}")
    return "\n".join(lines)
