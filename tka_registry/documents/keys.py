"""The office's signing keys, kept in the database so every process and host signs and
verifies alike.

Each key is a row of ``signing_key``: a short stable id (``kid``), the public key (PEM), the
private key wrapped with AES-256-GCM under a key derived (HKDF-SHA256) from ``TKA_SECRET_KEY``,
``valid_from`` and ``retired_on``. The one key with no ``retired_on`` signs; every key verifies.

A process creates a key only when the table is empty and no permit document exists: documents
signed by a key the database does not hold would then verify "invalid" for ever, so it refuses
(:class:`SigningKeyRefused`) and says how to bring the old key in (``tka-registry migrate``
beside the old key file, or a restore).
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from tka_registry.db import INTEGRITY_ERRORS, write_transaction
from tka_registry.documents import signing
from tka_registry.documents.tables import SigningKey, StoredDocument
from tka_registry.settings import Settings

# Where versions before issue 16 kept the key: TKA_DATA_DIR/keys/permit_signing_key.pem.
KEYS_FOLDER = "keys"
WRAP_VERSION = "v1"
_WRAP_INFO = b"tka-registry signing key wrap v1"


class SigningKeyRefused(RuntimeError):
    """No usable signing key, and making one would orphan documents already signed."""


@dataclass(frozen=True)
class OfficeKey:
    """A published key: what a verifier needs, and when it signed."""

    kid: str
    public_key: Ed25519PublicKey
    valid_from: datetime
    retired_on: datetime | None

    @property
    def public_pem(self) -> str:
        return signing.public_key_pem(self.public_key)


@dataclass(frozen=True)
class CurrentKey:
    """The key that signs now: its id and private half."""

    kid: str
    private_key: Ed25519PrivateKey


# --- pure parts ------------------------------------------------------------------------------


def key_id(public_key: Ed25519PublicKey) -> str:
    """A short stable id of a key: base32 (lower case, no padding) of its SHA-256, 16 chars."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b32encode(hashlib.sha256(raw).digest()[:10]).decode("ascii").lower()


@cache
def _wrapping_key(secret_key: str) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_WRAP_INFO).derive(
        secret_key.encode("utf-8")
    )
    return AESGCM(derived)


def wrap_private_key(key: Ed25519PrivateKey, secret_key: str, kid: str) -> str:
    """``v1.<base64 nonce+ciphertext>`` of the raw private key; the kid is authenticated too."""
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    nonce = os.urandom(12)
    sealed = _wrapping_key(secret_key).encrypt(nonce, raw, kid.encode("ascii"))
    return f"{WRAP_VERSION}.{base64.b64encode(nonce + sealed).decode('ascii')}"


@cache
def unwrap_private_key(wrapped: str, secret_key: str, kid: str) -> Ed25519PrivateKey:
    """The private key sealed by :func:`wrap_private_key`.

    Raises :class:`SigningKeyRefused` when ``secret_key`` is not the one it was wrapped with.
    """
    version, _, text = wrapped.partition(".")
    if version != WRAP_VERSION:
        raise SigningKeyRefused(f"signing key {kid} is wrapped in an unknown format {version!r}")
    sealed = base64.b64decode(text)
    try:
        raw = _wrapping_key(secret_key).decrypt(sealed[:12], sealed[12:], kid.encode("ascii"))
    except InvalidTag:
        raise SigningKeyRefused(
            f"signing key {kid} in the database was wrapped with another TKA_SECRET_KEY: "
            "every process and host must be started with the same TKA_SECRET_KEY"
        ) from None
    return Ed25519PrivateKey.from_private_bytes(raw)


def _office_key(row: dict[str, Any]) -> OfficeKey:
    return OfficeKey(
        kid=row["kid"],
        public_key=signing.load_public_key(row["public_key"]),
        valid_from=row["valid_from"],
        retired_on=row["retired_on"],
    )


# --- reading ---------------------------------------------------------------------------------


async def published_keys() -> list[OfficeKey]:
    """Every key that verifies, oldest first (the current one last)."""
    rows = await SigningKey.select().order_by(SigningKey.valid_from).order_by(SigningKey.id)
    return [_office_key(row) for row in rows]


async def public_key_for(kid: str) -> OfficeKey | None:
    """The key named ``kid``, or None for an unknown id."""
    row = await SigningKey.select().where(SigningKey.kid == kid).first()
    return _office_key(row) if row else None


async def _current_row() -> dict[str, Any] | None:
    return await SigningKey.select().where(SigningKey.retired_on.is_null()).first()


async def current_signing_key(settings: Settings, *, now: datetime | None = None) -> CurrentKey:
    """The key that signs now, unwrapped; created first when the database has none and no
    signed document exists (else :class:`SigningKeyRefused`)."""
    row = await _current_row()
    if row is None:
        await ensure_signing_key(settings, now=now)
        row = await _current_row()
        if row is None:  # pragma: no cover - ensure_signing_key leaves one or raises
            raise SigningKeyRefused("no current signing key after creating one")
    private = unwrap_private_key(row["wrapped_private_key"], settings.secret_key, row["kid"])
    return CurrentKey(kid=row["kid"], private_key=private)


# --- creating and importing ------------------------------------------------------------------


