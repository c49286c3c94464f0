"""Stay permits and visa indexes. A renewal is a new row that supersedes the old one."""

from piccolo.columns import Boolean, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from tka_registry.employers.tables import Employer
from tka_registry.workers.tables import Worker


class VisaIndex(Table):
    """Visa indexes as data (Permenkumham 22/2023; merged by M.IP-08.GR.01.01/2025)."""

    id: Serial
    code = Varchar(length=10, unique=True, null=False)
    name_id = Varchar(length=200, null=False)
    name_en = Varchar(length=200, null=False)
    category = Varchar(length=20, null=False)  # work | second_home | visit | other
    kinds = Varchar(length=30, null=False)  # permit kinds it may carry, e.g. "ITAS,ITAP"
    requires_sponsor = Boolean(null=False)
    active = Boolean(null=False)


class Permit(Table):
    id: Serial
    worker = ForeignKey(Worker, null=False, on_delete=OnDelete.restrict)
    kind = Varchar(length=4, null=False)
    visa_index = Varchar(length=10, null=False)
    number = Varchar(length=40, unique=True, null=False)
    # The day the permit was decided and issued ("Tanggal Terbit / Date of Issue").
    issued_on = Date(default=None, null=False)
    # Its first valid day ("Berlaku Dari / Valid From"), usually the issue day or later; the
    # last is expires_on. permits.state derives everything else.
    valid_from = Date(default=None, null=False)
    expires_on = Date(default=None, null=False)
    employer = ForeignKey(Employer, null=True, default=None, on_delete=OnDelete.restrict)
    supersedes = Integer(null=True, default=None)
    # False once a newer permit supersedes this one; a partial unique index keeps one per worker.
    is_current = Boolean(null=False)
    revoked_on = Date(null=True, default=None)
    revocation_reason = Text(null=True, default=None)
    register_number = Varchar(length=40, null=True, default=None)
    created_at = Timestamptz(null=False)
