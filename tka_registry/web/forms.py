"""Reading posted forms and turning problems into messages shown beside each field.

A page form is read with :func:`form_values` inside the handler (never as a typed ``data``
parameter: Litestar would answer a 400 before the page could re-render with its errors), checked,
and on a problem the same template is rendered again with ``values`` and ``errors`` (a dict of
field name to a translated message, in the order of the form).
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from pydantic import ValidationError

from tka_registry.errors import DomainError
from tka_registry.web.i18n import Gettext

FormErrors = dict[str, str]

CSRF_FIELD = "_csrf_token"


async def form_values(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The posted text fields, trimmed; the CSRF token and uploaded files left out."""
    form = await request.form()
    values: dict[str, str] = {}
    for name, value in form.multi_items():
        if name != CSRF_FIELD and isinstance(value, str) and name not in values:
            values[name] = value.strip()
    return values


def _field_of(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location) or "form"


def validation_problems(error: ValidationError, _: Gettext) -> FormErrors:
    """Pydantic's problems as one translated message per field (the first per field)."""
    messages = {
        "missing": _("Enter a value."),
        "string_too_short": _("Enter a value."),
        "string_too_long": _("This value is too long."),
        "date_from_datetime_parsing": _("Enter a real date, for example 2026-11-22."),
        "date_parsing": _("Enter a real date, for example 2026-11-22."),
        "date_type": _("Enter a real date, for example 2026-11-22."),
        "int_parsing": _("Enter a whole number."),
        "literal_error": _("Choose one of the options."),
        "enum": _("Choose one of the options."),
        "string_pattern_mismatch": _("Use only the characters shown in the hint."),
    }
    problems: FormErrors = {}
    for item in error.errors():
        field = _field_of(tuple(item.get("loc", ())))
        if field in problems:
            continue
        reason = messages.get(item["type"]) or str(item["msg"]).removeprefix("Value error, ")
        problems[field] = reason
    return problems


def domain_problems(error: DomainError) -> FormErrors:
    """A service's refusal as field messages (the service states them in its own words)."""
    problems: FormErrors = {}
    for problem in error.problems:
        problems.setdefault(problem.field, problem.reason)
    return problems
