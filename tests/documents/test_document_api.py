"""Issued permits get a stored document: download, QR code, public verification, through HTTP."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from httpx import AsyncClient
from litestar import Litestar
from pypdf import PdfReader

from tests.documents.http import decode_qr, sponsor_with_permit
from tests.factories import created, permit_body, signed_in
from tka_registry.audit.service import seal_reads
from tka_registry.audit.tables import AuditEntry
from tka_registry.documents import signing
from tka_registry.documents.render import TEMPLATE_VERSION
from tka_registry.documents.tables import StoredDocument, Verification
from tka_registry.settings import Settings
from tka_registry.storage.blobs import get_blob
from tka_registry.workers.tables import Worker


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


async def verify_path(
    client: AsyncClient, officer: dict[str, str], permit_id: int, tmp: Path
) -> str:
    """Download the permit's document and answer the path its QR code points to."""
    response = await client.get(f"/api/v1/permits/{permit_id}/document", headers=officer)
    assert response.status_code == 200, response.text
    (url,) = decode_qr(response.content, tmp)
    return urlsplit(url).path


async def test_issued_permit_document_downloads_and_its_qr_verifies(
    client: AsyncClient, settings: Settings, data_dir: Path, tmp_path: Path, artifacts: Path
) -> None:
    officer = await signed_in(client, "officer")
    _, permit, employer = await sponsor_with_permit(client, officer)

    rows = await StoredDocument.select().where(StoredDocument.permit == permit["id"])
    assert len(rows) == 1 and rows[0]["is_current"] and rows[0]["kind"] == "permit"
    assert rows[0]["template_version"] == TEMPLATE_VERSION
    stored = await get_blob(rows[0]["sha256"])
    assert stored.startswith(b"%PDF-") and not os.listdir(data_dir)  # in the database

    response = await client.get(f"/api/v1/permits/{permit['id']}/document", headers=officer)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert disposition == f'attachment; filename="izin-tinggal-{permit["number"]}.pdf"'
    assert hashlib.sha256(response.content).hexdigest() == rows[0]["sha256"]
    text = pdf_text(response.content)
    for expected in (
        "ZHANG WEI MING".title(),
        permit["number"],
        permit["register_number"],
        "PT Pupuk Sriwidjaja 0",
        "Process Engineer",
        "Tiongkok (CHN)",
    ):
        assert expected in text, expected

    (url,) = decode_qr(response.content, tmp_path)
    shutil.copy(tmp_path / "page.png", artifacts / "permit-document-issued.png")  # to look at
    assert url.startswith(f"{settings.base_url}/verify/")
    answer = (await client.get("/api/v1" + urlsplit(url).path)).json()
    assert answer["outcome"] == "valid"
    assert answer["holder"] == "Z**** W** M***"
    assert answer["nationality"] == "CHN" and answer["nationality_name_en"] == "China"
    assert answer["expires_on"] == permit["expires_on"]
    page = await client.get(urlsplit(url).path)
    assert page.status_code == 200 and 'data-outcome="valid"' in page.text
    assert "Zhang" not in page.text and "Z**** W** M***" in page.text

    # The permit's own employer downloads the same bytes; audited like the officer's download.
    own = await client.get(f"/api/v1/permits/{permit['id']}/document", headers=employer)
    assert own.status_code == 200 and own.content == response.content
    await seal_reads()  # reads join the chain when sealed
    downloads = await AuditEntry.count().where(AuditEntry.action == "document.download")
    assert downloads == 2
    logged = await Verification.select().order_by(Verification.id)
    assert [(v["outcome"], v["permit_id"]) for v in logged] == [("valid", permit["id"])] * 2


async def test_other_employer_and_intelligence_get_404(client: AsyncClient) -> None:
    officer = await signed_in(client, "officer")
    _, permit, _ = await sponsor_with_permit(client, officer, index=0)
    _, _, other_employer = await sponsor_with_permit(client, officer, index=1)
    intelligence = await signed_in(client, "intelligence")
    for headers in (other_employer, intelligence):
        foreign = await client.get(f"/api/v1/permits/{permit['id']}/document", headers=headers)
        missing = await client.get("/api/v1/permits/999999/document", headers=headers)
        assert foreign.status_code == missing.status_code == 404
    assert (await client.get(f"/api/v1/permits/{permit['id']}/document")).status_code == 401


async def test_revoked_and_superseded_permits_verify_as_such(
    client: AsyncClient, tmp_path: Path
) -> None:
    officer = await signed_in(client, "officer")
    _, revoked, _ = await sponsor_with_permit(client, officer, index=0)
    revoked_path = await verify_path(client, officer, revoked["id"], tmp_path)
    response = await client.patch(
        f"/api/v1/permits/{revoked['id']}",
        json={"revoked_on": "2026-11-20", "revocation_reason": "Penjamin mencabut jaminan"},
        headers=officer,
    )
    assert response.status_code == 200, response.text
    assert (await client.get("/api/v1" + revoked_path)).json()["outcome"] == "revoked"
    assert 'data-outcome="revoked"' in (await client.get(revoked_path)).text
    # The officer still downloads the revoked permit's document.
    assert await verify_path(client, officer, revoked["id"], tmp_path) == revoked_path

    _, first, _ = await sponsor_with_permit(client, officer, index=1)
    first_path = await verify_path(client, officer, first["id"], tmp_path)
    renewal = permit_body(
        first["worker_id"],
        issued_on="2027-05-01",
        expires_on="2028-04-30",
        supersedes_id=first["id"],
        register_number="REG-2027-000001",
    )
    second = await created(client, "/api/v1/permits", renewal, officer)
    second_path = await verify_path(client, officer, second["id"], tmp_path)
    assert (await client.get("/api/v1" + first_path)).json()["outcome"] == "superseded"
    # The renewal is genuine but begins on 1 May 2027: not yet in force on 22 November 2026.
    assert (await client.get("/api/v1" + second_path)).json()["outcome"] == "not_yet_valid"


