"""Realistic demo records for the office's area, the same for the same seed.

Running it again with the same seed adds nothing: employers are matched by NIB, workers by
passport, permits by number and accounts by email.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from stdnum import luhn

from tka_registry.accounts.passwords import hash_password
from tka_registry.accounts.roles import Actor, Role
from tka_registry.accounts.tables import Account
from tka_registry.audit.service import record
from tka_registry.db import refresh_statistics, write_transaction
from tka_registry.demo.people import BIRTH_PLACES, EMPLOYERS, NAMES, NATIONALITY_WEIGHTS, STREETS
from tka_registry.employers.tables import Employer
from tka_registry.permits.current import refresh_current_permits
from tka_registry.permits.tables import Permit
from tka_registry.rules.calendar import add_years
from tka_registry.rules.nationality import fold
from tka_registry.workers.tables import Passport, Worker

FAMILY_NAME_FIRST = {"CHN", "KOR", "TWN", "JPN"}
BATCH = 400


@dataclass
class DemoSummary:
    employers: int = 0
    workers: int = 0
    permits: int = 0
    accounts: list[tuple[str, str, str]] = field(default_factory=list)
    employer_ids: dict[str, int] = field(default_factory=dict)  # by name, in EMPLOYERS order


def demo_password(seed: int) -> str:
    """The demo accounts' password: known, printed, and only for demo data."""
    return f"demo-palembang-{seed}"


def _npwp(rng: random.Random) -> str:
    """A valid old-format NPWP: 9 digits with a Luhn check digit, office and branch codes."""
    body = f"{rng.randrange(1, 10)}{rng.randrange(10**7):07d}"
    return body + luhn.calc_check_digit(body) + f"{rng.randrange(300, 320):03d}000"


