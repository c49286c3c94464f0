"""The short code printed under a permit's QR code, typed at ``/verify`` when the QR cannot be
scanned (torn, faded, a phone without a camera).

Eight characters of Crockford's base32 (no I, L, O or U, so nothing reads as another) taken
from the SHA-256 of the signed token, then one check character (Damm's algorithm over the
quasigroup x*y = 2x + y of GF(32): every single mistyped character and every swap of two
neighbours is caught before any look-up). Printed as
``ABCD-EFGH-J``; read back in any case, with or without spaces and hyphens, I and L as 1, O as 0.
The code is a pointer to the signed token kept in ``manual_code``: what is verified is still the
office's signature, and 40 bits cannot be guessed at the verification rate limit.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from tka_registry.documents.tables import ManualCode

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
DATA_CHARS = 8
CODE_CHARS = DATA_CHARS + 1
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Crockford's decoding: letters people write for digits.
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def _times_two(value: int) -> int:
    """``value`` times x in GF(32) = GF(2)[x] / (x^5 + x^2 + 1)."""
    value <<= 1
    return value ^ 0b100101 if value & 0b100000 else value


def _interim(text: str) -> int:
    interim = 0
    for ch in text:
        interim = _times_two(interim) ^ _VALUE[ch]  # the quasigroup x*y = 2x + y
    return interim


def check_character(data: str) -> str:
    """The Damm check character of ``data`` (characters of :data:`ALPHABET`): the one that
    brings the running interim back to 0."""
    return ALPHABET[_times_two(_interim(data))]


def code_for(token: str) -> str:
    """The code of a signed token: 8 characters from its SHA-256 and the check character."""
    number = int.from_bytes(hashlib.sha256(token.encode("ascii")).digest()[:5], "big")
    data = "".join(ALPHABET[(number >> shift) & 31] for shift in range(35, -1, -5))
    return data + check_character(data)


def printed(code: str) -> str:
    """``ABCDEFGHJ`` as printed: ``ABCD-EFGH-J``."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def parsed(text: object) -> str | None:
    """The code typed in ``text`` when it is one (right length, alphabet, check character)."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    code = "".join(text.split()).replace("-", "").upper().translate(_READ_AS)
    if len(code) != CODE_CHARS or any(ch not in _VALUE for ch in code):
        return None
    return code if _interim(code) == 0 else None


async def remember(codes: dict[str, tuple[int, str]], now: datetime) -> set[str]:
    """Keep each code -> (permit id, token); answers the codes that point at their own token
    (a code already taken by another token, 1 in 10^12 per pair, is left off the document)."""
    for code, (permit_id, token) in codes.items():
        await ManualCode.raw(
            "INSERT INTO manual_code (code, permit_id, token, created_at) VALUES ({}, {}, {}, {})"
            " ON CONFLICT (code) DO NOTHING",
            code,
            permit_id,
            token,
            now,
        )
    if not codes:
        return set()
    rows = await ManualCode.select(ManualCode.code, ManualCode.token).where(
        ManualCode.code.is_in(list(codes))
    )
    return {row["code"] for row in rows if codes[row["code"]][1] == row["token"]}


async def token_for(code: str) -> str | None:
    """The signed token a code points at, or None."""
    row = await ManualCode.select(ManualCode.token).where(ManualCode.code == code).first()
    return str(row["token"]) if row else None
