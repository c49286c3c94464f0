"""The signed list of permits no longer valid, for verifiers without a network (issue 20).

Shaped after W3C Bitstring Status List v1.0 (2025): one bit per permit, at the index its token
carries (the permit's id); a set bit means revoked or superseded as of the list's date. The
bits are gzip-compressed and base64url-encoded with the multibase ``u`` prefix, as
``encodedList`` is there. Why a bitstring rather than a list of numbers: its size depends on the
number of permits, not on who is revoked, so a phone downloads a few hundred bytes for the
office's few thousand permits (at least 16 KiB of bits before compression, as the W3C
recommends, so one permit's state cannot be told from the list's size), and looking a permit
up is one bit test.

The list is signed like a token: ``base64url(JSON payload) + "." + base64url(Ed25519
signature)``, by the current key, whose kid the payload names; the verifier checks it with the
key set of ``/verify/keys`` before believing any bit.
"""

from __future__ import annotations

import base64
import gzip
import json
from datetime import date, datetime
from typing import Any

from tka_registry.documents.keys import current_signing_key
from tka_registry.permits.tables import Permit
from tka_registry.settings import Settings

# W3C Bitstring Status List: at least 131,072 entries (16 KiB) for group privacy.
MIN_BITS = 131_072
PURPOSE = "revocation"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def encode_bits(indexes: list[int], length: int) -> str:
    """``u`` + base64url(gzip(bitstring)) with the bits at ``indexes`` set; bit 0 is the most
    significant bit of the first byte (W3C Bitstring Status List)."""
    bits = bytearray(length // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + _b64url(gzip.compress(bytes(bits), mtime=0))


def list_length(highest_index: int) -> int:
    """Bits enough for every index up to ``highest_index``: at least :data:`MIN_BITS`, whole
    multiples of 8 KiB beyond."""
    needed = highest_index + 1
    block = 65_536
    return max(MIN_BITS, -(-needed // block) * block)


async def no_longer_valid(today: date) -> tuple[list[int], int]:
    """Ids of the permits revoked on or before ``today`` or superseded, and the highest id."""
    rows = await Permit.raw(
        "SELECT id FROM permit WHERE NOT is_current"
        " OR (revoked_on IS NOT NULL AND revoked_on <= {})",
        today,
    )
    highest = await Permit.raw("SELECT COALESCE(MAX(id), 0) AS highest FROM permit")
    return [int(row["id"]) for row in rows], int(highest[0]["highest"])


async def signed_status_list(settings: Settings, *, today: date, now: datetime) -> dict[str, Any]:
    """The signed list as answered at ``GET /verify/status``."""
    indexes, highest = await no_longer_valid(today)
    length = list_length(highest)
    key = await current_signing_key(settings)
    payload = {
        "type": "BitstringStatusList",
        "purpose": PURPOSE,
        "kid": key.kid,
        "issued_at": now.isoformat().replace("+00:00", "Z"),
        "as_of": today.isoformat(),
        "length": length,
        "encoded_list": encode_bits(indexes, length),
    }
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("ascii")
    signature = key.private_key.sign(raw)
    return {"kid": key.kid, "status_list": f"{_b64url(raw)}.{_b64url(signature)}"}


def decoded_bits(encoded_list: str) -> bytes:
    """The bitstring of an ``encoded_list`` (for tests and tools)."""
    text = encoded_list.removeprefix("u")
    return gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def is_set(bits: bytes, index: int) -> bool:
    """Whether bit ``index`` is set (false beyond the list)."""
    return index // 8 < len(bits) and bool(bits[index // 8] & (0x80 >> (index % 8)))
