"""Registry rows for the alert tests, written straight to the tables (the alerts only read them)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from tka_registry.employers.tables import Employer
from tka_registry.permits.current import refresh_current_permits
from tka_registry.permits.tables import Permit
from tka_registry.rules.calendar import utc_now
from tka_registry.workers.tables import Passport, Worker

_serial = itertools.count(1)


async def employer(name: str, email: str) -> int:
    n = next(_serial)
    now = utc_now()
    rows = await Employer.insert(
        Employer(
            name=name,
            nib=f"{8120000000000 + n}",
            npwp=f"{10000000000000 + n:016d}",
            address="Jl. Mayor Ruslan, Palembang",
            regency="Kota Palembang",
            sector="pulp and paper",
            email=email,
            phone="0711-1",
            created_at=now,
            updated_at=now,
        )
    )
    return int(rows[0]["id"])


async def worker(employer_id: int | None, name: str, nationality: str = "CHN") -> int:
    now = utc_now()
    rows = await Worker.insert(
        Worker(
            full_name=name,
            name_folded=name.lower(),
            sex="M",
            date_of_birth=date(1985, 3, 4),
            place_of_birth="Wuhan",
            nationality=nationality,
            address="Jl. Sudirman 1",
            regency="Kota Palembang",
            position="Engineer",
            employer=employer_id,
            created_at=now,
            updated_at=now,
        )
    )
    worker_id = int(rows[0]["id"])
    await Passport.insert(
        Passport(
            worker=worker_id,
            number=f"E{worker_id:08d}",
            issuing_country=nationality,
            issued_on=date(2023, 1, 10),
            expires_on=date(2033, 1, 9),
            created_at=now,
        )
    )
    return worker_id


async def permit(
    worker_id: int,
    employer_id: int | None,
    expires_on: date,
    *,
    visa_index: str = "E23C",
    is_current: bool = True,
    issued_on: date | None = None,
    valid_from: date | None = None,
    revoked_on: date | None = None,
    supersedes: int | None = None,
) -> tuple[int, str]:
    """A permit (valid from its issue day unless told); answers its id and number."""
    number = f"2C21PL{next(_serial):05d}"
    issued_on = issued_on or expires_on - timedelta(days=365)
    rows = await Permit.insert(
        Permit(
            worker=worker_id,
            kind="ITAS",
            visa_index=visa_index,
            number=number,
            issued_on=issued_on,
            valid_from=valid_from or issued_on,
            expires_on=expires_on,
            employer=employer_id,
            supersedes=supersedes,
            is_current=is_current,
            revoked_on=revoked_on,
            revocation_reason="Dicabut" if revoked_on else None,
            created_at=utc_now() - timedelta(days=30),
        )
    )
    await refresh_current_permits([worker_id])
    return int(rows[0]["id"]), number


async def employed(
    employer_id: int, name: str, expires_on: date, nationality: str = "CHN"
) -> tuple[int, str]:
    """A worker of ``employer_id`` with a current permit; answers the permit id and number."""
    worker_id = await worker(employer_id, name, nationality)
    return await permit(worker_id, employer_id, expires_on)
