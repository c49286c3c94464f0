"""Shared steps of the document HTTP tests: a sponsor, a worker and an issued permit."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from httpx import AsyncClient

from tests.factories import account, bearer, created, employer_body, permit_body, worker_body


async def sponsor_with_permit(
    client: AsyncClient, officer: dict[str, str], index: int = 0, **permit_changes: Any
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(employer, permit, the employer's auth headers) for a new worker with an issued permit."""
    employer = await created(
        client,
        "/api/v1/employers",
        employer_body(index, name=f"PT Pupuk Sriwidjaja {index}"),
        officer,
    )
    worker = await created(
        client,
        "/api/v1/workers",
        worker_body(employer["id"], full_name="Zhang Wei Ming"),
        officer,
    )
    body = permit_body(worker["id"], register_number=f"REG-2026-{worker['id']:06d}")
    permit = await created(client, "/api/v1/permits", body | permit_changes, officer)
    headers = await bearer(client, await account("employer", employer["id"]))
    return employer, permit, headers


def decode_qr(pdf: bytes, folder: Path) -> list[str]:
    """The QR codes on page 1: pdftoppm to PNG, then zbarimg."""
    (folder / "document.pdf").write_bytes(pdf)
    subprocess.run(
        [
            *("pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile"),
            str(folder / "document.pdf"),
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
