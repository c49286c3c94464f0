"""What an application form offers: the employer's workers each kind applies to
(rules.next_action), the regencies and the E23 indexes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from tka_registry.accounts.roles import Actor
from tka_registry.applications.checklist import REQUIRED, REQUIRED_FOR_CHANGE
from tka_registry.applications.schemas import ApplicationKind
from tka_registry.choices import ATTACHMENT_KINDS
from tka_registry.errors import NotFound
from tka_registry.permits.tables import VisaIndex
from tka_registry.rules.next_action import Standing, may_apply_new, may_extend, may_report
from tka_registry.rules.permits import PermitKind, PermitStatus
from tka_registry.settings import Settings
from tka_registry.workers.next_steps import CurrentPermitFacts, next_steps
from tka_registry.workers.queries import WorkerFilters, list_workers
from tka_registry.workers.schemas import WorkerSummary
from tka_registry.workers.service import get_worker

FORM_WORKERS = 200  # workers a form's list offers at most


async def form_context(
    actor: Actor, kind: str, settings: Settings, today: date, *, keep: int | None = None
) -> dict[str, Any]:
    """The choices a form offers: the employer's workers the kind applies to (plus ``keep``,
    the worker a saved case already names), the regencies, the E23 indexes."""
    offered = await offered_workers(actor, kind, settings, today)
    workers = [(str(w.id), _worker_label(w.full_name, w.passport_number)) for w in offered]
    if keep is not None and keep not in {w.id for w in offered}:
        try:
            kept = await get_worker(actor, keep, settings=settings, today=today)
        except NotFound:  # not this employer's worker (or none): the form offers the list
            kept = None
        if kept is not None:
            passport = kept.passports[0].number if kept.passports else None
            workers.insert(0, (str(kept.id), _worker_label(kept.full_name, passport)))
    indexes = await VisaIndex.select(VisaIndex.code, VisaIndex.name_id, VisaIndex.name_en).where(
        VisaIndex.active.eq(True) & (VisaIndex.category == "work")
    )
    return {
        "kind": kind,
        "workers": workers,
        "regencies": [(r, r) for r in settings.regencies],
        "visa_indexes": indexes,
        # The checklist to come (applications.checklist), shown while the form is filled in.
        "documents": [ATTACHMENT_KINDS[doc].pair for doc in REQUIRED[ApplicationKind(kind)]],
        "change_documents": {
            change.value: [ATTACHMENT_KINDS[doc].pair for doc in docs]
            for change, docs in REQUIRED_FOR_CHANGE.items()
            if docs
        },
        "notice": "",
    }


# Which of the employer's workers each kind's form offers (rules.next_action).
OFFERS: dict[str, Callable[[Standing], bool]] = {
    ApplicationKind.ITAS_NEW: may_apply_new,
    ApplicationKind.ITAS_EXTENSION: may_extend,
    ApplicationKind.CHANGE_REPORT: may_report,
    ApplicationKind.DEPARTURE_REPORT: may_report,
}


def _worker_label(name: str, passport: str | None) -> str:
    return f"{name} ({passport or '-'})"


async def offered_workers(
    actor: Actor, kind: str, settings: Settings, today: date
) -> list[WorkerSummary]:
    """The employer's workers a ``kind`` application applies to, by name."""
    # An extension needs an ITAS inside its window: narrowed in SQL before the rule decides.
    narrowed = (
        WorkerFilters(status=PermitStatus.EXPIRING.value, kind=PermitKind.ITAS.value)
        if kind == ApplicationKind.ITAS_EXTENSION
        else WorkerFilters()
    )
    page = await list_workers(
        actor, narrowed, limit=FORM_WORKERS, offset=0, today=today, settings=settings
    )
    permits = {w.id: _permit_facts(w) for w in page.items}
    steps = await next_steps(permits, settings=settings)
    offer = OFFERS[ApplicationKind(kind)]
    return [w for w in page.items if offer(steps[w.id].standing)]


def _permit_facts(worker: WorkerSummary) -> CurrentPermitFacts:
    permit = worker.current_permit
    if permit is None:
        return CurrentPermitFacts("none")
    return CurrentPermitFacts(permit.status, permit.kind, permit.valid_from, permit.expires_on)
