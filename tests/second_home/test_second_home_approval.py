"""Approval issues E33 permits for the principal and each dependant, with their documents."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.factories import created, employer_body, permit_body, signed_in, worker_body
from tests.second_home.conftest import case_body, decide, dependant, entered, person
from tests.web.conftest import csrf_token
from tka_registry.audit.tables import AuditEntry


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def test_approval_issues_e33_permits_for_principal_spouse_and_child(client, officer) -> None:
    # The principal's passport ends first: no dependant's permit may outlast the principal's.
    body = case_body(principal=person("Oliver Bennett", expires_on="2030-01-31"))
    case = await entered(client, officer, body)
    assert case["register_number"] == f"RK-PLB-2026-{case['id']:06d}"
    response = await decide(client, officer, case["id"])
    assert response.status_code == 200, response.text
    approved = response.json()
    assert approved["status"] == "approved" and approved["decided_on"] == "2026-11-22"

    principal = approved["principal"]["permit"]
    assert principal["visa_index"] == "E33" and principal["expires_on"] == "2030-01-31"
    dependants = [d["permit"] for d in approved["dependants"]]
    assert [d["relation"] for d in approved["dependants"]] == ["spouse", "child"]
    assert all(p["visa_index"] == "E33" for p in dependants)
    assert all(p["expires_on"] <= principal["expires_on"] for p in dependants)

    page = (await client.get("/api/v1/permits?visa_index=E33", headers=officer)).json()
    assert page["total"] == 3
    assert {p["employer_id"] for p in page["items"]} == {None}
    assert {p["register_number"] for p in page["items"]} == {case["register_number"]}

    # Each permit has its PDF; the approval letter names the case.
    for permit in [principal, *dependants]:
        document = await client.get(f"/api/v1/permits/{permit['id']}/document", headers=officer)
        assert document.status_code == 200, document.text
        assert document.headers["content-type"].startswith("application/pdf")
        assert permit["number"] in pdf_text(document.content)
    letter = await client.get(f"/api/v1/second-home/{case['id']}/approval-letter", headers=officer)
    assert letter.status_code == 200
    text = pdf_text(letter.content)
    assert case["register_number"] in text and "Oliver Bennett" in text
    assert approved["approval_letter_sha256"]

    actions = [r["action"] for r in await AuditEntry.select(AuditEntry.action)]
    assert actions.count("permit.issue") == 3 and "second_home.approve" in actions

    # Deciding twice is refused.
    again = await decide(client, officer, case["id"])
    assert again.status_code == 409


async def test_rejection_needs_a_reason_and_issues_nothing(client, officer) -> None:
    case = await entered(client, officer, case_body())
    assert (await decide(client, officer, case["id"], approve=False)).status_code == 422
    response = await decide(client, officer, case["id"], approve=False, reason="dokumen palsu")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    page = (await client.get("/api/v1/permits?visa_index=E33", headers=officer)).json()
    assert page["total"] == 0


async def test_decision_date_is_required_and_never_in_the_future(client, officer) -> None:
    case = await entered(client, officer, case_body())
    url = f"/api/v1/second-home/{case['id']}/decision"
    missing = await client.post(url, json={"approve": True}, headers=officer)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "decided_on"
    future = await decide(client, officer, case["id"], decided_on="2026-11-23")
    assert future.status_code == 422


async def test_tracking_by_register_and_passport_number(client, officer) -> None:
    case = await entered(client, officer, case_body())
    child_passport = case["dependants"][1]["passport_number"]
    for passport in (case["principal"]["passport_number"], child_passport.lower()):
        response = await client.post(
            "/api/v1/second-home/track",
            json={"register_number": case["register_number"], "passport_number": passport},
        )
        assert response.status_code == 200, response.text
        assert response.json() == {
            "register_number": case["register_number"],
            "status": "draft",
            "status_label": "Draf",
            "status_label_id": "Draf",
            "status_label_en": "Draft",
            "changed_on": "2026-11-22",
            "next_step_id": "Petugas sedang mencatat permohonan. Tunggu sampai permohonan "
            "diajukan dan diperiksa.",
            "next_step_en": "An officer is entering the application. Wait until it is "
            "submitted and reviewed.",
        }
    wrong = await client.post(
        "/api/v1/second-home/track",
        json={"register_number": case["register_number"], "passport_number": "X1234567"},
    )
    missing = await client.post(
        "/api/v1/second-home/track",
        json={"register_number": "RK-PLB-2026-999999", "passport_number": child_passport},
    )
    assert wrong.status_code == missing.status_code == 404
    assert wrong.json()["detail"] == missing.json()["detail"]
    # Only officers, admins and intelligence read cases.
    plant = await created(client, "/api/v1/employers", employer_body(0), officer)
    employer = await signed_in(client, "employer", plant["id"])
    assert (
        await client.get(f"/api/v1/second-home/{case['id']}", headers=employer)
    ).status_code == 403


async def test_conflicts_employment_and_another_valid_permit(client, officer) -> None:
    plant = await created(client, "/api/v1/employers", employer_body(0), officer)
    # Already on record as a plant's worker: the same passport links that person.
    worker = await created(
        client, "/api/v1/workers", worker_body(plant["id"], full_name="Oliver Bennett"), officer
    )
    on_record = worker["passports"][0]
    principal = person("Oliver Bennett")
    principal["passport"] = {k: on_record[k] for k in principal["passport"]}
    # The spouse also appears under another passport, with a valid work permit.
    twin = await created(
        client, "/api/v1/workers",
        worker_body(plant["id"], full_name="Grace Bennett", sex="F", date_of_birth="1962-02-11",
                    nationality="AUS"),
        officer,
    )  # fmt: skip
    await created(client, "/api/v1/permits", permit_body(twin["id"]), officer)
    spouse = dependant("Grace Bennett", "spouse", sex="F", date_of_birth="1962-02-11")
    case = await entered(client, officer, case_body(principal=principal, dependants=[spouse]))
    assert case["principal"]["worker_id"] == worker["id"]

    approved = (await decide(client, officer, case["id"])).json()
    kinds = {(c["full_name"], c["kind"]) for c in approved["conflicts"]}
    assert kinds == {
        ("Oliver Bennett", "employed"),
        ("Grace Bennett", "employed"),
        ("Grace Bennett", "other_permit"),
    }
    intelligence = await signed_in(client, "intelligence")
    listed = await client.get("/api/v1/second-home/conflicts", headers=intelligence)
    assert listed.status_code == 200
    assert {(c["full_name"], c["kind"]) for c in listed.json()} == kinds
    assert all(c["register_number"] == case["register_number"] for c in listed.json())


async def test_e33_is_its_own_index_in_the_statistics(client, officer) -> None:
    case = await entered(client, officer, case_body())
    assert (await decide(client, officer, case["id"])).status_code == 200
    plant = await created(client, "/api/v1/employers", employer_body(0), officer)
    worker = await created(client, "/api/v1/workers", worker_body(plant["id"]), officer)
    await created(client, "/api/v1/permits", permit_body(worker["id"]), officer)
    intelligence = await signed_in(client, "intelligence")
    stats = await client.get("/api/v1/stats/visa-indexes", headers=intelligence)
    assert stats.status_code == 200, stats.text
    counts = {item["visa_index"]: item["count"] for item in stats.json()["items"]}
    assert counts["E33"] == 3 and counts["E23C"] == 1


async def test_one_person_in_one_live_case(client, officer) -> None:
    first = await entered(client, officer, case_body())
    again = case_body(principal=person("Someone Else"), dependants=[])
    again["dependants"] = [
        {**dependant("Grace Bennett", "spouse"), "passport": first_passport(first)}
    ]
    response = await client.post("/api/v1/second-home", json=again, headers=officer)
    assert response.status_code == 409
    assert first["register_number"] in response.json()["detail"]
    found = (await client.get("/api/v1/second-home?q=bennett", headers=officer)).json()
    assert [c["register_number"] for c in found["items"]] == [first["register_number"]]
    assert found["items"][0]["dependants"] == 2
    none = await client.get("/api/v1/second-home?status=approved", headers=officer)
    assert none.json()["total"] == 0


def first_passport(case: dict) -> dict:
    spouse = case["dependants"][0]
    return {
        "number": spouse["passport_number"],
        "issuing_country": "AUS",
        "issued_on": "2025-07-01",
        "expires_on": spouse["passport_expires_on"],
    }


async def test_a_valid_work_permit_is_flagged_and_blocks_approval(client, officer) -> None:
    plant = await created(client, "/api/v1/employers", employer_body(0), officer)
    worker = await created(
        client, "/api/v1/workers", worker_body(plant["id"], full_name="Oliver Bennett"), officer
    )
    work_permit = await created(client, "/api/v1/permits", permit_body(worker["id"]), officer)
    on_record = worker["passports"][0]
    principal = person("Oliver Bennett")
    principal["passport"] = {k: on_record[k] for k in principal["passport"]}
    case = await entered(client, officer, case_body(principal=principal, dependants=[]))
    assert {c["kind"] for c in case["conflicts"]} == {"employed", "other_permit"}
    refused = await decide(client, officer, case["id"])
    assert refused.status_code == 409, refused.text
    assert work_permit["number"] in refused.json()["detail"]
    assert "Oliver Bennett" in refused.json()["detail"]


async def test_the_public_track_page_finds_a_second_home_case(client, officer) -> None:
    """The same /track page as for applications: register number and any passport on the case."""
    case = await entered(client, officer, case_body())
    child_passport = case["dependants"][1]["passport_number"]
    token = await csrf_token(client, "/track")
    page = await client.post(
        "/track",
        data={
            "register_number": case["register_number"],
            "passport_number": child_passport,
            "_csrf_token": token,
        },
    )
    assert page.status_code == 200, page.text
    assert case["register_number"] in page.text and 'data-case-status="draft"' in page.text
    wrong = await client.post(
        "/track",
        data={
            "register_number": case["register_number"],
            "passport_number": "X1234567",
            "_csrf_token": token,
        },
    )
    assert wrong.status_code == 404 and "Tidak ada permohonan" in wrong.text
    assert case["register_number"] not in wrong.text.split("</form>")[-1]
