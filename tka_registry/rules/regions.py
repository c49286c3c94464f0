"""Regencies (kabupaten/kota) of the office's working area, by their official names.

The list itself is the setting ``TKA_REGENCIES`` (shared/domain.md: wilayah kerja).
"""

from __future__ import annotations

from collections.abc import Sequence

from tka_registry.rules.nationality import fold

_PREFIXES = {"kab.": "kabupaten", "kab": "kabupaten", "kabupaten": "kabupaten", "kota": "kota"}


def official_regency(text: str, regencies: Sequence[str]) -> str | None:
    """The official name ``text`` means ("kab. banyuasin" -> "Kabupaten Banyuasin"), else None.

    A bare name ("Palembang") matches when exactly one regency of the list carries it.
    """
    wanted = fold(text)
    first, _, rest = wanted.partition(" ")
    if first in _PREFIXES and rest:
        wanted = f"{_PREFIXES[first]} {rest}"
    by_fold = {fold(name): name for name in regencies}
    if wanted in by_fold:
        return by_fold[wanted]
    bare = [name for key, name in by_fold.items() if key.split(" ", 1)[-1] == wanted]
    return bare[0] if len(bare) == 1 else None
