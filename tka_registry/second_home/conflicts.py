"""Conflicts of Second Home holders: employment, or another valid permit.

A Second Home holder may not take employment (most official sources on SE IMI-0740.GR.01.01/2022,
see shared/domain.md), and holds one stay permit at a time. The same person may be on record
twice: the same passport number, or the same name, birth date and nationality.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tka_registry.permits.tables import Permit
from tka_registry.second_home.facts import CaseFacts, Person, load_case
from tka_registry.second_home.schemas import CaseStatus, ConflictOut
from tka_registry.second_home.tables import SecondHomeCase
from tka_registry.workers.tables import Passport, Worker

EMPLOYED = "employed"
OTHER_PERMIT = "other_permit"


async def _same_people(worker: dict[str, Any]) -> list[dict[str, Any]]:
    """The worker row itself and every other row that is the same person."""
    numbers = [
        p["number"]
        for p in await Passport.select(Passport.number).where(Passport.worker == worker["id"])
    ]
    same_passport = (
        [
            p["worker"]
            for p in await Passport.select(Passport.worker).where(Passport.number.is_in(numbers))
        ]
        if numbers
        else []
    )
    same_identity = (
        (Worker.name_folded == worker["name_folded"])
        & (Worker.date_of_birth == worker["date_of_birth"])
        & (Worker.nationality == worker["nationality"])
    )
    condition = same_identity | (Worker.id == worker["id"])
    if same_passport:
        condition = condition | Worker.id.is_in(same_passport)
    return list(await Worker.select().where(condition).order_by(Worker.id))


async def valid_permits(worker_ids: list[int], today: date) -> list[dict[str, Any]]:
    return list(
        await Permit.select().where(
            Permit.worker.is_in(worker_ids)
            & Permit.is_current.eq(True)
            & Permit.revoked_on.is_null()
            & (Permit.expires_on >= today)
        )
    )


async def person_conflicts(
    case_row: dict[str, Any], who: Person, own_permit_id: int | None, today: date
) -> list[ConflictOut]:
    """What makes this holder's Second Home stay conflict with the registry."""
    holder = who.worker
    found: list[ConflictOut] = []

    def conflict(kind: str, detail: str, other: dict[str, Any], permit_id: int | None) -> None:
        found.append(
            ConflictOut(
                case_id=case_row["id"],
                register_number=case_row["register_number"],
                worker_id=holder["id"],
                full_name=holder["full_name"],
                kind=kind,
                detail=detail,
                other_worker_id=other["id"],
                employer_id=other["employer"],
                permit_id=permit_id,
            )
        )

    people = await _same_people(holder)
    for other in people:
        if other["employer"] is not None:
            conflict(
                EMPLOYED,
                f"listed as a worker of employer {other['employer']} (worker {other['id']}, "
                f"{other['position']}): a Second Home holder may not take employment",
                other,
                None,
            )
    by_id = {p["id"]: p for p in people}
    for permit in await valid_permits(list(by_id), today):
        if permit["id"] == own_permit_id:
            continue
        conflict(
            OTHER_PERMIT,
            f"holds another valid permit {permit['number']} ({permit['kind']} "
            f"{permit['visa_index']}) until {permit['expires_on'].isoformat()}",
            by_id[permit["worker"]],
            permit["id"],
        )
    return found


# Cases whose people are (or are about to become) Second Home holders.
_WATCHED = (CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.APPROVED)


async def case_conflicts(facts: CaseFacts, today: date) -> list[ConflictOut]:
    """Conflicts of a live case's people (principal and dependants), flagged before approval
    too; none for a rejected or revoked case."""
    if facts.row["status"] not in _WATCHED:
        return []
    found = await person_conflicts(
        facts.row, facts.principal, facts.row["principal_permit_id"], today
    )
    for dependant in facts.dependants:
        found += await person_conflicts(
            facts.row, dependant.person, dependant.row["permit_id"], today
        )
    return found


async def second_home_conflicts(today: date) -> list[ConflictOut]:
    """Every conflict of every approved Second Home case, for the intelligence views.

    ``today`` is the Asia/Jakarta day on which "valid" is judged.
    """
    found: list[ConflictOut] = []
    approved = (
        await SecondHomeCase.select(SecondHomeCase.id)
        .where(SecondHomeCase.status == CaseStatus.APPROVED)
        .order_by(SecondHomeCase.id)
    )
    for row in approved:
        found += await case_conflicts(await load_case(row["id"]), today)
    return found
