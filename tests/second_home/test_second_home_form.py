"""The officers' entry form maps onto the JSON case and back onto its fields."""

from __future__ import annotations

import html
import re

from httpx import AsyncClient

from tests.factories import signed_in
from tests.web.conftest import csrf_token
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


async def test_an_empty_form_names_each_field_in_the_page_language(client: AsyncClient) -> None:
    headers = await signed_in(client, "officer")
    for language, expected, absent in (
        ("id", "Nama lengkap sesuai paspor (pemohon utama): Wajib diisi.", "Full name"),
        ("en", "Full name as in the passport (principal): Enter a value.", "Wajib diisi"),
    ):
        client.cookies.set("tka_lang", language)
        token = await csrf_token(client)
        data = {"_csrf_token": token, "d1_full_name": "Grace Bennett", "d1_stay_years": "x"}
        response = await client.post("/petugas/rumah-kedua/baru", data=data, headers=headers)
        assert response.status_code == 400
        text = html.unescape(response.text)
        assert "Input should" not in text
        assert expected in text and absent not in text
        start = text.index("error-summary__list")
        summary = text[start : text.index("</ul>", start)]
        messages = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
        assert ("p_passport_number", "Passport number (principal): Enter a value.") in messages or (
            "p_passport_number",
            "Nomor paspor (pemohon utama): Wajib diisi.",
        ) in messages
        # Every message of the summary names its field: no two read alike.
        assert len({message for _field, message in messages}) == len(messages)
