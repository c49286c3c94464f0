"""The facts :func:`tka_registry.rules.next_action.next_action` reads, for a page of workers.

Four queries for any number of workers (passports, departures, open extensions, Second Home
proofs owed); the decision itself stays in the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tka_registry.applications.schemas import ApplicationKind, ApplicationStatus
from tka_registry.applications.tables import Application
from tka_registry.rules.next_action import NextAction, Standing, next_action
from tka_registry.rules.second_home import proof_deadline
from tka_registry.second_home.schemas import CaseStatus
from tka_registry.second_home.tables import SecondHomeCase
from tka_registry.settings import Settings
from tka_registry.workers.schemas import WorkerOut
from tka_registry.workers.tables import Passport

OPEN = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED)


@dataclass(frozen=True)
class CurrentPermitFacts:
    """The worker's current permit as a page already holds it."""

    status: str  # permits.state status, or "none"
    kind: str | None = None
    valid_from: date | None = None
    expires_on: date | None = None


@dataclass(frozen=True)
class NextStep:
    action: NextAction
    standing: Standing
    case_id: int | None = None  # the open extension, or the Second Home case owing proof

    @property
    def due_on(self) -> date | None:
        """The last day for the action: the permit's expiry, or the proof deadline."""
        s = self.standing
        if self.action == NextAction.LODGE_PROOF:
            return s.proof_deadline
        if self.action in (NextAction.EXTEND, NextAction.FOLLOW_CASE):
            return s.permit_expires_on
        if self.action == NextAction.RENEW_PASSPORT:
            return s.passport_expires_on
        return None


def current_of(worker: WorkerOut) -> CurrentPermitFacts:
    """The current permit of a worker page (the head of its chain)."""
    head = next((p for p in worker.permits if p.superseded_by_id is None), None)
    if head is None:
        return CurrentPermitFacts("none")
    return CurrentPermitFacts(worker.status, head.kind, head.valid_from, head.expires_on)


async def next_steps(
    permits: dict[int, CurrentPermitFacts], *, settings: Settings
) -> dict[int, NextStep]:
    """The next step of each worker id in ``permits`` (its current permit's facts)."""
    ids = list(permits)
    if not ids:
        return {}
    passports = await _longest_passports(ids)
    departures = await _departures(ids)
    extensions = await _open_extensions(ids)
    proofs = await _proofs_owed(ids, settings)
    steps = {}
    for worker_id, permit in permits.items():
        departed_on = departures.get(worker_id)
        departed = departed_on is not None and (
            permit.valid_from is None or departed_on >= permit.valid_from
        )
        proof = proofs.get(worker_id)
        standing = Standing(
            permit_status=permit.status,
            permit_kind=permit.kind,
            permit_expires_on=permit.expires_on,
            passport_expires_on=passports.get(worker_id),
            departed=departed,
            open_extension=worker_id in extensions,
            proof_deadline=proof[1] if proof else None,
        )
        action = next_action(standing)
        case_id = None
        if action == NextAction.FOLLOW_CASE:
            case_id = extensions[worker_id]
        elif action == NextAction.LODGE_PROOF and proof:
            case_id = proof[0]
        steps[worker_id] = NextStep(action, standing, case_id)
    return steps


async def _longest_passports(ids: Iterable[int]) -> dict[int, date]:
    rows = await Passport.select(Passport.worker, Passport.expires_on).where(
        Passport.worker.is_in(list(ids)) & Passport.expires_on.is_not_null()
    )
    longest: dict[int, date] = {}
    for row in rows:
        day = row["expires_on"]
        if row["worker"] not in longest or day > longest[row["worker"]]:
            longest[row["worker"]] = day
    return longest


async def _departures(ids: list[int]) -> dict[int, date]:
    rows = await Application.select(Application.worker, Application.departed_on).where(
        Application.worker.is_in(ids)
        & (Application.kind == ApplicationKind.DEPARTURE_REPORT.value)
        & (Application.status == ApplicationStatus.APPROVED.value)
        & Application.departed_on.is_not_null()
    )
    latest: dict[int, date] = {}
    for row in rows:
        if row["worker"] not in latest or row["departed_on"] > latest[row["worker"]]:
            latest[row["worker"]] = row["departed_on"]
    return latest


async def _open_extensions(ids: list[int]) -> dict[int, int]:
    rows = (
        await Application.select(Application.id, Application.worker)
        .where(
            Application.worker.is_in(ids)
            & (Application.kind == ApplicationKind.ITAS_EXTENSION.value)
            & Application.status.is_in([s.value for s in OPEN])
        )
        .order_by(Application.id)
    )
    return {row["worker"]: row["id"] for row in rows}


async def _proofs_owed(ids: list[int], settings: Settings) -> dict[int, tuple[int, date]]:
    """Approved Second Home cases whose principal has not lodged the proof: (case, deadline)."""
    rows = await SecondHomeCase.select(
        SecondHomeCase.id, SecondHomeCase.principal, SecondHomeCase.decided_on
    ).where(
        SecondHomeCase.principal.is_in(ids)
        & (SecondHomeCase.status == CaseStatus.APPROVED.value)
        & SecondHomeCase.proof_lodged_on.is_null()
        & SecondHomeCase.principal_permit_id.is_not_null()
        & SecondHomeCase.decided_on.is_not_null()
    )
    days = settings.second_home_proof_deadline_days
    return {row["principal"]: (row["id"], proof_deadline(row["decided_on"], days)) for row in rows}
