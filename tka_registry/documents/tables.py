"""Stored documents (PDF bytes kept under ``data_dir/documents`` by SHA-256) and the log of
public verifications."""

from piccolo.columns import Boolean, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from tka_registry.permits.tables import Permit


class StoredDocument(Table):
    """One rendering of a document. A re-render adds a row; old rows and their bytes stay."""

    id: Serial
    # The owner: a permit (kind permit) or an application (approval / rejection letters). The
    # application is a plain id so this table does not depend on the applications area.
    permit = ForeignKey(Permit, null=True, default=None, on_delete=OnDelete.restrict)
    application_id = Integer(null=True, default=None)
    kind = Varchar(length=12, null=False)  # permit | approval | rejection | report
    language = Varchar(length=2, null=False)
    template_version = Varchar(length=40, null=False)
    sha256 = Varchar(length=64, null=False)
    size_bytes = Integer(null=False)
    # Relative to Settings.data_dir, e.g. documents/ab/ab12...ef.pdf (content-addressed).
    path = Varchar(length=200, null=False)
    # The one served for its owner and kind; a partial unique index keeps one.
    is_current = Boolean(null=False)
    created_at = Timestamptz(null=False)


class Verification(Table):
    """Every public verification of a token: when, from where, and the answer given."""

    id: Serial
    at = Timestamptz(null=False)
    address = Varchar(length=64, null=False)
    # valid | not_yet_valid | expired | revoked | superseded | invalid
    outcome = Varchar(length=20, null=False)
    permit_id = Integer(null=True, default=None)  # null for an invalid token


class SigningKey(Table):
    """An Ed25519 key that signs the tokens in permit QR codes (see documents/keys.py).

    The private half is wrapped (AES-256-GCM) with a key derived from TKA_SECRET_KEY. The one
    key with an empty ``retired_on`` signs; every key verifies.
    """

    id: Serial
    kid = Varchar(length=32, null=False, unique=True)  # base32 of the public key's SHA-256
    public_key = Text(null=False)  # PEM, SubjectPublicKeyInfo
    wrapped_private_key = Text(null=False)
    valid_from = Timestamptz(null=False)
    retired_on = Timestamptz(null=True, default=None)


class LetterCounter(Table):
    """The last number given to letters of one series in one year (unique series and year)."""

    id: Serial
    series = Varchar(length=20, null=False)
    year = Integer(null=False)
    last_sequence = Integer(null=False)


class IssuedLetter(Table):
    """Every letter number given, with its owner and the officer who signed (issue 20)."""

    id: Serial
    number = Varchar(length=100, unique=True, null=False)
    kind = Varchar(length=20, null=False)
    year = Integer(null=False)
    sequence = Integer(null=False)
    owner_type = Varchar(length=30, null=False)  # application | second_home_case
    owner_id = Integer(null=False)
    account_id = Integer(null=True, default=None)
    officer_name = Varchar(length=200, null=False)
    officer_nip = Varchar(length=18, null=False)
    officer_position = Varchar(length=200, null=False)
    issued_on = Date(null=False, required=True)
    created_at = Timestamptz(null=False)


class ManualCode(Table):
    """The short code printed under a QR code and the signed token it stands for (issue 20)."""

    id: Serial
    code = Varchar(length=9, unique=True, null=False)
    permit_id = Integer(null=False)
    token = Text(null=False)
    created_at = Timestamptz(null=False)
