"""Reading posted forms and turning problems into messages shown beside each field.

A page form is read with :func:`form_values` inside the handler (never as a typed ``data``
parameter: Litestar would answer a 400 before the page could re-render with its errors), checked,
and on a problem the same template is rendered again with ``values`` and ``errors`` (a dict of
field name to a translated message, in the order of the form).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Request
from pydantic import ValidationError

from tka_registry.errors import DomainError, FieldProblem
from tka_registry.web.i18n import Gettext, PageGettext
from tka_registry.web.layout import N_

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


# How a schema field is named in a message (the labels of the forms); message ids.
FIELD_NAMES = {
    "full_name": N_("Full name as in the passport"),
    "surname": N_("Surname"),
    "given_names": N_("Given names"),
    "sex": N_("Sex"),
    "date_of_birth": N_("Date of birth"),
    "place_of_birth": N_("Place of birth"),
    "nationality": N_("Nationality"),
    "address": N_("Residential address"),
    "regency": N_("Regency or city"),
    "position": N_("Position"),
    "civil_status": N_("Civil status"),
    "change": N_("Kind of change"),
    "passport.number": N_("Passport number"),
    "passport_number": N_("Passport number"),
    "passport.issuing_country": N_("Passport issuing country"),
    "passport.issued_on": N_("Passport issued on"),
    "passport_issued_on": N_("Passport issued on"),
    "passport.expires_on": N_("Passport valid until"),
    "passport_expires_on": N_("Passport valid until"),
    "application_date": N_("Application date"),
    "stay_years": N_("Requested stay"),
    "funds_idr": N_("Funds in rupiah"),
    "bank": N_("Bank"),
    "property_description": N_("Property (certificate number and location)"),
    "relation": N_("Relation to the principal"),
    "worker_id": N_("Foreign worker"),
    "visa_index": N_("Visa index"),
    "requested_from": N_("Valid from"),
    "requested_until": N_("Valid until"),
    "valid_from": N_("Valid from"),
    "expires_on": N_("Valid until"),
    "departed_on": N_("Departure date"),
    "permit_number": N_("Permit number"),
    "number": N_("Permit number"),  # a permit's (a passport's is passport.number)
    "decided_on": N_("Decided on"),
    "lodged_on": N_("Lodged on"),
    "revoked_on": N_("Revoked on"),
    "reason": N_("Reason"),
    "revocation_reason": N_("Reason"),
    "message": N_("Message to the employer"),
    "note": N_("Note for the officer"),
    "email": N_("Email"),
    "role": N_("Role"),
    "employer_id": N_("Employer"),
}


def field_name(location: tuple[int | str, ...], _: Gettext) -> str:
    """The form's name of the field at a schema ``location``, with whose it is on a form of
    several people: ``("dependants", 0, "passport", "number")`` -> "Passport number (dependant
    1)"; empty when the field has no name here."""
    names = [part for part in location if isinstance(part, str)]
    if not names:
        return ""
    key = f"passport.{names[-1]}" if len(names) > 1 and names[-2] == "passport" else names[-1]
    label = FIELD_NAMES.get(key)
    if label is None:
        return ""
    if location and location[0] == "principal":
        return _("%(field)s (principal)", field=_(label))
    if len(location) > 1 and location[0] == "dependants" and isinstance(location[1], int):
        return _("%(field)s (dependant %(number)s)", field=_(label), number=location[1] + 1)
    return _(label)


def _problem(item: Any, _: Gettext) -> str:
    """Pydantic's problem in the page's words; never pydantic's own English."""
    kind = str(item["type"])
    if kind == "missing" or (kind.endswith("_type") and item.get("input") in (None, "")):
        return _("Enter a value.")
    messages = {
        "string_too_short": N_("Enter a value."),
        "string_too_long": N_("This value is too long."),
        "date_from_datetime_parsing": N_("Enter a real date, for example 2026-11-22."),
        "date_parsing": N_("Enter a real date, for example 2026-11-22."),
        "date_type": N_("Enter a real date, for example 2026-11-22."),
        "int_parsing": N_("Enter a whole number."),
        "int_type": N_("Enter a whole number."),
        "greater_than_equal": N_("This number is too small."),
        "less_than_equal": N_("This number is too large."),
        "literal_error": N_("Choose one of the options."),
        "enum": N_("Choose one of the options."),
        "bool_parsing": N_("Choose one of the options."),
        "string_pattern_mismatch": N_("Use only the characters shown in the hint."),
    }
    if kind in messages:
        return _(messages[kind])
    if kind == "value_error":  # the registry's own validators: their message is a catalogue id
        return _(str(item["msg"]).removeprefix("Value error, "))
    return _("Enter a valid value.")


def validation_problems(error: ValidationError, _: Gettext) -> FormErrors:
    """Pydantic's problems as one translated message per field (the first per field), each
    naming its field, since the summary at the top of the form lists them together."""
    problems: FormErrors = {}
    for item in error.errors():
        location = tuple(item.get("loc", ()))
        field = _field_of(location)
        if field in problems:
            continue
        problem = _problem(item, _)
        name = field_name(location, _)
        problems[field] = (
            _("%(field)s: %(problem)s", field=name, problem=problem) if name else problem
        )
    return problems


def _in_language(problem: FieldProblem, _: Gettext) -> str:
    """A problem's reason in the page's language: the service's own Indonesian wording where it
    gave one (``message_id``), else the catalogue id translated and filled in."""
    if problem.message_id:
        indonesian = isinstance(_, PageGettext) and _.language == "id"
        return problem.message_id if indonesian else problem.reason
    return _(problem.catalogue_id, **problem.values)


def domain_problems(
    error: DomainError, _: Gettext | None = None, labels: Mapping[str, str] | None = None
) -> FormErrors:
    """A service's refusal as field messages: with ``_``, each in the page's language (the
    reason's catalogue id translated, then filled in) and naming its field as the form labels
    it (``labels``: a form's own, already translated); else in the service's own words."""
    problems: FormErrors = {}
    for problem in error.problems:
        if problem.field in problems:
            continue
        if _ is None:
            problems[problem.field] = problem.reason
            continue
        reason = _in_language(problem, _)
        location = tuple(int(part) if part.isdigit() else part for part in problem.field.split("."))
        name = (labels or {}).get(problem.field) or field_name(location, _)
        problems[problem.field] = (
            _("%(field)s: %(problem)s", field=name, problem=reason) if name else reason
        )
    return problems
