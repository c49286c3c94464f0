"""A small registry for the intelligence tests, built through the API as officers build it.

Today is 2026-11-22 (tests/conftest.py NOW). The people:
- Zhang Wei (CHN), PT Pupuk Sriwidjaja, Kota Palembang, ITAS E23C valid to 2027-05-31;
- Lǐ Nà (CHN), PT Pupuk, Kota Palembang, ITAS E23M expiring 2026-12-10 (in the 30-day window);
- Arjun Sharma (IND), PT Tanjung Mining (mining), Kabupaten Musi Banyuasin, ITAS E23E valid,
  issued 2026-03-01;
- Kenji Sato (JPN), PT Tanjung, Musi Banyuasin, expired 2026-09-22 (overstay day 61);
- Emma Brown (GBR), no employer, Second Home E33 valid to 2031;
- Ahmad Razak (MYS), PT Tanjung, expired 2026-09-23 (overstay day 60);
- Park Ji-ho (KOR), PT Pupuk, permit revoked;
- Nguyen Van An (VNM), PT Pupuk, no permit at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from httpx import AsyncClient

from tests.factories import created, employer_body, permit_body, signed_in, worker_body


@dataclass
class Registry:
    intel: dict[str, str]
    officer: dict[str, str]
    employers: dict[str, dict[str, Any]]
    workers: dict[str, dict[str, Any]]
    permits: dict[str, dict[str, Any]]


async def _worker(
    client: AsyncClient, officer: dict[str, str], employer_id: int | None, **changes: Any
) -> dict[str, Any]:
    return await created(client, "/api/v1/workers", worker_body(employer_id, **changes), officer)


async def _permit(
    client: AsyncClient, officer: dict[str, str], worker_id: int, **changes: Any
) -> dict[str, Any]:
    return await created(client, "/api/v1/permits", permit_body(worker_id, **changes), officer)


@pytest.fixture
async def registry(client: AsyncClient) -> Registry:
    officer = await signed_in(client, "officer")
    intel = await signed_in(client, "intelligence")
    pupuk = await created(
        client, "/api/v1/employers", employer_body(0, name="PT Pupuk Sriwidjaja"), officer
    )
    tanjung = await created(
        client,
        "/api/v1/employers",
        employer_body(
            1, name="PT Tanjung Mining", regency="Kabupaten Musi Banyuasin", sector="mining"
        ),
        officer,
    )
    mub = "Kabupaten Musi Banyuasin"
    people = {
        "zhang": (pupuk["id"], {"full_name": "Zhang Wei"}),
        "li": (pupuk["id"], {"full_name": "Lǐ Nà", "sex": "F", "position": "Chemist"}),
        "arjun": (
            tanjung["id"],
            {"full_name": "Arjun Sharma", "nationality": "IND", "regency": mub},
        ),
        "kenji": (tanjung["id"], {"full_name": "Kenji Sato", "nationality": "JPN", "regency": mub}),
        "emma": (None, {"full_name": "Emma Brown", "nationality": "GBR", "sex": "F"}),
        "ahmad": (
            tanjung["id"],
            {"full_name": "Ahmad Razak", "nationality": "MYS", "regency": mub},
        ),
        "park": (pupuk["id"], {"full_name": "Park Ji-ho", "nationality": "KOR"}),
        "nguyen": (pupuk["id"], {"full_name": "Nguyen Van An", "nationality": "VNM"}),
    }
    workers = {
        key: await _worker(client, officer, employer, **changes)
        for key, (employer, changes) in people.items()
    }
    w = {key: worker["id"] for key, worker in workers.items()}
    permits = {
        "zhang": await _permit(client, officer, w["zhang"]),
        "li": await _permit(
            client,
            officer,
            w["li"],
            visa_index="E23M",
            issued_on="2025-12-11",
            expires_on="2026-12-10",
        ),
        "arjun": await _permit(
            client,
            officer,
            w["arjun"],
            visa_index="E23E",
            issued_on="2026-03-01",
            expires_on="2027-02-28",
        ),
        "kenji": await _permit(
            client, officer, w["kenji"], issued_on="2025-09-23", expires_on="2026-09-22"
        ),
        "emma": await _permit(
            client,
            officer,
            w["emma"],
            visa_index="E33",
            issued_on="2026-01-05",
            expires_on="2031-01-04",
        ),
        "ahmad": await _permit(
            client, officer, w["ahmad"], issued_on="2025-09-24", expires_on="2026-09-23"
        ),
        "park": await _permit(client, officer, w["park"]),
    }
    revoked = await client.patch(
        f"/api/v1/permits/{permits['park']['id']}",
        json={"revoked_on": "2026-10-01", "revocation_reason": "pelanggaran izin"},
        headers=officer,
    )
    assert revoked.status_code == 200, revoked.text
    return Registry(
        intel=intel,
        officer=officer,
        employers={"pupuk": pupuk, "tanjung": tanjung},
        workers=workers,
        permits=permits,
    )
