"""The documents each kind needs (one table), shown while filling in and counted in the checks;
attachments removed and replaced before submitting; identical files flagged; clerks see names
and sizes, the office types and hashes too."""

from __future__ import annotations

import re

import httpx

from tests.applications.conftest import (
    Office,
    attach_documents,
    image_bytes,
    new_itas_body,
    pdf_bytes,
)
from tests.factories import account, created
from tests.web.conftest import csrf_token, sign_in_page
from tka_registry.applications.checklist import AttachmentKind, missing_documents
from tka_registry.applications.checks import CaseFacts, case_checks
from tka_registry.applications.schemas import ApplicationDetails, ApplicationKind, ChangeKind
from tka_registry.settings import Settings

CASES = "/api/v1/applications"
WORK_PERMIT = {"passport_page", "rptka", "dkptka", "photo"}


def test_one_table_names_what_each_kind_needs() -> None:
    assert {d.value for d in missing_documents(ApplicationKind.ITAS_NEW, None, set())} == (
        WORK_PERMIT
    )
    assert {d.value for d in missing_documents(ApplicationKind.ITAS_EXTENSION, None, set())} == (
        WORK_PERMIT
    )
    passport = missing_documents(ApplicationKind.CHANGE_REPORT, ChangeKind.PASSPORT, set())
    assert passport == [AttachmentKind.PASSPORT_PAGE]
    assert missing_documents(ApplicationKind.CHANGE_REPORT, ChangeKind.POSITION, set()) == [
        AttachmentKind.RPTKA
    ]
    assert missing_documents(ApplicationKind.CHANGE_REPORT, ChangeKind.ADDRESS, set()) == []
    assert missing_documents(ApplicationKind.DEPARTURE_REPORT, None, set()) == []


def test_a_missing_document_is_an_unmet_check() -> None:
    def documents(attached: set[str]) -> tuple[bool, str] | None:
        facts = CaseFacts(
            kind=ApplicationKind.ITAS_NEW,
            details=ApplicationDetails(),
            applied_on=__import__("datetime").date(2026, 11, 22),
            attached=frozenset(attached),
        )
        found = [c for c in case_checks(facts, Settings()) if c.id == "documents"]
        return (found[0].met, found[0].message_id) if found else None

    met, text = documents(WORK_PERMIT - {"dkptka"})  # type: ignore[misc]
    assert met is False and text == "Dokumen belum ada: Bukti bayar DKPTKA."
    assert documents(WORK_PERMIT) == (
        True,
        "Dokumen lengkap: Halaman data paspor, Pengesahan RPTKA, Bukti bayar DKPTKA, Pas foto.",
    )


async def _draft_page(client: httpx.AsyncClient, office: Office) -> tuple[int, str]:
    draft = await created(client, CASES, new_itas_body(), office.sponsor)
    await sign_in_page(client, await account("employer", office.employer["id"]))
    return draft["id"], f"/portal/permohonan/{draft['id']}"


def _file_lines(html: str) -> list[str]:
    """What each attachment's line says about its file."""
    return re.findall(
        r'data-attachment="\d+">\s*<a [^>]+>[^<]+</a>\s*<span class="cell-sub">([^<]*)<', html
    )


