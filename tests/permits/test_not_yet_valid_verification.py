"""A new ITAS approved ahead of its first day: genuine, but not yet in force, with both dates."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from httpx import AsyncClient

from tests.documents.http import decode_qr, sponsor_with_permit
from tests.factories import signed_in
from tka_registry.documents.tables import Verification


async def test_verification_says_genuine_but_not_yet_in_force(
    client: AsyncClient, tmp_path: Path
) -> None:
    officer = await signed_in(client, "officer")
    # Issued on 22 November 2026 (the tests' today), in force from 15 December.
    _, permit, _ = await sponsor_with_permit(
        client,
        officer,
        issued_on="2026-11-22",
        valid_from="2026-12-15",
        expires_on="2027-12-14",
    )
    assert permit["status"] == "not_yet_valid"
    assert (permit["issued_on"], permit["valid_from"]) == ("2026-11-22", "2026-12-15")
    document = await client.get(f"/api/v1/permits/{permit['id']}/document", headers=officer)
    assert document.status_code == 200, document.text
    (url,) = decode_qr(document.content, tmp_path)
    path = urlsplit(url).path

    answer = (await client.get("/api/v1" + path)).json()
    assert answer["outcome"] == answer["status"] == "not_yet_valid"
    assert answer["genuine"] is True
    assert (answer["issued_on"], answer["valid_from"], answer["expires_on"]) == (
        "2026-11-22",
        "2026-12-15",
        "2027-12-14",
    )
    page = await client.get(path)
    assert page.status_code == 200 and 'data-outcome="not_yet_valid"' in page.text
    assert "BELUM BERLAKU" in page.text and "NOT YET IN FORCE" in page.text
    assert "SAH dan BERLAKU" not in page.text
    assert "Berlaku dari" in page.text and "15 Desember 2026" in page.text
    assert "Tanggal terbit" in page.text and "22 November 2026" in page.text
    logged = await Verification.select(Verification.outcome).order_by(Verification.id)
    assert [row["outcome"] for row in logged] == ["not_yet_valid"] * 2
