"""The QR code on page 1 decodes (pdftoppm + zbarimg) to the verify URL, whose token verifies."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tka_registry.documents import signing
from tka_registry.documents.render import PermitDocument, render_permit


def decode_first_page(pdf: bytes, folder: Path) -> list[str]:
    (folder / "permit.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "150",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(folder / "permit.pdf"),
            str(folder / "page"),
        ],
        check=True,
    )
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(folder / "page.png")],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def test_qr_code_decodes_to_verify_url_with_a_valid_token(
    make_permit: Callable[..., PermitDocument], signing_key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    permit = make_permit()
    decoded = decode_first_page(render_permit(permit), tmp_path)
    assert decoded == [permit.verify_url]
    base, token = decoded[0].split("/verify/")
    assert base == "https://tka.imigrasi-palembang.go.id"
    statement = signing.verify_token(signing_key.public_key(), token)
    assert statement is not None
    assert (statement.permit_number, statement.holder_initials) == ("2C21JD0123-AB", "ZW")
    assert (statement.nationality, statement.expires_on) == ("CHN", permit.expires_on)
