"""Application input and output. A draft's details may be incomplete; submit checks them all."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from tka_registry.permits.schemas import PermitOut
from tka_registry.workers.schemas import Nationality, PassportNumber, Sex


class ApplicationKind(StrEnum):
    ITAS_NEW = "itas_new"
    ITAS_EXTENSION = "itas_extension"
    CHANGE_REPORT = "change_report"
    DEPARTURE_REPORT = "departure_report"


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    REJECTED = "rejected"


EDITABLE = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.RETURNED})


class ChangeKind(StrEnum):
    """What a change report changes (UU 6/2011 art. 71: sponsors report these changes)."""

    ADDRESS = "address"
    POSITION = "position"
    CIVIL_STATUS = "civil_status"
    PASSPORT = "passport"


class CivilStatus(StrEnum):
    SINGLE = "single"
    MARRIED = "married"
    DIVORCED = "divorced"
    WIDOWED = "widowed"


Text200 = Annotated[str, Field(min_length=1, max_length=200)]


class ApplicationDetails(BaseModel):
    """The fields of every kind; each is optional so a draft can be saved half done.

    A new ITAS names ``worker_id`` of a worker on record or carries the person's data (surname
    ... position) and the worker is created on approval. A change report reuses the person
    fields for the new value (address+regency, position, civil_status or the passport fields).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    worker_id: int | None = None
    surname: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    given_names: Annotated[str, Field(max_length=100)] | None = None
    sex: Sex | None = None
    date_of_birth: date | None = None
    place_of_birth: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    nationality: Nationality | None = None
    passport_number: PassportNumber | None = None
    passport_issued_on: date | None = None
    passport_expires_on: date | None = None
    address: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    regency: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    position: Annotated[str, Field(min_length=1, max_length=150)] | None = None
    visa_index: Annotated[str, Field(min_length=1, max_length=10)] | None = None
    requested_from: date | None = None
    requested_until: date | None = None
    change: ChangeKind | None = None
    civil_status: CivilStatus | None = None
    departed_on: date | None = None
    note: Annotated[str, Field(max_length=2000)] | None = None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.surname) if part)


class ApplicationIn(ApplicationDetails):
    kind: ApplicationKind
    # Office staff entering a paper file name the employer; an employer's own is implied.
    employer_id: int | None = None


class ApplicationPatch(ApplicationDetails):
    """Only the fields sent change; send null to empty one."""


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    decision: Literal["approve", "reject", "return"]
    # The reason of a rejection, or what the employer must add when returned.
    message: Annotated[str, Field(max_length=2000)] | None = None
    # Approval of a new ITAS or extension: the permit's number and dates (default: requested).
    permit_number: (
        Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9./-]+$")] | None
    ) = None
    # The permit's first day of validity; ``issued_on`` is its former name, still accepted (the
    # permit's own issue date is always the day of the decision).
    valid_from: Annotated[
        date | None, Field(validation_alias=AliasChoices("valid_from", "issued_on"))
    ] = None
    expires_on: date | None = None


class CheckOut(BaseModel):
    """One check the rules made on the case; ``met`` False is for the officer to weigh, None
    ("to check") when the registry lacks the fact the rule needs (an incomplete record)."""

    id: str
    met: bool | None
    message_id: str
    message_en: str


class EventOut(BaseModel):
    at: datetime
    actor: str
    role: str
    action: str
    message: str


class AttachmentOut(BaseModel):
    id: int
    kind: str
    file_name: str  # as uploaded; "" for files kept before names were
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: str
    created_at: datetime
    identical_to: list[int] = []  # the case's other attachments with the same SHA-256


class ApplicationSummary(BaseModel):
    id: int
    kind: ApplicationKind
    status: ApplicationStatus
    employer_id: int
    employer_name: str
    worker_id: int | None
    register_number: str | None
    person_name: str
    nationality: str
    passport_number: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    age_days: int | None  # whole days since submission, on the Jakarta calendar
    assigned_to: str | None = None  # the officer who took the case (office only)


class ApplicationOut(ApplicationSummary):
    details: ApplicationDetails
    decision_reason: str | None
    permit_id: int | None
    permit: PermitOut | None
    departed_on: date | None
    checks: list[CheckOut]
    history: list[EventOut]
    attachments: list[AttachmentOut]


class TrackIn(BaseModel):
    """A /track look-up: sent in a POST body, so no passport number lands in a URL or a log."""

    model_config = ConfigDict(extra="forbid")

    register_number: Annotated[str, Field(min_length=1, max_length=40)]
    passport_number: Annotated[str, Field(min_length=1, max_length=40)]


class TrackOut(BaseModel):
    """All /track tells of a case (an application or a Second Home case): its status, the day
    of its last change (Asia/Jakarta) and the next step, in Indonesian and English."""

    register_number: str
    status: str  # applications: draft ... rejected; Second Home cases: draft ... revoked
    status_label_id: str
    status_label_en: str
    changed_on: date
    next_step_id: str
    next_step_en: str


class MrzIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mrz: Annotated[str, Field(min_length=1, max_length=400)]


class MrzOut(BaseModel):
    surname: str
    given_names: str
    full_name: str
    passport_number: str
    nationality: str  # stored code (D -> DEU); the MRZ letters when no registry knows them
    issuing_state: str
    date_of_birth: date
    sex: str | None
    expires_on: date
    personal_number: str | None
    names_truncated: bool