def _employer_rows(rng: random.Random, seed: int, now: datetime) -> list[dict[str, Any]]:
    rows = []
    for index, (name, sector, regency, _, _) in enumerate(EMPLOYERS):
        slug = "".join(ch for ch in name.lower().split(" ", 1)[1] if ch.isalnum())[:16]
        rows.append(
            {
                "name": name,
                "nib": f"{9000000000000 + seed * 1000 + index}"[-13:],
                "npwp": _npwp(rng),
                "address": f"{rng.choice(STREETS)} No. {rng.randrange(1, 200)}, {regency}",
                "regency": regency,
                "sector": sector,
                "email": f"hrd@{slug}.co.id",
                "phone": f"0711-{rng.randrange(300000, 899999)}",
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _person(rng: random.Random, nationality: str) -> tuple[str, str]:
    given, family = NAMES[nationality]
    first, last = rng.choice(given), rng.choice(family)
    name = f"{last} {first}" if nationality in FAMILY_NAME_FIRST else f"{first} {last}"
    return name, rng.choice(("M", "M", "M", "F"))


def _permit_chain(
    rng: random.Random, today: date, second_home: bool
) -> list[tuple[date, date, date | None]]:
    """(issued, expires, revoked_on) oldest first; the last is current.

    Every permit has begun by ``today``: an ITAS runs one or two years (two when it ends more
    than a year ahead), Second Home five; earlier links are as long as the current one, since
    an E23 extension may not be longer than the first grant (shared/domain.md).
    """
    roll = rng.random()
    if roll < 0.05:
        expires = today - timedelta(days=rng.randrange(1, 150))  # overstay
    elif roll < 0.14:
        expires = today + timedelta(days=rng.randrange(0, 31))  # in the extension window
    else:
        expires = today + timedelta(days=rng.randrange(31, 700))
    if second_home:
        length = 5
    else:
        length = rng.choice((1, 2)) if expires < add_years(today, 1) else 2
    issued = add_years(expires, -length) + timedelta(days=1)
    revoked_on = min(issued + timedelta(days=100), today) if rng.random() < 0.01 else None
    chain: list[tuple[date, date, date | None]] = [(issued, expires, revoked_on)]
    for _ in range(0 if second_home else rng.choice((0, 0, 1, 2))):
        previous_expires = chain[0][0] - timedelta(days=1)
        chain.insert(
            0, (add_years(previous_expires, -length) + timedelta(days=1), previous_expires, None)
        )
    return chain


async def _insert(table: Any, rows: list[dict[str, Any]]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        inserted = await table.insert(*[table(**row) for row in chunk])
        ids.extend(row["id"] for row in inserted)
    return ids


async def _employers(rng: random.Random, seed: int, now: datetime) -> dict[str, int]:
    rows = _employer_rows(rng, seed, now)
    existing = {r["nib"]: r["id"] for r in await Employer.select(Employer.id, Employer.nib)}
    fresh = [row for row in rows if row["nib"] not in existing]
    ids = await _insert(Employer, fresh)
    existing.update({row["nib"]: new_id for row, new_id in zip(fresh, ids, strict=True)})
    return {row["name"]: existing[row["nib"]] for row in rows}


def _worker_plan(
    rng: random.Random, seed: int, count: int, today: date, employer_ids: dict[str, int]
) -> Iterable[dict[str, Any]]:
    for index in range(count):
        nationality = _weighted(rng, NATIONALITY_WEIGHTS)
        second_home = rng.random() < 0.015
        employer = None if second_home else rng.choice(EMPLOYERS)
        name, sex = _person(rng, nationality)
        passport_issued = today - timedelta(days=rng.randrange(30, 1400))
        chain = _permit_chain(rng, today, second_home)
        yield {
            "index": index,
            "worker": {
                "full_name": name,
                "name_folded": fold(name),
                "sex": sex,
                "date_of_birth": date(
                    rng.randrange(1962, 2001), rng.randrange(1, 13), rng.randrange(1, 29)
                ),
                "place_of_birth": rng.choice(BIRTH_PLACES[nationality]),
                "nationality": nationality,
                "address": f"{rng.choice(STREETS)} No. {rng.randrange(1, 300)}",
                "regency": employer[2] if employer else "Kota Palembang",
                "position": rng.choice(employer[4]) if employer else "Second Home",
                "employer": employer_ids[employer[0]] if employer else None,
            },
            "passport": {
                "number": f"{nationality[0]}{seed % 10}{index:07d}",
                "issuing_country": nationality,
                "issued_on": passport_issued,
                "expires_on": add_years(passport_issued, 10) - timedelta(days=1),
            },
            "visa_index": "E33" if second_home else employer[3] if employer else "E23",
            "chain": chain,
        }


async def load_demo_data(
    *, workers: int, seed: int, today: date, now: datetime, with_accounts: bool = True
) -> DemoSummary:
    """Insert what is missing of the demo data for ``seed``; one transaction."""
    rng = random.Random(seed)
    summary = DemoSummary()
    async with write_transaction(Worker._meta.db):
        employer_ids = await _employers(rng, seed, now)
        summary.employers = len(employer_ids)
        summary.employer_ids = employer_ids
        plan = list(_worker_plan(rng, seed, workers, today, employer_ids))
        known = {
            (r["number"], r["issuing_country"])
            for r in await Passport.select(Passport.number, Passport.issuing_country)
        }
        plan = [
            p
            for p in plan
            if (p["passport"]["number"], p["passport"]["issuing_country"]) not in known
        ]
        stamp = {"created_at": now, "updated_at": now}
        worker_ids = await _insert(Worker, [p["worker"] | stamp for p in plan])
        await _insert(
            Passport,
            [
                p["passport"] | {"worker": wid, "created_at": now}
                for p, wid in zip(plan, worker_ids, strict=True)
            ],
        )
        summary.workers = len(worker_ids)
        summary.permits = await _permits(plan, worker_ids, seed, now)
        if with_accounts:
            summary.accounts = await _accounts(seed, employer_ids, now)
        await record(
            Actor.system("demo-data"),
            "demo.load",
            "registry",
            seed,
            {
                "employers": summary.employers,
                "workers": summary.workers,
                "permits": summary.permits,
            },
        )
    await refresh_statistics(Worker._meta.db, summary.workers)
    return summary


async def _permits(
    plan: list[dict[str, Any]], worker_ids: list[int], seed: int, now: datetime
) -> int:
    total = 0
    depth = max((len(p["chain"]) for p in plan), default=0)
    previous: dict[int, int] = {}
    # Insert each generation of the chains in turn, so ``supersedes`` can name the one before.
    for generation in range(depth):
        rows, owners = [], []
        for p, worker_id in zip(plan, worker_ids, strict=True):
            chain = p["chain"]
            offset = generation - (depth - len(chain))
            if offset < 0:
                continue
            issued, expires, revoked_on = chain[offset]
            number_tail = f"{seed % 10}{generation}{p['index']:06d}"
            current = offset == len(chain) - 1
            rows.append(
                {
                    "worker": worker_id,
                    "kind": "ITAS",
                    "visa_index": p["visa_index"],
                    "number": f"2C{number_tail}",
                    # Documents print the register number of the application behind a permit.
                    "register_number": f"W9-PLB-{issued.year}-D{number_tail}",
                    "issued_on": issued,
                    "valid_from": issued,
                    "expires_on": expires,
                    "employer": p["worker"]["employer"],
                    "supersedes": previous.get(worker_id),
                    "is_current": current,
                    "revoked_on": revoked_on,
                    "revocation_reason": "Izin tinggal dicabut: penjamin mencabut jaminan"
                    if revoked_on
                    else None,
                    "created_at": now,
                }
            )
            owners.append(worker_id)
        ids = await _insert(Permit, rows)
        previous.update(zip(owners, ids, strict=True))
        total += len(ids)
    await refresh_current_permits(worker_ids)
    return total


# The demo office's staff who sign letters: full name, NIP (rules/nip.py) and position.
DEMO_OFFICERS: dict[str, tuple[str, str, str]] = {
    "admin@demo.tka.local": (
        "Ahmad Fauzi, S.Kom.",
        "198807122012121002",
        "Kepala Seksi Teknologi Informasi dan Komunikasi Keimigrasian",
    ),
    "petugas@demo.tka.local": (
        "Rina Kartika Sari, S.H.",
        "199002142014032001",
        "Kepala Seksi Izin Tinggal dan Status Keimigrasian",
    ),
    "intel@demo.tka.local": (
        "Budi Santoso, S.Sos.",
        "198611052010011003",
        "Kepala Seksi Intelijen dan Penindakan Keimigrasian",
    ),
}


async def _accounts(
    seed: int, employer_ids: dict[str, int], now: datetime
) -> list[tuple[str, str, str]]:
    password = demo_password(seed)
    wanted: list[tuple[str, Role, int | None]] = [
        ("admin@demo.tka.local", Role.ADMIN, None),
        ("petugas@demo.tka.local", Role.OFFICER, None),
        ("intel@demo.tka.local", Role.INTELLIGENCE, None),
    ]
    for number, employer_id in enumerate(list(employer_ids.values())[:3], start=1):
        wanted.append((f"penjamin{number}@demo.tka.local", Role.EMPLOYER, employer_id))
    existing = {r["email"]: r["nip"] for r in await Account.select(Account.email, Account.nip)}
    password_hash = await hash_password(password)
    rows = [
        {
            "email": email,
            "password_hash": password_hash,
            "role": role.value,
            "employer": employer_id,
            "is_active": True,
            "failed_signins": 0,
            "password_changed_at": now,
            "created_at": now,
            **_identity(email),
        }
        for email, role, employer_id in wanted
        if email not in existing
    ]
    await _insert(Account, rows)
    for email in DEMO_OFFICERS:
        if email in existing and not existing[email]:  # a demo made before officers signed
            changes: dict[Any, Any] = dict(_identity(email))
            await Account.update(changes).where(Account.email == email)
    return [(email, role.value, password) for email, role, _ in wanted]


def _identity(email: str) -> dict[str, Any]:
    name, nip, position = DEMO_OFFICERS.get(email, ("", "", ""))
    return {"full_name": name, "nip": nip or None, "position": position}
