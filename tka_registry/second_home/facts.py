"""Reading a case from the tables into what its rules, its page and its decision need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tka_registry.errors import NotFound
from tka_registry.permits.state import state_of
from tka_registry.permits.tables import Permit
from tka_registry.rules import second_home as rules
from tka_registry.rules.calendar import MonthsDays
from tka_registry.rules.second_home import format_rupiah
from tka_registry.second_home.schemas import (
    CaseStatus,
    PermitBrief,
    PersonOut,
    ProofOut,
    RuleOutcomeOut,
)
from tka_registry.second_home.tables import SecondHomeCase, SecondHomeDependant
from tka_registry.settings import Settings
from tka_registry.workers.tables import UNDATED_LAST, Passport, Worker


@dataclass(frozen=True)
class Person:
    """A worker row of the case with their newest passport (None if none on record)."""

    worker: dict[str, Any]
    passport: dict[str, Any] | None

    @property
    def passport_expires_on(self) -> date | None:
        return self.passport["expires_on"] if self.passport else None


@dataclass(frozen=True)
class DependantFacts:
    row: dict[str, Any]
    person: Person


@dataclass(frozen=True)
class CaseFacts:
    row: dict[str, Any]
    principal: Person
    dependants: list[DependantFacts]

    @property
    def permit_ids(self) -> list[int]:
        """The permits this case issued, the principal's first."""
        ids = [self.row["principal_permit_id"], *(d.row["permit_id"] for d in self.dependants)]
        return [permit_id for permit_id in ids if permit_id is not None]


async def person(worker_id: int) -> Person:
    worker = await Worker.select().where(Worker.id == worker_id).first()
    assert worker is not None  # a foreign key with ON DELETE RESTRICT
    passport = (
        await Passport.select()
        .where(Passport.worker == worker_id)
        .order_by(UNDATED_LAST)
        .order_by(Passport.expires_on, ascending=False)
        .order_by(Passport.id, ascending=False)
        .first()
    )
    return Person(worker, passport)


async def load_case(case_id: int) -> CaseFacts:
    row = await SecondHomeCase.select().where(SecondHomeCase.id == case_id).first()
    if row is None:
        raise NotFound("id", f"no Second Home case with id {case_id}")
    dependant_rows = (
        await SecondHomeDependant.select()
        .where(SecondHomeDependant.second_home_case == case_id)
        .order_by(SecondHomeDependant.id)
    )
    dependants = [DependantFacts(d, await person(d["worker"])) for d in dependant_rows]
    return CaseFacts(row, await person(row["principal"]), dependants)


def outcomes(facts: CaseFacts, settings: Settings) -> list[rules.RuleOutcome]:
    """Every eligibility rule applied to the case as it stands."""
    row = facts.row
    # No passport on record cannot happen through this area; treat it as already expired.
    missing = date.min
    case = rules.SecondHomeCase(
        application_date=row["application_date"],
        principal_name=facts.principal.worker["full_name"],
        passport_expires_on=facts.principal.passport_expires_on or missing,
        stay_years=row["stay_years"],
        funds_idr=row["funds_idr"],
        bank=row["bank"],
        owns_property=row["owns_property"],
        dependants=[
            rules.Dependant(
                d.person.worker["full_name"],
                d.row["relation"],
                d.person.passport_expires_on or missing,
            )
            for d in facts.dependants
        ],
    )
    return rules.evaluate_case(case, settings)


def _plain(value: object) -> object:
    if isinstance(value, MonthsDays):
        return {"months": value.months, "days": value.days}
    if isinstance(value, tuple):
        return list(value)
    return value


def outcome_out(outcome: rules.RuleOutcome, language: str) -> RuleOutcomeOut:
    return RuleOutcomeOut(
        rule_id=outcome.rule_id,
        subject=outcome.subject,
        met=outcome.met,
        figure=_plain(outcome.figure),
        threshold=_plain(outcome.threshold),
        message=outcome.message(language),
        message_id=outcome.message_id,
        message_en=outcome.message_en,
        source=outcome.source,
    )


def figure_text(outcome: rules.RuleOutcome) -> str:
    """The compared figure as a person reads it (for pages)."""
    figure = outcome.figure
    if isinstance(figure, MonthsDays):
        return f"{figure.months} bulan {figure.days} hari"
    if outcome.rule_id == "second_home.proof_of_means" and isinstance(figure, int):
        return format_rupiah(figure)
    return str(figure)


async def permit_brief(
    permit_id: int | None, today: date, settings: Settings
) -> PermitBrief | None:
    if permit_id is None:
        return None
    row = await Permit.select().where(Permit.id == permit_id).first()
    if row is None:
        return None
    return PermitBrief(
        id=row["id"],
        number=row["number"],
        visa_index=row["visa_index"],
        issued_on=row["issued_on"],
        valid_from=row["valid_from"],
        expires_on=row["expires_on"],
        status=state_of(row, today=today, settings=settings).status,
    )


async def person_out(
    who: Person, permit_id: int | None, today: date, settings: Settings
) -> dict[str, Any]:
    """The fields of :class:`PersonOut` (dependants add their own)."""
    worker = who.worker
    return PersonOut(
        worker_id=worker["id"],
        full_name=worker["full_name"],
        sex=worker["sex"],
        date_of_birth=worker["date_of_birth"],
        nationality=worker["nationality"],
        passport_number=who.passport["number"] if who.passport else None,
        passport_expires_on=who.passport_expires_on,
        permit=await permit_brief(permit_id, today, settings),
    ).model_dump()


def proof_out(row: dict[str, Any], today: date, settings: Settings) -> ProofOut:
    """The 90-day commitment: deadline and days left from the day the permits were issued."""
    days = settings.second_home_proof_deadline_days
    issued_on = row["decided_on"] if row["principal_permit_id"] is not None else None
    deadline = rules.proof_deadline(issued_on, days) if issued_on else None
    waiting = (
        issued_on is not None
        and row["proof_lodged_on"] is None
        and row["status"] == CaseStatus.APPROVED
    )
    return ProofOut(
        deadline=deadline,
        days_left=rules.proof_days_left(issued_on, today, days) if waiting and issued_on else None,
        overdue=bool(waiting and issued_on and rules.is_proof_overdue(issued_on, today, days)),
        lodged_on=row["proof_lodged_on"],
        kind=row["proof_kind"],
        sha256=row["proof_sha256"],
        media_type=row["proof_media_type"],
    )
