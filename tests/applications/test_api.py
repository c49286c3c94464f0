"""Applications through the JSON API, on the engine under test."""

from __future__ import annotations

import asyncio
import io
import re
from datetime import date

from httpx import AsyncClient
from pypdf import PdfReader

from tests.applications.conftest import (
    Office,
    attach_documents,
    image_bytes,
    new_itas_body,
    pdf_bytes,
    upload,
    worker_with_permit,
)
from tests.factories import account, bearer, created
from tka_registry.applications.tables import Application, ApplicationEvent
from tka_registry.documents.service import current_document, read_document
from tka_registry.storage.blobs import get_blob
from tka_registry.workers.tables import Passport, Worker

CASES = "/api/v1/applications"


async def _submitted(client: AsyncClient, office: Office, **changes: object) -> dict:
    case = await created(client, CASES, new_itas_body(**changes), office.sponsor)
    await attach_documents(client, case["id"], office.sponsor)
    response = await client.post(f"{CASES}/{case['id']}/submit", headers=office.sponsor)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_new_itas_from_draft_to_issued_permit(client, office, settings, data_dir) -> None:
    draft = await created(
        client, CASES, new_itas_body(requested_until=None, position=None), office.sponsor
    )
    assert draft["status"] == "draft" and draft["register_number"] is None
    assert draft["employer_id"] == office.employer["id"]

    # Submitting an incomplete case names every problem and changes nothing.
    refused = await client.post(f"{CASES}/{draft['id']}/submit", headers=office.sponsor)
    assert refused.status_code == 422
    fields = {e["field"] for e in refused.json()["errors"]}
    assert fields == {"requested_until", "position", "attachments"}
    assert (await Application.select().first())["status"] == "draft"

    edited = await client.patch(
        f"{CASES}/{draft['id']}",
        json={"requested_until": "2027-11-30", "position": "Boiler Engineer"},
        headers=office.sponsor,
    )
    assert edited.status_code == 200 and edited.json()["details"]["position"] == "Boiler Engineer"
    await attach_documents(client, draft["id"], office.sponsor)
    submitted = await client.post(f"{CASES}/{draft['id']}/submit", headers=office.sponsor)
    assert submitted.status_code == 200, submitted.text
    case = submitted.json()
    assert case["status"] == "submitted"
    assert case["register_number"] == f"W9-PLB-2026-{draft['id']:06d}"
    assert {c["id"]: c["met"] for c in case["checks"]} == {
        "permit_dates": True,
        "passport_cover": True,
        "itas_total": True,
        "position_open": True,
        "documents": True,  # all four are attached (a case missing one: test_checklist.py)
    }  # the duplicate-person check is the office's (test_duplicates_and_mrz.py)
    assert all(c["message_id"] and c["message_en"] for c in case["checks"])

    # A submitted case is no longer editable.
    late = await client.patch(f"{CASES}/{draft['id']}", json={"note": "x"}, headers=office.sponsor)
    assert late.status_code == 409

    queue = (await client.get(f"{CASES}?status=submitted", headers=office.officer)).json()
    assert [item["id"] for item in queue["items"]] == [draft["id"]]
    assert queue["items"][0]["age_days"] == 0

    approved = await client.post(
        f"{CASES}/{draft['id']}/decision", json={"decision": "approve"}, headers=office.officer
    )
    assert approved.status_code == 200, approved.text
    case = approved.json()
    assert case["status"] == "approved"
    permit = case["permit"]
    assert permit["number"] == f"ITAS-{case['register_number']}"
    # Issued on the day of the decision, valid from the day the case asked for.
    assert (permit["issued_on"], permit["valid_from"], permit["expires_on"]) == (
        "2026-11-22",
        "2026-12-01",
        "2027-11-30",
    )
    assert permit["visa_index"] == "E23C" and permit["register_number"] == case["register_number"]
    worker = await Worker.select().where(Worker.id == case["worker_id"]).first()
    assert worker["full_name"] == "FANG WANG" and worker["employer"] == office.employer["id"]
    assert [e["action"] for e in case["history"]] == [
        "created",
        "updated",
        *["attachment_added"] * 4,
        "submitted",
        "approved",
    ]
    # The employer sees the permit on its case; the approval letter is stored as a PDF.
    seen = (await client.get(f"{CASES}/{draft['id']}", headers=office.sponsor)).json()
    assert seen["permit"]["id"] == permit["id"]
    letter = await current_document(kind="approval", application_id=draft["id"])
    assert letter is not None
    # The permit's own document was rendered once the approval had committed.
    assert await current_document(kind="permit", permit_id=permit["id"]) is not None
    text = PdfReader(io.BytesIO(await read_document(letter))).pages[0]
    assert case["register_number"] in text.extract_text()


