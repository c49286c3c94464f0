"""Password hashing with argon2id (argon2-cffi), off the event loop, and the rules for new ones.

New passwords follow OWASP ASVS 4.0.3 section 2.1: at least 12 characters (2.1.1), up to 128 and
never truncated (2.1.2, 2.1.3), any character including spaces and emoji (2.1.4), no
composition rules (2.1.9), checked against a list of breached passwords (2.1.7) and a strength
estimate (2.1.8). The list is the 30,000 most common passwords of the leaked-password corpus that
zxcvbn (Dropbox's estimator, shipped as the ``zxcvbn`` package) carries; the estimate is zxcvbn's.
"""

from __future__ import annotations

import functools

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# A real hash of a random password: checking an unknown email costs as much as a known one.
_DECOY_HASH = _hasher.hash("decoy password never used")

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
# zxcvbn's score 3: "safely unguessable", about 10^8 guesses or more.
MIN_STRENGTH = 3
# zxcvbn's time grows with length; what decides a long password's strength is its start.
_ESTIMATED_PREFIX = 64

# Why a password is refused: code -> English reason (pages translate the code, see web/account).
PROBLEMS = {
    "too_short": f"password must have at least {MIN_PASSWORD_LENGTH} characters",
    "too_long": f"password must have at most {MAX_PASSWORD_LENGTH} characters",
    "spaces": "password must not start or end with spaces",
    "common": "password is on the list of common or breached passwords",
    "personal": "password must not contain the email address or its name",
    "guessable": "password is too easy to guess: use a longer phrase of unrelated words",
}


@functools.cache
def _breached() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem_code(password: str, email: str = "") -> str | None:
    """The key in :data:`PROBLEMS` of why ``password`` is refused for ``email``, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    if len(password) > MAX_PASSWORD_LENGTH:
        return "too_long"
    if password.strip() != password:
        return "spaces"
    folded = password.casefold()
    squeezed = "".join(folded.split())
    if folded in _breached() or squeezed in _breached():
        return "common"
    local_part = email.casefold().partition("@")[0]
    if len(local_part) >= 4 and local_part in squeezed:
        return "personal"
    from zxcvbn import zxcvbn

    estimate = zxcvbn(password[:_ESTIMATED_PREFIX], user_inputs=[email, local_part])
    if int(estimate["score"]) < MIN_STRENGTH:
        return "guessable"
    return None


def password_problem(password: str, email: str = "") -> str | None:
    """Why a new password is refused (English), or None when acceptable."""
    code = password_problem_code(password, email)
    return PROBLEMS[code] if code else None


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
