"""The office's view of one person: the worker with every passport and permit, the cases, the
audit of the record, and the two actions taken from it (revoke, record a departure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from piccolo.columns.combination import Combinable

from tka_registry.accounts.roles import Actor
from tka_registry.applications import decisions
from tka_registry.applications import service as applications
from tka_registry.applications.schemas import ApplicationIn, ApplicationKind, DecisionIn
from tka_registry.applications.tables import Application
from tka_registry.audit.tables import AuditEntry
from tka_registry.db import write_transaction
from tka_registry.employers.tables import Employer
from tka_registry.errors import Conflict
from tka_registry.permits.schemas import PermitOut, PermitRevocation
from tka_registry.permits.service import revoke_permit
from tka_registry.second_home.tables import SecondHomeCase, SecondHomeDependant
from tka_registry.settings import Settings
from tka_registry.workers.schemas import WorkerOut
from tka_registry.workers.service import get_worker

AUDIT_LIMIT = 100


@dataclass(frozen=True)
class WorkerRecord:
    worker: WorkerOut
    employer_name: str | None
    # Applications and Second Home cases, oldest first: {kind, id, register_number, status,
    # created_at, path}
    cases: list[dict[str, Any]]
    audit: list[dict[str, Any]]

    @property
    def current_permit(self) -> PermitOut | None:
        """The head of the chain while it is not revoked: the one an officer can act on."""
        return next(
            (p for p in self.worker.permits if p.superseded_by_id is None and p.revoked_on is None),
            None,
        )


async def _cases(worker_id: int) -> list[dict[str, Any]]:
    applications_rows = (
        await Application.select(
            Application.id,
            Application.kind,
            Application.register_number,
            Application.status,
            Application.created_at,
        )
        .where(Application.worker == worker_id)
        .order_by(Application.created_at)
    )
    dependant_of = SecondHomeDependant.select(SecondHomeDependant.second_home_case).where(
        SecondHomeDependant.worker == worker_id
    )
    second_home = await SecondHomeCase.select(
        SecondHomeCase.id,
        SecondHomeCase.register_number,
        SecondHomeCase.status,
        SecondHomeCase.created_at,
    ).where((SecondHomeCase.principal == worker_id) | SecondHomeCase.id.is_in(dependant_of))
    cases = [{**row, "path": f"/petugas/permohonan/{row['id']}"} for row in applications_rows] + [
        {**row, "kind": "second_home", "path": f"/petugas/rumah-kedua/{row['id']}"}
        for row in second_home
    ]
    return sorted(cases, key=lambda case: (case["created_at"], case["id"]))


async def _audit(
    worker_id: int, permit_ids: list[int], case_ids: list[int]
) -> list[dict[str, Any]]:
    condition: Combinable = (AuditEntry.object_type == "worker") & (
        AuditEntry.object_id == str(worker_id)
    )
    for object_type, ids in (("permit", permit_ids), ("application", case_ids)):
        if ids:
            condition = condition | (
                (AuditEntry.object_type == object_type)
                & AuditEntry.object_id.is_in([str(i) for i in ids])
            )
    return list(
        await AuditEntry.select(
            AuditEntry.at,
            AuditEntry.actor,
            AuditEntry.role,
            AuditEntry.action,
            AuditEntry.object_type,
            AuditEntry.object_id,
        )
        .where(condition)
        .order_by(AuditEntry.sequence, ascending=False)
        .limit(AUDIT_LIMIT)
    )


async def worker_record(
    actor: Actor, worker_id: int, *, settings: Settings, today: date
) -> WorkerRecord:
    worker = await get_worker(actor, worker_id, settings=settings, today=today)
    employer = None
    if worker.employer_id is not None:
        row = await Employer.select(Employer.name).where(Employer.id == worker.employer_id).first()
        employer = row["name"] if row else None
    cases = await _cases(worker_id)
    application_ids = [c["id"] for c in cases if c["kind"] != "second_home"]
    audit = await _audit(worker_id, [p.id for p in worker.permits], application_ids)
    return WorkerRecord(worker=worker, employer_name=employer, cases=cases, audit=audit)


async def revoke_current_permit(
    actor: Actor,
    record: WorkerRecord,
    revocation: PermitRevocation,
    *,
    settings: Settings,
    today: date,
) -> PermitOut:
    """Revoke the worker's current permit (permits.service decides whether it may be)."""
    permit = record.current_permit
    if permit is None:
        raise Conflict("permit", "this worker holds no permit that can be revoked")
    return await revoke_permit(actor, permit.id, revocation, today=today, settings=settings)


async def record_departure(
    actor: Actor,
    record: WorkerRecord,
    departed_on: date,
    *,
    settings: Settings,
    today: date,
    now: datetime,
) -> int:
    """The worker left Indonesia: a departure report filed, submitted and approved by the
    officer in one transaction, so it has a register number and ends the permit that day like
    any approved report. Answers the case id."""
    worker = record.worker
    if worker.employer_id is None:
        raise Conflict("employer", "a departure report needs the worker's employer (sponsor)")
    async with write_transaction(Application._meta.db):
        case = await applications.create_application(
            actor,
            ApplicationIn(
                kind=ApplicationKind.DEPARTURE_REPORT,
                employer_id=worker.employer_id,
                worker_id=worker.id,
                departed_on=departed_on,
            ),
            settings=settings,
            today=today,
            now=now,
        )
        await applications.submit_application(
            actor, case.id, settings=settings, today=today, now=now
        )
        await decisions.decide(
            actor,
            case.id,
            DecisionIn(decision="approve", message="Dicatat oleh petugas"),
            settings=settings,
            today=today,
            now=now,
        )
    return case.id