async def test_another_employers_case_answers_404(client, office) -> None:
    case = await _submitted(client, office)
    attachment = case["attachments"][0]["id"]
    paths = [
        ("GET", f"{CASES}/{case['id']}"),
        ("PATCH", f"{CASES}/{case['id']}"),
        ("POST", f"{CASES}/{case['id']}/submit"),
        ("GET", f"{CASES}/{case['id']}/attachments/{attachment}"),
    ]
    for method, path in paths:
        foreign = await client.request(
            method, path, headers=office.other_sponsor, json={} if method == "PATCH" else None
        )
        missing = await client.request(
            method,
            path.replace(str(case["id"]), "999999", 1),
            headers=office.other_sponsor,
            json={} if method == "PATCH" else None,
        )
        assert foreign.status_code == missing.status_code == 404, (method, path)
    refused = await upload(client, case["id"], office.other_sponsor, pdf_bytes())
    assert refused.status_code == 404
    listed = (await client.get(CASES, headers=office.other_sponsor)).json()
    assert listed["total"] == 0
    # A worker of another employer cannot be named in a case.
    worker, _ = await worker_with_permit(
        client, office, issued_on="2026-06-01", expires_on="2026-12-20"
    )
    body = {"kind": "itas_extension", "worker_id": worker["id"], "requested_until": "2027-12-19"}
    other = await client.post(CASES, json=body, headers=office.other_sponsor)
    assert other.status_code == 404 and other.json()["errors"][0]["field"] == "worker_id"
    # Intelligence officers do not read cases; employers do not decide them.
    intel = await bearer(client, await account("intelligence"))
    assert (await client.get(f"{CASES}/{case['id']}", headers=intel)).status_code == 403
    decision = {"decision": "approve"}
    own = await client.post(f"{CASES}/{case['id']}/decision", json=decision, headers=office.sponsor)
    assert own.status_code == 403


async def test_uploads_are_judged_by_content(client, office, settings, data_dir) -> None:
    case = await created(client, CASES, new_itas_body(), office.sponsor)
    text_as_pdf = await upload(client, case["id"], office.sponsor, b"hello, I am text\n" * 20)
    assert text_as_pdf.status_code == 422
    assert "PDF, JPEG or PNG" in text_as_pdf.json()["errors"][0]["reason"]
    broken_pdf = await upload(client, case["id"], office.sponsor, b"%PDF-1.7\n garbage %%EOF")
    assert broken_pdf.status_code == 422
    broken_png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    assert (await upload(client, case["id"], office.sponsor, broken_png)).status_code == 422
    empty = await upload(client, case["id"], office.sponsor, b"")
    assert empty.status_code == 422 and "empty" in empty.json()["errors"][0]["reason"]
    too_large = pdf_bytes() + b"\n" * (settings.upload_max_bytes + 1)
    big = await upload(client, case["id"], office.sponsor, too_large)
    assert big.status_code == 422 and "limit" in big.json()["errors"][0]["reason"]
    wrong_kind = await upload(client, case["id"], office.sponsor, pdf_bytes(), kind="selfie")
    assert wrong_kind.status_code == 422 and wrong_kind.json()["errors"][0]["field"] == "kind"

    # A PNG sent as "photo.pdf" with a PDF type is stored and served as the PNG it is.
    png = image_bytes("PNG")
    stored = await upload(
        client, case["id"], office.sponsor, png, kind="photo", name="../../photo.pdf"
    )
    assert stored.status_code == 201, stored.text
    item = stored.json()
    assert item["content_type"] == "image/png" and item["size_bytes"] == len(png)
    assert await get_blob(item["sha256"]) == png
    assert not (data_dir / "attachments").exists()  # nothing on this host's disk
    jpeg = await upload(client, case["id"], office.sponsor, image_bytes("JPEG"), kind="photo")
    assert jpeg.json()["content_type"] == "image/jpeg"

    for headers in (office.sponsor, office.officer):
        served = await client.get(f"{CASES}/{case['id']}/attachments/{item['id']}", headers=headers)
        assert served.status_code == 200 and served.content == png
        assert served.headers["content-type"] == "image/png"
        assert served.headers["x-content-type-options"] == "nosniff"
        disposition = served.headers["content-disposition"]
        assert disposition == f'attachment; filename="photo-{item["id"]}.png"'
    anonymous = await client.get(f"{CASES}/{case['id']}/attachments/{item['id']}")
    assert anonymous.status_code == 401
    # Nothing of the refused uploads reached the case.
    assert (
        len(
            (await client.get(f"{CASES}/{case['id']}", headers=office.sponsor)).json()[
                "attachments"
            ]
        )
        == 2
    )


