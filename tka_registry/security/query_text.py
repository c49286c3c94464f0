"""Query strings are checked before any handler runs: a NUL character is never a valid value.

PostgreSQL cannot hold a NUL in text; a filter carrying one would fail only when the query runs,
which for a streamed export is after the answer has started (a cut body). Refused here, every
endpoint answers 400 naming the parameter before anything is read or streamed.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ValidationException


async def refuse_nul_in_query(request: Request[Any, Any, Any]) -> None:
    """``before_request`` hook: 400 for a query parameter holding a NUL character."""
    for name, value in request.query_params.multi_items():
        if "\x00" in name or "\x00" in value:
            reason = "holds a NUL character, which no value may contain"
            raise ValidationException(
                f"{name!r}: {reason}", extra=[{"key": name.replace("\x00", ""), "message": reason}]
            )
