"""Every refusal the services behind the application, worker, completion and Second Home forms
can raise has its Indonesian words: a form shows it in the page's language, never in the
service's English.

The raise sites are found in the source, so a new one without its catalogue entry (or written
as an f-string, which no catalogue can hold) fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tka_registry.accounts.officers import MISSING_MESSAGES
from tka_registry.second_home.service import FUTURE_DAY as CASE_FUTURE_DAY
from tka_registry.web.i18n import translations
from tka_registry.workers.service import FUTURE_DAY

PACKAGE = Path(__file__).resolve().parents[2] / "tka_registry"
# The services the forms call, directly or through the officer's decision.
SERVICES = [
    "applications/service.py",
    "applications/decisions.py",
    "applications/assignment.py",
    "workers/service.py",
    "workers/record.py",
    "completion/service.py",
    "employers/service.py",
    "permits/service.py",
    "rules/permits.py",
    "second_home/service.py",
    "second_home/commitment.py",
    "second_home/decision.py",
]
ERRORS = {"InvalidInput", "Conflict", "NotFound", "Refused"}
FACTORIES = {"RuleBreach", "FieldProblem"}  # RuleBreach.of(field, reason, **values)


def _reasons(source: str) -> list[tuple[int, ast.expr]]:
    """(line, reason expression) of every refusal made in ``source``; a NotFound of the
    record's own ``id`` is left out (it answers the 404 page, not a form)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or len(node.args) < 2:
            continue
        func = node.func
        is_error = isinstance(func, ast.Name) and func.id in ERRORS
        is_factory = (
            isinstance(func, ast.Attribute)
            and func.attr == "of"
            and isinstance(func.value, ast.Name)
            and func.value.id in FACTORIES
        )
        if not (is_error or is_factory):
            continue
        field = node.args[0]
        own_record = isinstance(func, ast.Name) and func.id == "NotFound"
        if own_record and isinstance(field, ast.Constant) and field.value == "id":
            continue
        found.append((node.lineno, node.args[1]))
    return found


@pytest.mark.parametrize("module", SERVICES)
def test_every_refusal_of_the_forms_services_has_indonesian_words(module: str) -> None:
    indonesian = translations("id")
    source = (PACKAGE / module).read_text(encoding="utf-8")
    reasons = _reasons(source)
    assert reasons, f"{module}: no refusal found; is the scan still right?"
    problems = []
    for line, reason in reasons:
        if isinstance(reason, ast.JoinedStr):
            problems.append(f"{module}:{line}: an f-string reason cannot be translated")
        elif isinstance(reason, ast.Constant) and isinstance(reason.value, str):
            if indonesian.gettext(reason.value) == reason.value:
                problems.append(f"{module}:{line}: no Indonesian for {reason.value!r}")
    assert not problems, "\n".join(problems)


def test_the_refusals_kept_in_tables_have_indonesian_words() -> None:
    indonesian = translations("id")
    for message in [
        *FUTURE_DAY.values(),
        *CASE_FUTURE_DAY.values(),
        *MISSING_MESSAGES.values(),
    ]:
        assert indonesian.gettext(message) != message, message
