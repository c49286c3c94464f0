"""The duplicate-person check against the registry, and the public MRZ reader."""

from __future__ import annotations

from datetime import date

from tests.applications.conftest import new_itas_body, td3
from tests.factories import created, worker_body

CASES = "/api/v1/applications"


async def test_same_person_under_another_passport_is_flagged(client, office) -> None:
    await created(
        client,
        "/api/v1/workers",
        worker_body(
            office.other_employer["id"],
            full_name="Fang Wang",
            date_of_birth="1988-07-14",
            nationality="CHN",
        ),
        office.officer,
    )
    case = await created(client, CASES, new_itas_body(), office.sponsor)
    # The employer learns nothing of another employer's worker: the check is the office's.
    assert "duplicate_person" not in {c["id"] for c in case["checks"]}
    assert "1 other" not in str(case) and "Fang" not in str(case["checks"])
    seen = (await client.get(f"{CASES}/{case['id']}", headers=office.officer)).json()
    check = {c["id"]: c for c in seen["checks"]}["duplicate_person"]
    assert check["met"] is False and check["message_en"].startswith("1 other")
    other_day = await created(
        client, CASES, new_itas_body(date_of_birth="1988-07-15"), office.sponsor
    )
    seen = (await client.get(f"{CASES}/{other_day['id']}", headers=office.officer)).json()
    assert {c["id"]: c["met"] for c in seen["checks"]}["duplicate_person"] is True


async def test_mrz_parse_answers_the_fields(client) -> None:
    lines = td3("WANG", "FANG", "EA1234567", "CHN", date(1988, 7, 14), "F", date(2034, 1, 31))
    response = await client.post("/api/v1/mrz/parse", json={"mrz": lines})
    assert response.status_code == 200, response.text
    assert response.json() | {"personal_number": None} == {
        "surname": "WANG",
        "given_names": "FANG",
        "full_name": "FANG WANG",
        "passport_number": "EA1234567",
        "nationality": "CHN",
        "issuing_state": "CHN",
        "date_of_birth": "1988-07-14",
        "sex": "F",
        "expires_on": "2034-01-31",
        "personal_number": None,
        "names_truncated": False,
    }


async def test_mrz_parse_names_the_field_a_wrong_check_digit_protects(client) -> None:
    # ICAO Doc 9303 part 4 specimen, with the passport number's check digit 6 changed to 5.
    line1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    line2 = "L898902C35UTO7408122F1204159ZE184226B<<<<<10"
    response = await client.post("/api/v1/mrz/parse", json={"mrz": f"{line1}\n{line2}"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    fields = {e["field"] for e in errors}
    assert "passport_number" in fields
    number = next(e for e in errors if e["field"] == "passport_number")
    assert number["code"] == "check_digit"
    assert "nomor paspor" in number["message_id"] and "passport number" in number["reason"]
    garbage = await client.post("/api/v1/mrz/parse", json={"mrz": "not an mrz"})
    assert garbage.status_code == 422 and garbage.json()["errors"]
