"""Deciding a Second Home case: approval issues the E33 permits, in one audited transaction."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from tka_registry.accounts.officers import signatory_of
from tka_registry.accounts.roles import Actor
from tka_registry.audit.service import record
from tka_registry.db import write_transaction
from tka_registry.documents import service as documents
from tka_registry.documents.letter_numbers import (
    LetterKind,
    NumberedLetter,
    letter_of,
    number_letter,
)
from tka_registry.documents.render import DecisionLetter, LetterDependant
from tka_registry.errors import Conflict, DomainError, FieldProblem, InvalidInput, NotFound
from tka_registry.permits.schemas import PermitIn
from tka_registry.permits.service import issue_permit
from tka_registry.permits.tables import Permit
from tka_registry.rules import second_home as rules
from tka_registry.rules.calendar import add_years
from tka_registry.rules.permits import PermitKind
from tka_registry.second_home import facts as read
from tka_registry.second_home.conflicts import valid_permits
from tka_registry.second_home.schemas import CaseOut, CaseStatus, DecisionIn
from tka_registry.second_home.service import get_case, open_case_row
from tka_registry.second_home.tables import SecondHomeCase, SecondHomeDependant
from tka_registry.settings import Settings

log = logging.getLogger("tka_registry.second_home")

# Permenkumham 22/2023 as amended: Second Home is visa index E33 (SE IMI-0740.GR.01.01/2022).
SECOND_HOME_INDEX = "E33"
APPLICATION_KIND = "second_home"
CASE_OWNER = "second_home_case"  # the owner of its letter numbers (documents.letter_numbers)


def permit_end(issued_on: date, stay_years: int, passport_expires_on: date | None) -> date:
    """Last day of a Second Home ITAS: the stay granted, and never past the holder's passport."""
    # The permit may not outlast the passport (rules.permits.passport_cover_breaches).
    end = add_years(issued_on, stay_years) - timedelta(days=1)
    return min(end, passport_expires_on) if passport_expires_on else end


def refusal(outcomes: list[rules.RuleOutcome]) -> DomainError:
    """The 422 naming each unmet rule with the figure it compared: in English, as the API
    answers, and in Indonesian beside it (``message_id``) for the API and the pages."""
    return InvalidInput.of(
        [FieldProblem(o.rule_id, o.message_en, message_id=o.message_id) for o in outcomes]
    )


async def _issue(
    actor: Actor, holder: read.Person, number: str, register: str, expires_on: date,
    issued_on: date, *, settings: Settings, today: date, now: datetime,
) -> int:  # fmt: skip
    data = PermitIn(
        worker_id=holder.worker["id"],
        kind=PermitKind.ITAS,
        visa_index=SECOND_HOME_INDEX,
        number=number,
        issued_on=issued_on,
        expires_on=expires_on,
        register_number=register,
    )
    permit = await issue_permit(actor, data, today=today, settings=settings, now=now)
    return permit.id


async def _approve(
    actor: Actor, facts: read.CaseFacts, issued_on: date, *, settings: Settings, today: date,
    now: datetime,
) -> dict[str, Any]:  # fmt: skip
    """Issue the principal's permit, then each dependant's (never outlasting the principal's)."""
    row = facts.row
    await _check_no_valid_permit(facts, today)
    register = row["register_number"]
    principal_end = permit_end(issued_on, row["stay_years"], facts.principal.passport_expires_on)
    common: dict[str, Any] = {"settings": settings, "today": today, "now": now}
    principal_permit = await _issue(
        actor, facts.principal, f"{register}-01", register, principal_end, issued_on, **common
    )
    dependant_permits: dict[int, int] = {}
    issued = {"principal_permit_id": principal_permit, "dependant_permits": dependant_permits}
    for index, dependant in enumerate(facts.dependants, start=2):
        own_end = permit_end(issued_on, row["stay_years"], dependant.person.passport_expires_on)
        end = rules.dependant_expiry(principal_end, own_end)
        permit_id = await _issue(
            actor, dependant.person, f"{register}-{index:02d}", register, end, issued_on, **common
        )
        await SecondHomeDependant.update({SecondHomeDependant.permit_id: permit_id}).where(
            SecondHomeDependant.id == dependant.row["id"]
        )
        dependant_permits[dependant.row["id"]] = permit_id
    return issued


async def _check_no_valid_permit(facts: read.CaseFacts, today: date) -> None:
    """A person holds one stay permit at a time: a valid one must end before E33 is issued."""
    people = [facts.principal, *(d.person for d in facts.dependants)]
    by_id = {who.worker["id"]: who.worker["full_name"] for who in people}
    held = await valid_permits(list(by_id), today)
    if held:
        raise Conflict.of(
            [
                FieldProblem.of(
                    "permits",
                    "%(name)s holds valid permit %(number)s (%(index)s) until %(day)s: revoke it"
                    " before approving",
                    name=by_id[p["worker"]],
                    number=p["number"],
                    index=p["visa_index"],
                    day=p["expires_on"].isoformat(),
                )
                for p in held
            ]
        )


def _check_decision_date(data: DecisionIn, row: dict[str, Any], today: date) -> date:
    if data.decided_on is None:
        raise InvalidInput("decided_on", "enter the date of the decision")
    if data.decided_on > today:
        raise InvalidInput(
            "decided_on", "decision date %(day)s is in the future", day=data.decided_on.isoformat()
        )
    if data.decided_on < row["application_date"]:
        raise InvalidInput(
            "decided_on",
            "decision date %(day)s is before the application date %(application)s",
            day=data.decided_on.isoformat(), application=row["application_date"].isoformat(),
        )  # fmt: skip
    return data.decided_on


