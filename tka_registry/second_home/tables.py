"""Second Home cases and their dependants; every person is a worker row with no employer."""

from piccolo.columns import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from tka_registry.workers.tables import Worker


class SecondHomeCase(Table):
    id: Serial
    # Human-readable and unique, e.g. RK-PLB-2026-000012; tracked with a passport number.
    register_number = Varchar(length=40, unique=True, null=False)
    principal = ForeignKey(Worker, null=False, on_delete=OnDelete.restrict)
    application_date = Date(default=None, null=False)
    stay_years = Integer(null=False)
    funds_idr = BigInt(null=True, default=None)
    bank = Varchar(length=120, null=True, default=None)
    owns_property = Boolean(null=False, default=False)
    property_description = Text(null=True, default=None)
    status = Varchar(length=12, null=False)  # draft | submitted | approved | rejected | revoked
    decided_on = Date(null=True, default=None)
    decided_by = Varchar(length=254, null=True, default=None)
    decision_reason = Text(null=True, default=None)
    principal_permit_id = Integer(null=True, default=None)
    # SHA-256 of the approval letter (stored by documents.service with the principal's permit).
    letter_sha256 = Varchar(length=64, null=True, default=None)
    proof_kind = Varchar(length=30, null=True, default=None)  # bank_letter | property_certificate
    proof_lodged_on = Date(null=True, default=None)
    proof_sha256 = Varchar(length=64, null=True, default=None)
    proof_media_type = Varchar(length=40, null=True, default=None)
    revoked_on = Date(null=True, default=None)
    revocation_reason = Text(null=True, default=None)
    created_at = Timestamptz(null=False)
    updated_at = Timestamptz(null=False)


class SecondHomeDependant(Table):
    id: Serial
    second_home_case = ForeignKey(SecondHomeCase, null=False, on_delete=OnDelete.restrict)
    worker = ForeignKey(Worker, null=False, on_delete=OnDelete.restrict)
    relation = Varchar(length=40, null=False)  # spouse | child | parent, or the text as given
    permit_id = Integer(null=True, default=None)
    created_at = Timestamptz(null=False)
