"""The Second Home approval letter a holder could be handed, and the permit without a sponsor."""

from __future__ import annotations

from tests.second_home.conftest import case_body, decide, entered
from tests.second_home.test_second_home_approval import pdf_text
from tka_registry.documents.tables import IssuedLetter


def _flat(text: str) -> str:
    return " ".join(text.split())


async def test_letter_lists_dependants_the_proof_deadline_and_the_officer(
    client, officer, artifacts
) -> None:
    case = await entered(client, officer, case_body())
    approved = await decide(client, officer, case["id"], decided_on="2026-11-20")
    assert approved.status_code == 200, approved.text
    letter = await client.get(f"/api/v1/second-home/{case['id']}/approval-letter", headers=officer)
    (artifacts / "second-home-approval-letter.pdf").write_bytes(letter.content)
    text = _flat(pdf_text(letter.content))

    issued = await IssuedLetter.select().first()
    assert issued["owner_type"] == "second_home_case" and issued["owner_id"] == case["id"]
    assert issued["number"] == "W9.IMI.IMI.1-GR.01.01-SETUJU.0001/2026"
    assert issued["number"] in text
    assert "a.n. Kepala Kantor Imigrasi Kelas I TPI Palembang" in text
    assert issued["officer_name"] in text and f"NIP {issued['officer_nip']}" in text
    # Every dependant with relation and own permit number.
    for dependant in approved.json()["dependants"]:
        assert dependant["full_name"] in text
        assert dependant["permit"]["number"] in text
    assert "Suami/Istri" in text and "Anak" in text
    # 90 days from the issue on 20 November 2026: 18 February 2027.
    assert "dalam 90 hari" in text and "paling lambat 18 Februari 2027" in text
    assert "no later than 18 February 2027" in text
    assert "tidak diperkenankan bekerja" in text
    assert "Penjamin wajib" not in text  # no sponsor's duties on a letter without a sponsor


async def test_a_second_home_permit_says_it_has_no_sponsor(client, officer) -> None:
    case = await entered(client, officer, case_body(dependants=[]))
    approved = (await decide(client, officer, case["id"])).json()
    permit = approved["principal"]["permit"]
    document = await client.get(f"/api/v1/permits/{permit['id']}/document", headers=officer)
    text = _flat(pdf_text(document.content))
    assert "Tanpa penjamin (Izin Tinggal Rumah Kedua, PP 48/2021 Pasal 103)" in text
    assert "Penjamin / Pemberi Kerja" not in text and "Rumah Kedua Second Home" not in text
