"""The officers' entry form maps onto the JSON case and back onto its fields."""

from __future__ import annotations

from tka_registry.second_home.web import case_from_form, form_field


def test_model_paths_name_the_form_fields() -> None:
    assert form_field("dependants[1].passport.number") == "d2_passport_number"
    assert form_field("dependants.0.date_of_birth") == "d1_date_of_birth"
    assert form_field("principal.passport.issued_on") == "p_passport_issued_on"
    assert form_field("principal.regency") == "regency"
    assert form_field("funds_idr") == "funds_idr"


def test_empty_dependant_slots_are_skipped_and_property_drops_funds() -> None:
    values = {
        "application_date": "2026-11-20",
        "stay_years": "10",
        "owns_property": "yes",
        "funds_idr": "5",
        "p_full_name": "Oliver Bennett",
        "d2_full_name": "Lucas Bennett",
        "d2_relation": "child",
        "d2_passport_number": "PA1",
        "address": "Jl. Merdeka 1",
    }
    case = case_from_form(values)
    assert case["owns_property"] is True and case["funds_idr"] is None
    assert [d["full_name"] for d in case["dependants"]] == ["Lucas Bennett"]
    assert case["dependants"][0]["passport"]["number"] == "PA1"
    assert case["dependants"][0]["address"] == "Jl. Merdeka 1"
    assert case["application_date"] == "2026-11-20"