async def test_tampered_or_foreign_tokens_answer_invalid(
    client: AsyncClient, tmp_path: Path
) -> None:
    officer = await signed_in(client, "officer")
    _, permit, _ = await sponsor_with_permit(client, officer)
    path = await verify_path(client, officer, permit["id"], tmp_path)
    token = path.rsplit("/", 1)[1]
    for position in (0, len(token) // 3, token.index(".") + 5, len(token) - 1):
        changed = (
            token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1 :]
        )
        answer = await client.get(f"/api/v1/verify/{changed}")
        assert answer.status_code == 200 and answer.json()["outcome"] == "invalid"
        assert answer.json()["holder"] is None and answer.json()["expires_on"] is None
        page = await client.get(f"/verify/{changed}")
        assert page.status_code == 200 and 'data-outcome="invalid"' in page.text
    for garbage in ("x", "a.b", "%3Cscript%3E", "." * 600):
        assert (await client.get(f"/api/v1/verify/{garbage}")).json()["outcome"] == "invalid"
    # A genuine signature over a permit number the registry does not hold is invalid too.
    other_key = signing.Ed25519PrivateKey.generate()
    statement = signing.permit_statement("2C99ZZ0001", "Zhang Wei", "CHN", permit_expiry(permit))
    forged = signing.sign_permit(other_key, statement)
    assert (await client.get(f"/api/v1/verify/{forged}")).json()["outcome"] == "invalid"
    invalid = await Verification.count().where(Verification.outcome == "invalid")
    assert invalid >= 9


def permit_expiry(permit: dict[str, str]) -> date:
    return date.fromisoformat(permit["expires_on"])


async def test_public_key_checks_the_token_offline(client: AsyncClient, tmp_path: Path) -> None:
    officer = await signed_in(client, "officer")
    _, permit, _ = await sponsor_with_permit(client, officer)
    token = (await verify_path(client, officer, permit["id"], tmp_path)).rsplit("/", 1)[1]
    response = await client.get("/verify/public-key")
    assert response.status_code == 200
    assert response.text.startswith("-----BEGIN PUBLIC KEY-----")
    statement = signing.verify_token(signing.load_public_key(response.text), token)
    assert statement is not None and statement.permit_number == permit["number"]


async def test_permit_without_register_number_or_birthplace_prints_and_verifies(
    client: AsyncClient, tmp_path: Path
) -> None:
    """A permit with no application (imported, or entered at the counter) and an incomplete
    worker record: the register number, place of birth and address lines are left out."""
    officer = await signed_in(client, "officer")
    _, permit, _ = await sponsor_with_permit(client, officer, register_number=None)
    await Worker.update({Worker.place_of_birth: "", Worker.address: "", Worker.regency: ""}).where(
        Worker.id == permit["worker_id"]
    )
    await StoredDocument.delete().where(StoredDocument.permit == permit["id"])
    rendered = await client.post(f"/api/v1/permits/{permit['id']}/document/render", headers=officer)
    assert rendered.status_code == 201, rendered.text
    response = await client.get(f"/api/v1/permits/{permit['id']}/document", headers=officer)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert permit["number"] in text and "Nomor Register" not in text and "Alamat" not in text
    token = (await verify_path(client, officer, permit["id"], tmp_path)).rsplit("/", 1)[1]
    verified = await client.get(f"/api/v1/verify/{token}")
    assert verified.status_code == 200 and verified.json()["outcome"] == "valid", verified.text


async def test_permit_lacking_data_answers_409_naming_it(client: AsyncClient) -> None:
    officer = await signed_in(client, "officer")
    _, permit, _ = await sponsor_with_permit(client, officer)
    await Worker.update({Worker.position: ""}).where(Worker.id == permit["worker_id"])
    await StoredDocument.delete().where(StoredDocument.permit == permit["id"])
    response = await client.get(f"/api/v1/permits/{permit['id']}/document", headers=officer)
    assert response.status_code == 409
    fields = [error["field"] for error in response.json()["errors"]]
    assert fields == ["worker.position"]
    rendered = await client.post(f"/api/v1/permits/{permit['id']}/document/render", headers=officer)
    assert rendered.status_code == 409


async def test_rerender_keeps_the_old_bytes(client: AsyncClient, data_dir: Path) -> None:
    officer = await signed_in(client, "officer")
    _, permit, employer = await sponsor_with_permit(client, officer)
    (before,) = await StoredDocument.select().where(StoredDocument.permit == permit["id"])
    response = await client.post(f"/api/v1/permits/{permit['id']}/document/render", headers=officer)
    assert response.status_code == 201, response.text
    assert response.json()["template_version"] == TEMPLATE_VERSION
    rows = (
        await StoredDocument.select()
        .where(StoredDocument.permit == permit["id"])
        .order_by(StoredDocument.id)
    )
    assert [row["is_current"] for row in rows] == [False, True]
    assert rows[1]["id"] == response.json()["id"]
    assert (await get_blob(before["sha256"]))[:5] == b"%PDF-"
    refused = await client.post(f"/api/v1/permits/{permit['id']}/document/render", headers=employer)
    assert refused.status_code == 403


async def test_verification_is_rate_limited_per_address(app: Litestar, client: AsyncClient) -> None:
    app.state.settings = app.state.settings.with_overrides(verify_rate_limit_per_minute=3)
    answers = [(await client.get("/api/v1/verify/x.y")).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert (await client.get("/verify/x.y")).status_code == 429
    assert (await client.get("/verify/public-key")).status_code == 200  # not limited
