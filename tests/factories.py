"""Records for tests, made through the same services and API the registry uses."""

from __future__ import annotations

import itertools
from typing import Any

from httpx import AsyncClient

from tka_registry.accounts.roles import Actor
from tka_registry.accounts.service import create_account
from tka_registry.rules.calendar import utc_now

PASSWORD = "correct horse battery"
_serial = itertools.count(1)

# Valid NPWP numbers (python-stdnum check digit), one per test employer.
NPWPS = ("013000666091000", "010000065004000", "028812300091000", "016579716001000")


def employer_body(index: int = 0, **changes: Any) -> dict[str, Any]:
    body = {
        "name": f"PT Contoh Industri {index + 1}",
        "nib": f"{9120000000000 + index}",
        "npwp": NPWPS[index % len(NPWPS)],
        "address": "Jl. Mayor Zen No. 1, Palembang",
        "regency": "Kota Palembang",
        "sector": "fertiliser",
        "email": f"hrd{index + 1}@contoh.co.id",
        "phone": "0711-712222",
    }
    return body | changes


def worker_body(employer_id: int | None, **changes: Any) -> dict[str, Any]:
    serial = next(_serial)
    body: dict[str, Any] = {
        "full_name": "Zhang Wei",
        "sex": "M",
        "date_of_birth": "1985-03-04",
        "place_of_birth": "Wuhan",
        "nationality": "CHN",
        "address": "Jl. Sudirman 12, Palembang",
        "regency": "Kota Palembang",
        "position": "Process Engineer",
        "employer_id": employer_id,
        "passport": {
            "number": f"E{serial:08d}",
            "issuing_country": "CHN",
            "issued_on": "2023-01-10",
            "expires_on": "2033-01-09",
        },
    }
    return body | changes


def permit_body(worker_id: int, **changes: Any) -> dict[str, Any]:
    serial = next(_serial)
    body = {
        "worker_id": worker_id,
        "kind": "ITAS",
        "visa_index": "E23C",
        "number": f"2C21AA{serial:04d}",
        "issued_on": "2026-06-01",
        "expires_on": "2027-05-31",
    }
    return body | changes


def officer_nip(serial: int) -> str:
    """A well-formed NIP (rules/nip.py): born 1985-03-04, appointed 2010-12, a man, ``serial``."""
    return f"198503042010121{serial % 999 + 1:03d}"


async def account(
    role: str, employer_id: int | None = None, email: str | None = None, *, officer: bool = True
) -> str:
    """Create an account; answers its email (the password is PASSWORD). Office staff carry a
    full name, NIP and position unless ``officer`` is False."""
    serial = next(_serial)
    email = email or f"{role}{serial}@imigrasi.test"
    identity = {}
    if officer and role in ("officer", "admin"):
        identity = {
            "full_name": f"Rina Kartika Sari {serial}",
            "nip": officer_nip(serial),
            "position": "Kepala Seksi Izin Tinggal dan Status Keimigrasian",
        }
    await create_account(
        Actor.system("tests"),
        email=email,
        role=role,
        password=PASSWORD,
        employer_id=employer_id,
        now=utc_now(),
        **identity,
    )
    return email


async def bearer(client: AsyncClient, email: str) -> dict[str, str]:
    response = await client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def signed_in(
    client: AsyncClient, role: str, employer_id: int | None = None
) -> dict[str, str]:
    return await bearer(client, await account(role, employer_id))


async def created(
    client: AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str]
) -> dict[str, Any]:
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())