async def test_reject_return_and_resubmit(client, office) -> None:
    case = await _submitted(client, office)
    path = f"{CASES}/{case['id']}/decision"
    no_reason = await client.post(path, json={"decision": "reject"}, headers=office.officer)
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "message"
    returned = await client.post(
        path,
        json={"decision": "return", "message": "Lampirkan pengesahan RPTKA."},
        headers=office.officer,
    )
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["history"][-1]["message"] == "Lampirkan pengesahan RPTKA."
    assert returned.json()["history"][-1]["role"] == "officer"
    # A returned case cannot be decided until it is submitted again.
    again = await client.post(path, json={"decision": "approve"}, headers=office.officer)
    assert again.status_code == 409
    assert (await upload(client, case["id"], office.sponsor, pdf_bytes(), kind="rptka")).is_success
    resubmitted = await client.post(f"{CASES}/{case['id']}/submit", headers=office.sponsor)
    assert resubmitted.json()["register_number"] == case["register_number"]
    assert resubmitted.json()["history"][-1]["action"] == "resubmitted"
    rejected = await client.post(
        path,
        json={"decision": "reject", "message": "Jabatan tidak sesuai RPTKA."},
        headers=office.officer,
    )
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["decision_reason"] == "Jabatan tidak sesuai RPTKA."
    assert rejected.json()["permit"] is None
    assert await current_document(kind="rejection", application_id=case["id"]) is not None
    twice = await client.post(path, json={"decision": "approve"}, headers=office.officer)
    assert twice.status_code == 409


async def test_a_failed_approval_writes_nothing(client, office) -> None:
    _, permit = await worker_with_permit(
        client, office, issued_on="2026-06-01", expires_on="2027-05-31"
    )
    case = await _submitted(client, office)
    events_before = await ApplicationEvent.count()
    workers_before = await Worker.count()
    clash = await client.post(
        f"{CASES}/{case['id']}/decision",
        json={"decision": "approve", "permit_number": permit["number"]},
        headers=office.officer,
    )
    assert clash.status_code == 409 and clash.json()["errors"][0]["field"] == "number"
    row = await Application.select().where(Application.id == case["id"]).first()
    assert row["status"] == "submitted" and row["worker"] is None and row["permit_id"] is None
    assert await ApplicationEvent.count() == events_before
    assert await Worker.count() == workers_before


async def test_register_numbers_are_unique_under_concurrency(client, office) -> None:
    cases = [
        await created(client, CASES, new_itas_body(passport_number=f"EB{i:07d}"), office.sponsor)
        for i in range(6)
    ]
    for case in cases:
        await attach_documents(client, case["id"], office.sponsor)
    answers = await asyncio.gather(
        *[client.post(f"{CASES}/{c['id']}/submit", headers=office.sponsor) for c in cases]
    )
    numbers = [answer.json()["register_number"] for answer in answers]
    assert all(answer.status_code == 200 for answer in answers)
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"W9-PLB-2026-\d{6}", n) for n in numbers)


async def test_queue_filters_and_order(client, office) -> None:
    first = await _submitted(client, office)
    second = await _submitted(client, office, nationality="IND", passport_number="Z7654321")
    await created(client, CASES, new_itas_body(passport_number="D0000001"), office.sponsor)
    # Age: make the first case 10 days old.
    from datetime import timedelta

    row = await Application.select().where(Application.id == first["id"]).first()
    await Application.update(
        {Application.submitted_at: row["submitted_at"] - timedelta(days=10)}
    ).where(Application.id == first["id"])

    async def ids(query: str, headers: dict[str, str] | None = None) -> list[int]:
        page = await client.get(f"{CASES}?{query}", headers=headers or office.officer)
        assert page.status_code == 200, page.text
        return [item["id"] for item in page.json()["items"]]

    assert await ids("") == [first["id"], second["id"]]  # oldest first, drafts not listed
    assert await ids("nationality=India") == [second["id"]]
    assert await ids("nationality=Tiongkok") == [first["id"]]
    assert await ids("min_age_days=10") == [first["id"]]
    assert await ids("min_age_days=11") == []
    assert await ids("kind=itas_extension") == []
    assert await ids(f"employer_id={office.other_employer['id']}") == []
    assert len(await ids("", office.sponsor)) == 3  # the employer also sees its draft
    bad = await client.get(f"{CASES}?status=lost", headers=office.officer)
    assert bad.status_code == 400


