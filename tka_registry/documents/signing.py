"""Signed verification tokens printed in a permit document's QR code.

A token is ``base64url(payload) + "." + base64url(signature)`` without padding. The payload is a
compact statement ``version|permit number|holder's initials|nationality|expiry (ISO date)`` signed
with Ed25519, so anyone holding the published public key can check a paper permit offline. The
keys themselves are kept in the database (``documents/keys.py``).
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

TOKEN_VERSION = 1  # number, initials, nationality, expiry
KEYED_VERSION = 2  # names its key and signing time, the first valid day and a status index
KEY_FILE_NAME = "permit_signing_key.pem"
SIGNATURE_BYTES = 64
# A real token is under 200 characters; refusing long input early bounds the work per request.
MAX_TOKEN_CHARS = 512

_PERMIT_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9./-]{0,39}")
_INITIALS = re.compile(r"[A-Z]{1,8}")
_MASK = re.compile(r"(?:[A-Z][0-9]{1,2}){1,8}")  # each word: first letter, its length
_KID = re.compile(r"[a-z2-7]{16}")  # documents.keys.key_id
_NUMBER = re.compile(r"0|[1-9][0-9]{0,11}")
_NATIONALITY = re.compile(r"[A-Z]{1,3}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class PermitStatement:
    """What a token asserts about one permit; the fields a verifier may show."""

    permit_number: str
    holder_initials: str
    nationality: str
    expires_on: date
    version: int = TOKEN_VERSION
    # Version 2 (issue 20): the key that signed and when (Unix seconds), the first day of
    # validity, the permit's bit in the status list (/verify/status), the masked name's shape.
    kid: str = ""
    signed_at: int = 0
    valid_from: date | None = None
    status_index: int = 0
    holder_mask: str = ""


class InsecureKeyFile(PermissionError):
    """The signing key file can be read by users other than its owner."""


def holder_initials(name: str) -> str:
    """First letter of each word of a Latin-script name, upper case, accents removed (max 8)."""
    letters = []
    for word in name.replace("-", " ").split():
        bare = unicodedata.normalize("NFKD", word)
        first = next((ch for ch in bare if "A" <= ch.upper() <= "Z"), "")
        if first:
            letters.append(first.upper())
    return "".join(letters)[:8] or "X"


def holder_mask(name: str) -> str:
    """Each word's first letter (as :func:`holder_initials`) and length, e.g. ``Z5W3`` for
    "Zhang Wei": enough for a verifier to print ``Z**** W**`` and match a paper."""
    parts = []
    for word in name.replace("-", " ").split():
        initial = holder_initials(word)
        if initial != "X" or word[:1].upper() == "X":
            parts.append(f"{initial}{min(len(word), 99)}")
    return "".join(parts[:8]) or "X1"


def permit_statement(
    permit_number: str,
    holder_name: str,
    nationality: str,
    expires_on: date,
    *,
    kid: str = "",
    signed_at: int = 0,
    valid_from: date | None = None,
    status_index: int = 0,
) -> PermitStatement:
    """The statement signed for a permit: number, holder's initials, nationality, expiry; with
    ``kid`` a version 2 statement that also names its key, signing time, first valid day and
    status list index."""
    statement = PermitStatement(
        permit_number=permit_number.strip().upper(),
        holder_initials=holder_initials(holder_name),
        nationality=nationality.strip().upper(),
        expires_on=expires_on,
    )
    if not kid:
        return statement
    mask = holder_mask(holder_name)
    return PermitStatement(
        permit_number=statement.permit_number,
        holder_initials="".join(ch for ch in mask if ch.isalpha()),
        nationality=statement.nationality,
        expires_on=expires_on,
        version=KEYED_VERSION,
        kid=kid,
        signed_at=signed_at,
        valid_from=valid_from or expires_on,
        status_index=status_index,
        holder_mask=mask,
    )


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes | None:
    """Decode unpadded base64url; None unless ``text`` is the one canonical encoding.

    Without the canonical check a changed last character can decode to the same bytes (its
    unused low bits), and a tampered token would still verify.
    """
    if not _BASE64URL.fullmatch(text) or len(text) % 4 == 1:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return raw if _b64encode(raw) == text else None


def _encode_statement(statement: PermitStatement) -> bytes:
    if statement.version == KEYED_VERSION:
        assert statement.valid_from is not None
        fields: tuple[str, ...] = (
            str(KEYED_VERSION),
            statement.kid,
            str(statement.signed_at),
            statement.permit_number,
            statement.holder_mask,
            statement.nationality,
            statement.valid_from.isoformat(),
            statement.expires_on.isoformat(),
            str(statement.status_index),
        )
    else:
        fields = (
            str(statement.version),
            statement.permit_number,
            statement.holder_initials,
            statement.nationality,
            statement.expires_on.isoformat(),
        )
    return "|".join(fields).encode("ascii")


def _date(text: str) -> date | None:
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _decode_statement(payload: bytes) -> PermitStatement | None:
    try:
        text = payload.decode("ascii")
    except UnicodeDecodeError:
        return None
    parts = text.split("|")
    if len(parts) == 9 and parts[0] == str(KEYED_VERSION):
        return _decode_keyed(parts)
    if len(parts) != 5 or parts[0] != str(TOKEN_VERSION):
        return None
    _, number, initials, nationality, expiry = parts
    checks = (
        (_PERMIT_NUMBER, number),
        (_INITIALS, initials),
        (_NATIONALITY, nationality),
    )
    expires_on = _date(expiry)
    if not all(pattern.fullmatch(value) for pattern, value in checks) or expires_on is None:
        return None
    return PermitStatement(number, initials, nationality, expires_on, TOKEN_VERSION)


def _decode_keyed(parts: list[str]) -> PermitStatement | None:
    _, kid, signed_at, number, mask, nationality, first_day, expiry, index = parts
    checks = (
        (_KID, kid),
        (_NUMBER, signed_at),
        (_PERMIT_NUMBER, number),
        (_MASK, mask),
        (_NATIONALITY, nationality),
        (_NUMBER, index),
    )
    valid_from, expires_on = _date(first_day), _date(expiry)
    if not all(p.fullmatch(v) for p, v in checks) or valid_from is None or expires_on is None:
        return None
    return PermitStatement(
        permit_number=number,
        holder_initials="".join(ch for ch in mask if ch.isalpha()),
        nationality=nationality,
        expires_on=expires_on,
        version=KEYED_VERSION,
        kid=kid,
        signed_at=int(signed_at),
        valid_from=valid_from,
        status_index=int(index),
        holder_mask=mask,
    )


def token_kid(token: object) -> str | None:
    """The key a version 2 token names, read before its signature is checked; else None."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS or token.count(".") != 1:
        return None
    payload = _b64decode(token.split(".")[0])
    statement = _decode_statement(payload) if payload else None
    return statement.kid if statement and statement.version == KEYED_VERSION else None


