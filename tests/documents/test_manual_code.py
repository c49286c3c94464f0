"""The short code under the QR code: printed on the permit, accepted at /verify (issue 20)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from httpx import AsyncClient
from pypdf import PdfReader

from tests.documents.http import decode_qr, sponsor_with_permit
from tests.factories import signed_in
from tka_registry.documents.manual_codes import ALPHABET, check_character, code_for, parsed

CODE = re.compile(r"\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z])\b")


def test_the_check_character_catches_every_single_typo_and_neighbour_swap() -> None:
    code = code_for("any.token")
    assert len(code) == 9 and parsed(code) == code
    for position in range(9):
        for other in ALPHABET:
            if other != code[position]:
                typo = code[:position] + other + code[position + 1 :]
                assert parsed(typo) is None, typo
    for position in range(8):
        swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
        if swapped != code:
            assert parsed(swapped) is None, swapped


def test_codes_are_read_as_people_type_them() -> None:
    data = "0123ABCD"
    code = data + check_character(data)
    assert parsed(f" o123-abcd-{code[-1].lower()} ") == code  # O read as 0, any case
    assert parsed("I" + code[1:]) is None or parsed("I" + code[1:]) == "1" + code[1:]
    for garbage in ("", "ABCD", "ABCD-EFGH-JK", "ÄBCD-EFGH-J", "x" * 41, None, 12):
        assert parsed(garbage) is None


async def test_permit_prints_a_code_that_verify_accepts(
    client: AsyncClient, tmp_path: Path
) -> None:
    officer = await signed_in(client, "officer")
    _, permit, _ = await sponsor_with_permit(client, officer)
    document = await client.get(f"/api/v1/permits/{permit['id']}/document", headers=officer)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(document.content)).pages)
    printed = CODE.findall(text)
    assert printed, text
    code = printed[0]
    token = decode_qr(document.content, tmp_path)[0].rsplit("/", 1)[1]
    assert code.replace("-", "") == code_for(token)  # the code stands for the QR's token

    page = await client.get("/verify", params={"kode": code.lower().replace("-", " ")})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'data-outcome="valid"' in page.text
    assert permit["number"] in page.text  # the number to compare with the paper
    answer = (await client.get(f"/api/v1/verify/{code}")).json()
    assert answer["outcome"] == "valid" and answer["permit_number"] == permit["number"]

    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    for bad in (wrong, "ZZZZ-ZZZZ-Z", "<script>", "%00"):
        refused = await client.get("/verify", params={"kode": bad})
        assert refused.status_code == 200 and 'data-outcome="invalid"' in refused.text
    form = await client.get("/verify")
    assert form.status_code == 200 and 'name="kode"' in form.text
