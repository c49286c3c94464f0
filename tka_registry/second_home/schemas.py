"""Second Home case input and output."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from tka_registry.applications.schemas import TrackOut as ApplicationTrackOut
from tka_registry.workers.schemas import Name, Nationality, PassportIn, PassportNumber, Place, Sex


class CaseStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    REVOKED = "revoked"


# Cases still open to changes and to a decision.
OPEN_STATUSES = (CaseStatus.DRAFT, CaseStatus.SUBMITTED)


class ProofKind(StrEnum):
    BANK_LETTER = "bank_letter"
    PROPERTY_CERTIFICATE = "property_certificate"


# A rupiah amount as typed ("Rp 2.000.000.000") or as a whole number; parse_rupiah judges it.
RupiahAmount = StrictInt | Annotated[str, Field(max_length=40)]
StayYears = Annotated[int, Field(ge=1, le=50)]
Address = Annotated[str, Field(min_length=1, max_length=500)]
Regency = Annotated[str, Field(min_length=1, max_length=100)]
Relation = Annotated[str, Field(min_length=1, max_length=40)]


class PersonIn(BaseModel):
    """A person of the case with their passport; a passport on record links that person."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    full_name: Name
    sex: Sex
    date_of_birth: date
    place_of_birth: Place
    nationality: Nationality
    address: Address
    regency: Regency
    passport: PassportIn


class DependantIn(PersonIn):
    relation: Relation


class CaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    application_date: date
    stay_years: StayYears
    funds_idr: RupiahAmount | None = None
    bank: Annotated[str, Field(max_length=120)] | None = None
    owns_property: bool = False
    property_description: Annotated[str, Field(max_length=2000)] | None = None
    principal: PersonIn
    dependants: list[DependantIn] = Field(default_factory=list, max_length=20)
    submit: bool = False


class CasePatch(BaseModel):
    """Changes to an open case; dependants are added or removed by id."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    application_date: date | None = None
    stay_years: StayYears | None = None
    funds_idr: RupiahAmount | None = None
    bank: Annotated[str, Field(max_length=120)] | None = None
    owns_property: bool | None = None
    property_description: Annotated[str, Field(max_length=2000)] | None = None
    add_dependants: list[DependantIn] = Field(default_factory=list, max_length=20)
    remove_dependant_ids: list[int] = Field(default_factory=list, max_length=20)
    submit: bool = False


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    approve: bool
    decided_on: date | None = None  # the Jakarta day of the decision when absent
    reason: Annotated[str, Field(max_length=2000)] | None = None
    # Kept for older clients and ignored: the letter names the signed-in officer's account
    # (full name, NIP, position; accounts.officers).
    officer_name: Annotated[str, Field(min_length=1, max_length=200)] | None = None


class RevocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    revoked_on: date
    reason: Annotated[str, Field(min_length=3, max_length=1000)]


class RuleOutcomeOut(BaseModel):
    rule_id: str
    subject: str
    met: bool
    figure: Any
    threshold: Any
    message: str  # in the registry's language (TKA_LANGUAGE)
    message_id: str
    message_en: str
    source: str


class PermitBrief(BaseModel):
    id: int
    number: str
    visa_index: str
    issued_on: date
    valid_from: date
    expires_on: date
    status: str


class PersonOut(BaseModel):
    worker_id: int
    full_name: str
    sex: str
    date_of_birth: date
    nationality: str
    passport_number: str | None
    passport_expires_on: date | None
    permit: PermitBrief | None


class DependantOut(PersonOut):
    id: int
    relation: str


class ProofOut(BaseModel):
    deadline: date | None
    days_left: int | None
    overdue: bool
    lodged_on: date | None
    kind: str | None
    sha256: str | None
    media_type: str | None


class ConflictOut(BaseModel):
    case_id: int
    register_number: str
    worker_id: int
    full_name: str
    kind: str  # employed | other_permit
    detail: str
    other_worker_id: int
    employer_id: int | None
    permit_id: int | None


class CaseOut(BaseModel):
    id: int
    register_number: str
    status: str
    application_date: date
    stay_years: int
    funds_idr: int | None
    bank: str | None
    owns_property: bool
    property_description: str | None
    principal: PersonOut
    dependants: list[DependantOut]
    rules: list[RuleOutcomeOut]
    eligible: bool
    unmet_rules: list[str]
    decided_on: date | None
    decided_by: str | None
    decision_reason: str | None
    approval_letter_sha256: str | None
    proof: ProofOut
    conflicts: list[ConflictOut]
    revoked_on: date | None
    revocation_reason: str | None
    created_at: datetime
    updated_at: datetime


class CaseSummary(BaseModel):
    id: int
    register_number: str
    status: str
    application_date: date
    stay_years: int
    principal_name: str
    principal_worker_id: int
    dependants: int
    proof_deadline: date | None
    proof_days_left: int | None
    proof_lodged_on: date | None


class TrackOut(ApplicationTrackOut):
    """What the applicant sees: the status, its day and the next step."""

    status_label: str  # Indonesian, as before status_label_id and status_label_en


class TrackQuery(BaseModel):
    register_number: Annotated[str, Field(min_length=1, max_length=40)]
    passport_number: PassportNumber
