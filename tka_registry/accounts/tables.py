"""Accounts of office staff and employers, and their bearer tokens and sessions."""

from piccolo.columns import Boolean, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from tka_registry.employers.tables import Employer


class Account(Table):
    id: Serial
    email = Varchar(length=254, unique=True, null=False)
    password_hash = Varchar(length=200, null=False)
    role = Varchar(length=20, null=False)
    employer = ForeignKey(Employer, null=True, default=None, on_delete=OnDelete.restrict)
    is_active = Boolean(null=False)
    failed_signins = Integer(null=False, default=0)
    locked_until = Timestamptz(null=True, default=None)
    password_changed_at = Timestamptz(null=False)
    created_at = Timestamptz(null=False)
    # The officer who signs letters (issue 20): full name, NIP (rules/nip.py) and jabatan.
    full_name = Varchar(length=200, null=False, default="")
    nip = Varchar(length=18, null=True, default=None, unique=True)
    position = Varchar(length=200, null=False, default="")


class AccessToken(Table):
    """A bearer token or a browser session; only the SHA-256 of the secret is stored."""

    id: Serial
    token_hash = Varchar(length=64, unique=True, null=False)
    account = ForeignKey(Account, null=False, on_delete=OnDelete.cascade)
    kind = Varchar(length=10, null=False)  # bearer | session
    created_at = Timestamptz(null=False)
    expires_at = Timestamptz(null=False)
    revoked_at = Timestamptz(null=True, default=None)
    # When a page session was last used (idle timeout); None until its first use.
    last_seen_at = Timestamptz(null=True, default=None)