def _present(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-document="(\w+)" data-present="(\w+)"', html))


async def test_checklist_while_filling_in_and_what_a_clerk_sees(
    client: httpx.AsyncClient, office: Office
) -> None:
    case_id, path = await _draft_page(client, office)
    form = await client.get("/portal/permohonan/baru?jenis=itas_new")
    assert "Bukti bayar DKPTKA" in form.text and 'id="documents-needed"' in form.text
    change = await client.get("/portal/permohonan/baru?jenis=change_report")
    assert "Paspor baru: Halaman data paspor" in change.text
    assert "Jabatan baru: Pengesahan RPTKA" in change.text
    departure = await client.get("/portal/permohonan/baru?jenis=departure_report")
    assert 'id="documents-needed"' not in departure.text
    token = await csrf_token(client, path)
    page = await client.get(path)
    assert _present(page.text) == dict.fromkeys(WORK_PERMIT, "no")

    sent = await client.post(
        f"{path}/lampiran",
        data={"_csrf_token": token, "kind": "passport_page"},
        files={"file": ("C:\\scan\\paspor wang.pdf", pdf_bytes(), "application/pdf")},
    )
    assert sent.status_code == 303 and "pesan=identical" not in sent.headers["location"]
    page = await client.get(path)
    assert _present(page.text)["passport_page"] == "yes"
    shown = _file_lines(page.text)
    assert len(shown) == 1 and shown[0].startswith("paspor wang.pdf · ") and " KB" in shown[0]
    assert "application/pdf" not in shown[0] and "SHA-256" not in page.text
    checks = dict(re.findall(r'data-check="(\w+)" data-met="(\w+)"', page.text))
    assert checks["documents"] == "no"

    client.cookies.clear()
    await sign_in_page(client, await account("officer"))
    review = await client.get(f"/petugas/permohonan/{case_id}")
    assert review.status_code == 200
    shown = _file_lines(review.text)
    assert "application/pdf" in shown[0] and "SHA-256" in shown[0]


async def test_remove_replace_and_identical_files_before_submitting(
    client: httpx.AsyncClient, office: Office
) -> None:
    case_id, path = await _draft_page(client, office)
    token = await csrf_token(client, path)
    same = pdf_bytes()
    for kind in ("rptka", "dkptka"):
        sent = await client.post(
            f"{path}/lampiran",
            data={"_csrf_token": token, "kind": kind},
            files={"file": (f"{kind}.pdf", same, "application/pdf")},
        )
        assert sent.status_code == 303
    # The second is the same bytes as the first: added, with a warning.
    assert "pesan=identical" in sent.headers["location"]
    page = await client.get(sent.headers["location"])
    assert "sama persis dengan lampiran lain" in page.text
    assert page.text.count('data-identical="yes"') == 2
    ids = [int(i) for i in re.findall(r'data-attachment="(\d+)"', page.text)]
    rptka, dkptka = ids

    # Replace the DKPTKA proof with the right file: the old one leaves the case.
    replaced = await client.post(
        f"{path}/lampiran",
        data={"_csrf_token": token, "kind": "dkptka", "replaces": str(dkptka)},
        files={"file": ("dkptka-benar.png", image_bytes("PNG"), "image/png")},
    )
    assert replaced.status_code == 303 and "pesan=identical" not in replaced.headers["location"]
    page = await client.get(path)
    now_ids = [int(i) for i in re.findall(r'data-attachment="(\d+)"', page.text)]
    names = [line.split(" · ")[0] for line in _file_lines(page.text)]
    assert names == ["rptka.pdf", "dkptka-benar.png"] and rptka in now_ids
    assert 'data-identical="yes"' not in page.text

    removed = await client.post(f"{path}/lampiran/{rptka}/hapus", data={"_csrf_token": token})
    assert removed.status_code == 303
    page = await client.get(path)
    assert _present(page.text)["rptka"] == "no"
    assert "Lampiran dihapus" in page.text  # in the case's history

    # Once submitted, attachments are closed.
    await attach_documents(client, case_id, office.sponsor, ("passport_page", "rptka", "photo"))
    submitted = await client.post(f"{CASES}/{case_id}/submit", headers=office.sponsor)
    assert submitted.status_code == 200, submitted.text
    assert {c["id"]: c["met"] for c in submitted.json()["checks"]}["documents"] is True
    late = await client.post(f"{path}/lampiran/{now_ids[-1]}/hapus", data={"_csrf_token": token})
    assert late.status_code == 409 and "sebelum permohonan diajukan" in late.text
    assert late.headers["content-type"].startswith("text/html")


async def test_submitting_without_a_required_document_is_refused(
    client: httpx.AsyncClient, office: Office
) -> None:
    case_id, path = await _draft_page(client, office)
    await attach_documents(client, case_id, office.sponsor, ("passport_page", "dkptka", "photo"))
    saved = await client.patch(
        f"{CASES}/{case_id}", json={"position": "Chief Engineer"}, headers=office.sponsor
    )
    assert saved.status_code == 200  # a draft without its RPTKA is still saved

    refused = await client.post(f"{CASES}/{case_id}/submit", headers=office.sponsor)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "attachments",
            "reason": "Attach the required documents still missing: RPTKA approval.",
            "message_id": "Lampirkan dokumen wajib yang belum ada: Pengesahan RPTKA.",
        }
    ]
    token = await csrf_token(client, path)
    on_page = await client.post(f"{path}/ajukan", data={"_csrf_token": token})
    assert on_page.status_code == 400 and on_page.headers["content-type"].startswith("text/html")
    assert "Lampirkan dokumen wajib yang belum ada: Pengesahan RPTKA." in on_page.text
    assert 'href="#checklist"' in on_page.text
    client.cookies.set("tka_lang", "en")
    english = await client.post(f"{path}/ajukan", data={"_csrf_token": token})
    client.cookies.delete("tka_lang")
    assert "Attach the required documents still missing: RPTKA approval." in english.text
    case = (await client.get(f"{CASES}/{case_id}", headers=office.sponsor)).json()
    assert case["status"] == "draft" and case["register_number"] is None
    assert case["details"]["position"] == "Chief Engineer" and len(case["attachments"]) == 3
    assert [e["action"] for e in case["history"]][-1] == "updated"

    # With the RPTKA attached it goes in.
    await attach_documents(client, case_id, office.sponsor, ("rptka",))
    submitted = await client.post(f"{path}/ajukan", data={"_csrf_token": token})
    assert submitted.status_code == 303 and "pesan=submitted" in submitted.headers["location"]
    case = (await client.get(f"{CASES}/{case_id}", headers=office.sponsor)).json()
    assert case["status"] == "submitted" and case["register_number"]
    assert {c["id"]: c["met"] for c in case["checks"]}["documents"] is True