async def _insert(
    key: Ed25519PrivateKey, settings: Settings, valid_from: datetime, retired_on: datetime | None
) -> str:
    kid = key_id(key.public_key())
    await SigningKey.insert(
        SigningKey(
            kid=kid,
            public_key=signing.public_key_pem(key),
            wrapped_private_key=wrap_private_key(key, settings.secret_key, kid),
            valid_from=valid_from,
            retired_on=retired_on,
        )
    )
    return kid


async def ensure_signing_key(settings: Settings, *, now: datetime | None = None) -> str:
    """Check the current key unwraps with ``settings.secret_key``, or create the first key.

    Answers the current kid. Raises :class:`SigningKeyRefused` when the key cannot be unwrapped,
    or when there is no key but permit documents exist (they were signed by a key that is not
    here: a new one would make every printed QR code verify "invalid").
    """
    now = now or datetime.now(UTC)
    try:
        return await _ensure_once(settings, now)
    except INTEGRITY_ERRORS:  # another process created the first key at the same moment
        return await _ensure_once(settings, now)


async def _ensure_once(settings: Settings, now: datetime) -> str:
    async with write_transaction(SigningKey._meta.db):
        row = await _current_row()
        if row is None:
            signed = await StoredDocument.count().where(StoredDocument.kind == "permit")
            if signed:
                raise SigningKeyRefused(
                    f"the database holds {signed} permit document(s) signed by a key it does not "
                    "hold, so a new signing key would make their QR codes verify 'invalid'. Run "
                    "`tka-registry migrate` with TKA_DATA_DIR pointing at the folder whose "
                    f"{KEYS_FOLDER}/{signing.KEY_FILE_NAME} signed them, or restore the backup "
                    "that holds the keys"
                )
            return await _insert(Ed25519PrivateKey.generate(), settings, now, None)
    unwrap_private_key(row["wrapped_private_key"], settings.secret_key, row["kid"])
    return str(row["kid"])


async def import_key_file(settings: Settings, *, now: datetime | None = None) -> str | None:
    """Bring the key file of an installation before issue 16 into the database; idempotent.

    The file's key becomes the current key when the database has none, else a retired key that
    still verifies what it signed. Answers the kid imported, or None when there was nothing new.
    The file is left in place (delete it once a backup holds the database).
    """
    key_file = settings.data_dir / KEYS_FOLDER / signing.KEY_FILE_NAME
    if not key_file.exists():
        return None
    key = signing.load_signing_key_file(Path(key_file))
    kid = key_id(key.public_key())
    now = now or datetime.now(UTC)
    made = datetime.fromtimestamp(key_file.stat().st_mtime, UTC)
    async with write_transaction(SigningKey._meta.db):
        if await SigningKey.exists().where(SigningKey.kid == kid):
            return None
        current = await _current_row()
        return await _insert(key, settings, min(made, now), None if current is None else now)


# --- rotating and trusting (issue 20) ----------------------------------------------------------

# A process that read the current key just before a rotation may sign a moment after it: such
# signatures stay good for this long after the key's retirement, no longer.
ROTATION_GRACE = timedelta(seconds=60)


async def rotate_signing_key(settings: Settings, *, now: datetime | None = None) -> tuple[str, str]:
    """Retire the current key (it keeps verifying what it signed) and make a new one that every
    process signs with from its next document on; answers (old kid, new kid)."""
    now = now or datetime.now(UTC)
    await ensure_signing_key(settings, now=now)
    async with write_transaction(SigningKey._meta.db):
        current = await _current_row()
        assert current is not None  # ensure_signing_key leaves one
        await SigningKey.update({SigningKey.retired_on: now}).where(SigningKey.id == current["id"])
        new_kid = await _insert(Ed25519PrivateKey.generate(), settings, now, None)
    return str(current["kid"]), new_kid


def trusted_statement(token: object, keys: dict[str, OfficeKey]) -> signing.PermitStatement | None:
    """The statement of ``token`` when a published key signed it while that key was in use.

    A version 2 token names its key: an unknown kid, a signature by another key, or a signing
    time outside the key's [valid_from, retired_on + grace] answers None. A version 1 token
    (before keys were named) is tried against every published key.
    """
    kid = signing.token_kid(token)
    if kid is None:
        for key in keys.values():
            statement = signing.verify_token(key.public_key, token)
            if statement is not None and statement.version == signing.TOKEN_VERSION:
                return statement
        return None
    named = keys.get(kid)
    statement = signing.verify_token(named.public_key, token) if named else None
    if named is None or statement is None or statement.kid != kid:
        return None
    return statement if signed_while_in_use(named, statement.signed_at) else None


def signed_while_in_use(key: OfficeKey, signed_at: int) -> bool:
    """True when ``signed_at`` (Unix seconds) lies in the key's time of use."""
    signed = datetime.fromtimestamp(signed_at, UTC)
    if signed < key.valid_from - ROTATION_GRACE:
        return False
    return key.retired_on is None or signed <= key.retired_on + ROTATION_GRACE


def public_raw(key: OfficeKey) -> str:
    """The 32 raw bytes of the public key, base64url without padding (WebCrypto "raw")."""
    raw = key.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
