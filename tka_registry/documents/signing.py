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

TOKEN_VERSION = 1
KEY_FILE_NAME = "permit_signing_key.pem"
SIGNATURE_BYTES = 64
# A real token is under 200 characters; refusing long input early bounds the work per request.
MAX_TOKEN_CHARS = 512

_PERMIT_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9./-]{0,39}")
_INITIALS = re.compile(r"[A-Z]{1,8}")
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


def permit_statement(
    permit_number: str, holder_name: str, nationality: str, expires_on: date
) -> PermitStatement:
    """The statement signed for a permit: number, holder's initials, nationality, expiry."""
    return PermitStatement(
        permit_number=permit_number.strip().upper(),
        holder_initials=holder_initials(holder_name),
        nationality=nationality.strip().upper(),
        expires_on=expires_on,
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
    fields = (
        str(statement.version),
        statement.permit_number,
        statement.holder_initials,
        statement.nationality,
        statement.expires_on.isoformat(),
    )
    return "|".join(fields).encode("ascii")


def _decode_statement(payload: bytes) -> PermitStatement | None:
    try:
        text = payload.decode("ascii")
    except UnicodeDecodeError:
        return None
    parts = text.split("|")
    if len(parts) != 5 or parts[0] != str(TOKEN_VERSION):
        return None
    _, number, initials, nationality, expiry = parts
    checks = (
        (_PERMIT_NUMBER, number),
        (_INITIALS, initials),
        (_NATIONALITY, nationality),
        (_ISO_DATE, expiry),
    )
    if not all(pattern.fullmatch(value) for pattern, value in checks):
        return None
    try:
        expires_on = date.fromisoformat(expiry)
    except ValueError:
        return None
    return PermitStatement(number, initials, nationality, expires_on, TOKEN_VERSION)


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
