"""Reading an application form and its MRZ box; no page text here (see web.py for that).

Form fields carry the names of :class:`ApplicationDetails` fields; an empty field means "not
given". The MRZ box is read on its own button and fills the passport fields it covers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tka_registry.applications.schemas import ApplicationDetails
from tka_registry.rules import mrz

# The form field each MRZ field fills (and a wrong check digit points at).
MRZ_TO_FORM = {
    "surname": "surname",
    "given_names": "given_names",
    "passport_number": "passport_number",
    "nationality": "nationality",
    "date_of_birth": "date_of_birth",
    "sex": "sex",
    "expires_on": "passport_expires_on",
}
FORM_TO_MRZ = {form: field for field, form in MRZ_TO_FORM.items()}


def detail_values(values: dict[str, str]) -> dict[str, Any]:
    """The posted fields of the details model, empty ones as None (so an edit can empty them)."""
    return {
        name: (values[name] or None) for name in ApplicationDetails.model_fields if name in values
    }


def as_form(details: ApplicationDetails) -> dict[str, str]:
    """A saved case's details as the text of its form fields."""
    out: dict[str, str] = {}
    for name, value in details.model_dump(exclude_none=True).items():
        out[name] = value.isoformat() if isinstance(value, date) else str(value)
    return out


def mrz_fill(
    values: dict[str, str], today: date, language: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Read the MRZ box: (values with empty passport fields filled, problems per form field).

    Fields a person typed are kept; those that disagree with the MRZ are flagged. A wrong check
    digit is reported on the field it protects as well as on the MRZ box.
    """
    filled, problems = dict(values), {}
    try:
        passport = mrz.parse_td3(values.get("mrz", ""), today=today)
    except mrz.MrzError as error:
        problems["mrz"] = " ".join(p.message(language) for p in error.problems)
        for problem in error.problems:
            form_field = MRZ_TO_FORM.get(problem.field)
            if form_field and form_field not in problems:
                problems[form_field] = problem.message(language)
        return filled, problems
    read = {
        "surname": passport.surname,
        "given_names": passport.given_names,
        "passport_number": passport.passport_number,
        "nationality": passport.nationality_code or passport.nationality,
        "date_of_birth": passport.date_of_birth.isoformat(),
        "sex": passport.sex or "",
        "passport_expires_on": passport.expires_on.isoformat(),
    }
    typed = {FORM_TO_MRZ[k]: v for k, v in values.items() if k in FORM_TO_MRZ and v}
    for problem in mrz.compare_with_typed(passport, typed):
        problems[MRZ_TO_FORM[problem.field]] = problem.message(language)
    for name, value in read.items():
        if not values.get(name):
            filled[name] = value
    return filled, problems


def mrz_disagreements(values: dict[str, str], today: date, language: str) -> dict[str, str]:
    """Problems of a pasted MRZ on save: unreadable, or typed fields that differ from it."""
    if not values.get("mrz"):
        return {}
    return mrz_fill(values, today, language)[1]