async def decide_case(
    actor: Actor, case_id: int, data: DecisionIn, *, settings: Settings, today: date,
    now: datetime,
) -> CaseOut:  # fmt: skip
    """Approve (every rule met: E33 permits for principal and dependants) or reject a case."""
    if not data.approve and not data.reason:
        raise InvalidInput("reason", "a rejection needs its reason")
    signatory = await signatory_of(actor)  # the approval letter carries name, NIP, position
    async with write_transaction(SecondHomeCase._meta.db):
        row = await open_case_row(case_id, now)
        decided_on = _check_decision_date(data, row, today)
        facts = await read.load_case(case_id)
        details: dict[str, Any] = {"approve": data.approve, "reason": data.reason}
        changes: dict[Any, Any] = {
            SecondHomeCase.decided_on: decided_on,
            SecondHomeCase.decided_by: signatory.full_name,
            SecondHomeCase.decision_reason: data.reason,
        }
        if data.approve:
            failed = rules.unmet(read.outcomes(facts, settings))
            if failed:
                raise refusal(failed)
            issued = await _approve(
                actor, facts, decided_on, settings=settings, today=today, now=now
            )
            details.update(issued)
            numbered = await number_letter(
                LetterKind.APPROVAL, owner_type=CASE_OWNER, owner_id=case_id,
                signatory=signatory, issued_on=decided_on, settings=settings, now=now,
            )  # fmt: skip
            details["letter_number"] = numbered.number
            changes[SecondHomeCase.principal_permit_id] = issued["principal_permit_id"]
            changes[SecondHomeCase.status] = CaseStatus.APPROVED
        else:
            changes[SecondHomeCase.status] = CaseStatus.REJECTED
        await SecondHomeCase.update(changes).where(SecondHomeCase.id == case_id)
        action = "second_home.approve" if data.approve else "second_home.reject"
        await record(actor, action, "second_home_case", case_id, details)
    if data.approve:
        await _documents_after_approval(actor, case_id, settings=settings, now=now)
    return await get_case(case_id, settings=settings, today=today)


async def _documents_after_approval(
    actor: Actor, case_id: int, *, settings: Settings, now: datetime
) -> None:
    """The approval letter, after the commit (the permits' papers are rendered by the permit
    issue's listener before it); a failure is logged, not raised (the letter endpoint renders a
    missing letter on demand)."""
    try:
        await approval_letter(actor, case_id, settings=settings, now=now)
    except Exception:
        log.exception("Second Home case %s approved, but its letter failed", case_id)


def letter_for(
    facts: read.CaseFacts,
    permit_numbers: dict[int, str],
    numbered: NumberedLetter | None,
    settings: Settings,
) -> DecisionLetter:
    """The approval letter: the principal, each dependant with their permit, and the day the
    proof of funds or property is due. A case decided before letters were numbered
    (``numbered`` None) keeps its register number and the officer's name as recorded."""
    row = facts.row
    principal = facts.principal.worker
    signatory = numbered.signatory if numbered else None
    days = settings.second_home_proof_deadline_days
    dependants = tuple(
        LetterDependant(
            name=d.person.worker["full_name"],
            relation=d.row["relation"],
            nationality=d.person.worker["nationality"],
            passport_number=d.person.passport["number"] if d.person.passport else None,
            permit_number=permit_numbers.get(d.row["permit_id"]),
        )
        for d in facts.dependants
    )
    return DecisionLetter(
        register_number=row["register_number"],
        approved=True,
        decided_on=row["decided_on"],
        officer_name=signatory.full_name if signatory else row["decided_by"],
        officer_nip=signatory.nip if signatory else None,
        officer_position=signatory.position if signatory else None,
        addressee_name=principal["full_name"],
        addressee_address=principal["address"],
        applicant_name=principal["full_name"],
        worker_name=principal["full_name"],
        worker_nationality=principal["nationality"],
        application_kind=APPLICATION_KIND,
        passport_number=facts.principal.passport["number"] if facts.principal.passport else None,
        submitted_on=row["application_date"],
        permit_number=permit_numbers.get(row["principal_permit_id"]),
        letter_number=numbered.number if numbered else row["register_number"],
        dependants=dependants,
        proof_deadline=rules.proof_deadline(row["decided_on"], days),
        proof_days=days,
    )


async def approval_letter(
    actor: Actor, case_id: int, *, settings: Settings, now: datetime
) -> documents.StoredFile:
    """The approval letter of an approved case, rendered and stored the first time.

    It is kept as the ``approval`` document of the principal's permit (documents.service).
    """
    facts = await read.load_case(case_id)
    permit_id = facts.row["principal_permit_id"]
    if permit_id is None:
        raise NotFound("id", f"Second Home case {case_id} has no approval letter")
    stored = await documents.current_document(
        kind=documents.DocumentKind.APPROVAL, permit_id=permit_id
    )
    if stored is not None:
        return stored
    numbers = await Permit.select(Permit.id, Permit.number).where(Permit.id.is_in(facts.permit_ids))
    numbered = await letter_of(CASE_OWNER, case_id, LetterKind.APPROVAL)
    letter = letter_for(facts, {p["id"]: p["number"] for p in numbers}, numbered, settings)
    pdf = await documents.render_pdf(letter, settings.language)
    async with write_transaction(SecondHomeCase._meta.db):
        stored = await documents.store_document(
            actor,
            pdf=pdf,
            kind=documents.DocumentKind.APPROVAL,
            settings=settings,
            now=now,
            permit_id=permit_id,
        )
        await SecondHomeCase.update({SecondHomeCase.letter_sha256: stored.sha256}).where(
            SecondHomeCase.id == case_id
        )
    return stored
