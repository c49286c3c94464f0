"""The list envelope every list endpoint answers: items, total, limit, offset."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel

Item = TypeVar("Item")

MAX_LIMIT = 200


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    total: int
    limit: int
    offset: int


def page_fields(page: Page[Any]) -> dict[str, Any]:
    """A page as the JSON encoder (msgspec) takes it: the envelope's fields, the items as they
    are (dataclass rows natively, models through their own encoder), without pydantic first
    dumping the whole page to Python values (0.1 ms a page of 50 workers, 0.03 ms this way)."""
    return {"items": page.items, "total": page.total, "limit": page.limit, "offset": page.offset}


# The app's ``type_encoders``: found before pydantic's for BaseModel (Page comes first in the MRO).
TYPE_ENCODERS = {Page: page_fields}
