"""Password hashing with argon2id (argon2-cffi), off the event loop."""

from __future__ import annotations

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# A real hash of a random password: checking an unknown email costs as much as a known one.
_DECOY_HASH = _hasher.hash("decoy password never used")

MIN_PASSWORD_LENGTH = 10


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None when acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"password must have at least {MIN_PASSWORD_LENGTH} characters"
    if password.strip() != password:
        return "password must not start or end with spaces"
    return None


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hasher.hash, password)


async def check_password(password: str, password_hash: str | None) -> bool:
    """True when ``password`` matches; with no hash, spends the same time and answers False."""

    def verify() -> bool:
        try:
            return _hasher.verify(password_hash or _DECOY_HASH, password) and bool(password_hash)
        except (VerificationError, InvalidHashError):
            return False

    return await anyio.to_thread.run_sync(verify)
