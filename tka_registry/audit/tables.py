"""The append-only audit log: each entry chains the SHA-256 of the one before it."""

from piccolo.columns import BigInt, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class AuditEntry(Table):
    id: Serial
    at = Timestamptz(null=False)
    actor = Varchar(length=254, null=False)
    role = Varchar(length=20, null=False)
    address = Varchar(length=64, null=False)
    action = Varchar(length=60, null=False, index=True)
    object_type = Varchar(length=40, null=False)
    object_id = Varchar(length=40, null=False)
    details = Text(null=False)  # JSON, hashed exactly as stored
    previous_hash = Varchar(length=64, null=False)
    entry_hash = Varchar(length=64, null=False)
    sequence = BigInt(null=False, unique=True)


class AuditPendingRead(Table):
    """A read recorded before its answer left, waiting to be sealed into the chain.

    Reads are many and change nothing: each is one plain insert here (no chain lock), and
    ``audit.service.seal_reads`` moves them into ``audit_entry`` in order, in batches.
    """

    id: Serial
    at = Timestamptz(null=False)
    actor = Varchar(length=254, null=False)
    role = Varchar(length=20, null=False)
    address = Varchar(length=64, null=False)
    action = Varchar(length=60, null=False)
    object_type = Varchar(length=40, null=False)
    object_id = Varchar(length=40, null=False)
    details = Text(null=False)