def sign_permit(key: Ed25519PrivateKey, statement: PermitStatement) -> str:
    """A URL-safe token for ``statement``, about 150 characters.

    Raises ValueError when a field cannot be written in the compact form (for example a permit
    number with characters other than A-Z, 0-9, ``.``, ``/`` and ``-``).
    """
    payload = _encode_statement(statement)
    if _decode_statement(payload) != statement:
        raise ValueError(f"statement cannot be encoded in a token: {statement!r}")
    return f"{_b64encode(payload)}.{_b64encode(key.sign(payload))}"


def verify_token(public_key: Ed25519PublicKey, token: object) -> PermitStatement | None:
    """The statement of a genuine token, or None for anything malformed, forged or altered.

    Never raises: a verifier answers "invalid" rather than an error page.
    """
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS or token.count(".") != 1:
        return None
    payload_text, signature_text = token.split(".")
    payload = _b64decode(payload_text)
    signature = _b64decode(signature_text)
    if payload is None or signature is None or len(signature) != SIGNATURE_BYTES:
        return None
    try:
        public_key.verify(signature, payload)
    except (InvalidSignature, ValueError):
        return None
    return _decode_statement(payload)


def verify_url(base_url: str, token: str) -> str:
    """The address printed in the QR code: ``<base_url>/verify/<token>``."""
    return f"{base_url.rstrip('/')}/verify/{token}"


def load_signing_key_file(key_file: Path) -> Ed25519PrivateKey:
    """The Ed25519 key of a PEM file, as versions before issue 16 kept it under
    ``TKA_DATA_DIR/keys`` (read by ``tka-registry migrate`` into the database).

    Raises :class:`InsecureKeyFile` when the file is readable by group or others.
    """
    if key_file.stat().st_mode & 0o077:
        raise InsecureKeyFile(f"{key_file} must be readable by its owner only (chmod 600)")
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{key_file} does not hold an Ed25519 private key")
    return key


def public_key_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public half as PEM text (SubjectPublicKeyInfo), as published at /verify/public-key."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM text, for verifying tokens offline."""
    key = serialization.load_pem_public_key(pem.encode("ascii") if isinstance(pem, str) else pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key