async def test_extension_window_boundaries_and_supersession(client, office) -> None:
    # 2026-12-22 is exactly 30 days after today (2026-11-22): the window is open.
    worker, permit = await worker_with_permit(
        client, office, issued_on="2025-12-23", expires_on="2026-12-22"
    )
    late_worker, _ = await worker_with_permit(
        client, office, issued_on="2025-12-24", expires_on="2026-12-23"
    )
    checks = {}
    for made in (worker, late_worker):
        body = {"kind": "itas_extension", "worker_id": made["id"], "requested_until": "2027-12-01"}
        case = await created(client, CASES, body, office.sponsor)
        await attach_documents(client, case["id"], office.sponsor)
        submitted = await client.post(f"{CASES}/{case['id']}/submit", headers=office.sponsor)
        assert submitted.status_code == 200, submitted.text
        checks[made["id"]] = {c["id"]: c for c in submitted.json()["checks"]}
        checks[made["id"]]["case"] = submitted.json()
    assert checks[worker["id"]]["extension_window"]["met"] is True
    assert checks[late_worker["id"]]["extension_window"]["met"] is False  # 31 days before
    assert "2026-11-23" in checks[late_worker["id"]]["extension_window"]["message_en"]
    assert checks[worker["id"]]["extension_length"]["met"] is True

    case = checks[worker["id"]]["case"]
    assert case["details"]["requested_from"] == "2026-12-23"
    assert case["details"]["visa_index"] == "E23C"
    approved = await client.post(
        f"{CASES}/{case['id']}/decision", json={"decision": "approve"}, headers=office.officer
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["permit"]["supersedes_id"] == permit["id"]
    history = (await client.get(f"/api/v1/workers/{worker['id']}", headers=office.sponsor)).json()
    # The extension runs from 23 December, the day after the old permit's last day: not yet
    # in force itself, while the worker stays valid through the handover.
    assert [p["status"] for p in history["permits"]] == ["not_yet_valid", "superseded"]
    listed = await client.get("/api/v1/workers?status=valid", headers=office.sponsor)
    assert worker["id"] in [item["id"] for item in listed.json()["items"]]


async def test_passport_cover_is_to_check_without_a_passport_expiry(client, office) -> None:
    worker, _ = await worker_with_permit(
        client, office, issued_on="2025-12-23", expires_on="2026-12-22"
    )
    # An imported record whose sheet had no passport expiry.
    await Passport.update({Passport.expires_on: None}).where(Passport.worker == worker["id"])
    body = {"kind": "itas_extension", "worker_id": worker["id"], "requested_until": "2027-12-01"}
    case = await created(client, CASES, body, office.sponsor)
    await attach_documents(client, case["id"], office.sponsor)
    submitted = await client.post(f"{CASES}/{case['id']}/submit", headers=office.sponsor)
    assert submitted.status_code == 200, submitted.text
    cover = {c["id"]: c for c in submitted.json()["checks"]}["passport_cover"]
    assert cover["met"] is None  # unknown: neither skipped nor breached
    assert cover["message_id"].startswith("Perlu diperiksa")
    assert cover["message_en"].startswith("To check")
    page = await client.get(f"/petugas/permohonan/{case['id']}", headers=office.officer)
    assert page.status_code == 200
    assert 'data-check="passport_cover" data-met="unknown"' in page.text
    assert "Perlu diperiksa</strong>" in page.text
    client.cookies.set("tka_lang", "en")
    english = await client.get(f"/petugas/permohonan/{case['id']}", headers=office.officer)
    client.cookies.delete("tka_lang")
    assert "To check</strong>" in english.text and "expiry date is not on record" in english.text


async def test_extension_needs_a_valid_itas(client, office) -> None:
    expired, _ = await worker_with_permit(
        client, office, issued_on="2025-06-01", expires_on="2026-11-21"
    )
    body = {"kind": "itas_extension", "worker_id": expired["id"], "requested_until": "2027-11-01"}
    case = await created(client, CASES, body, office.sponsor)
    refused = await client.post(f"{CASES}/{case['id']}/submit", headers=office.sponsor)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "worker_id"


async def test_change_reports_change_the_worker(client, office) -> None:
    from tka_registry.applications.queries import civil_status_of

    worker, _ = await worker_with_permit(
        client, office, issued_on="2026-06-01", expires_on="2027-05-31"
    )
    changes = [
        {"change": "address", "address": "Jl. Kapten Rivai 9", "regency": "Banyuasin"},
        {"change": "position", "position": "Plant Manager"},
        {"change": "civil_status", "civil_status": "married"},
        {
            "change": "passport",
            "passport_number": "EN7777777",
            "passport_issued_on": "2026-10-01",
            "passport_expires_on": "2036-09-30",
        },
    ]
    for change in changes:
        body = {"kind": "change_report", "worker_id": worker["id"], **change}
        case = await created(client, CASES, body, office.sponsor)
        needed = {"position": ("rptka",), "passport": ("passport_page",)}.get(change["change"], ())
        await attach_documents(client, case["id"], office.sponsor, needed)
        submitted = await client.post(f"{CASES}/{case['id']}/submit", headers=office.sponsor)
        assert submitted.status_code == 200, submitted.text
        approved = await client.post(
            f"{CASES}/{case['id']}/decision", json={"decision": "approve"}, headers=office.officer
        )
        assert approved.status_code == 200, approved.text
    after = (await client.get(f"/api/v1/workers/{worker['id']}", headers=office.sponsor)).json()
    assert after["address"] == "Jl. Kapten Rivai 9" and after["regency"] == "Kabupaten Banyuasin"
    assert after["position"] == "Plant Manager"
    assert after["passports"][0]["number"] == "EN7777777" and len(after["passports"]) == 2
    assert await civil_status_of(worker["id"]) == "married"

    # A change to a closed position is flagged for the officer.
    body = {"kind": "change_report", "worker_id": worker["id"], "change": "position"}
    case = await created(client, CASES, body | {"position": "HR Manager"}, office.sponsor)
    check = {c["id"]: c for c in case["checks"]}["position_open"]
    assert check["met"] is False and "Manajer Personalia" in check["message_id"]


async def test_departure_report_ends_overstay(client, office) -> None:
    from tka_registry.applications.queries import departures

    worker, permit = await worker_with_permit(
        client, office, issued_on="2025-11-01", expires_on="2026-10-31"
    )
    before = (await client.get(f"/api/v1/permits/{permit['id']}", headers=office.officer)).json()
    assert before["overstay_days"] == 22
    future = {"kind": "departure_report", "worker_id": worker["id"], "departed_on": "2026-11-23"}
    case = await created(client, CASES, future, office.sponsor)
    refused = await client.post(f"{CASES}/{case['id']}/submit", headers=office.sponsor)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "departed_on"
    await client.patch(
        f"{CASES}/{case['id']}", json={"departed_on": "2026-10-30"}, headers=office.sponsor
    )
    assert (await client.post(f"{CASES}/{case['id']}/submit", headers=office.sponsor)).is_success
    approved = await client.post(
        f"{CASES}/{case['id']}/decision", json={"decision": "approve"}, headers=office.officer
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["departed_on"] == "2026-10-30"
    after = (await client.get(f"/api/v1/permits/{permit['id']}", headers=office.officer)).json()
    assert after["overstay_days"] == 0 and after["revoked_on"] == "2026-10-30"
    assert await departures([worker["id"]]) == {worker["id"]: date(2026, 10, 30)}


async def test_officer_sets_first_day_and_permit_is_not_yet_in_force(client, office) -> None:
    """The decision day is the issue date; the officer's "valid from" is the first day, and a
    permit that has not begun is genuine but not in force (issue 14)."""
    case = await _submitted(client, office)
    approved = await client.post(
        f"{CASES}/{case['id']}/decision",
        json={"decision": "approve", "valid_from": "2026-12-15", "expires_on": "2027-12-14"},
        headers=office.officer,
    )
    assert approved.status_code == 200, approved.text
    permit = approved.json()["permit"]
    assert (permit["issued_on"], permit["valid_from"], permit["expires_on"]) == (
        "2026-11-22",
        "2026-12-15",
        "2027-12-14",
    )
    shown = (await client.get(f"/api/v1/permits/{permit['id']}", headers=office.officer)).json()
    assert shown["status"] == "not_yet_valid"


async def test_decision_that_ends_before_it_starts_is_refused(client, office) -> None:
    case = await _submitted(client, office)
    refused = await client.post(
        f"{CASES}/{case['id']}/decision",
        json={"decision": "approve", "valid_from": "2027-01-10", "expires_on": "2026-12-20"},
        headers=office.officer,
    )
    assert refused.status_code == 422, refused.text
    assert "expires_on" in {e["field"] for e in refused.json()["errors"]}
    assert (await Application.select().where(Application.id == case["id"]).first())[
        "status"
    ] == "submitted"
