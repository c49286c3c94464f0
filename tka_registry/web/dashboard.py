"""The dashboards' "needs action" board as a page: query parameters in, template context out.

The grouping, ordering and paging are SQL in ``workers.board``; this module only reads the
page's query (``urut`` sort, ``cari`` search, ``status`` group, ``halaman`` page number).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter

from tka_registry.dependencies import CurrentActor, SettingsDep, Today
from tka_registry.errors import InvalidInput
from tka_registry.workers.board import GROUPS, BoardFilters, board, parse_sort

MAX_SEARCH = 200


def board_filters(search: str | None, group: str | None) -> BoardFilters:
    """The page's search and group; an unknown group is an error naming the field."""
    search = (search or "").strip()
    if len(search) > MAX_SEARCH:
        raise InvalidInput("cari", f"at most {MAX_SEARCH} characters")
    if group and group not in GROUPS:
        raise InvalidInput("status", f"{group!r} is not one of {', '.join(GROUPS)}")
    return BoardFilters(q=search, group=group or None)


async def provide_board_page(
    actor: CurrentActor,
    settings: SettingsDep,
    today: Today,
    sort: Annotated[str | None, QueryParameter(name="urut")] = None,
    search: Annotated[str | None, QueryParameter(name="cari")] = None,
    group: Annotated[str | None, QueryParameter(name="status")] = None,
    page: Annotated[int, QueryParameter(name="halaman", ge=1, le=1_000_000)] = 1,
) -> dict[str, Any]:
    """What ``_board.html`` needs: one page of the board and the page's own choices."""
    key, descending = parse_sort(sort)
    filters = board_filters(search, group)
    shown = await board(
        actor,
        filters,
        sort=key,
        descending=descending,
        page=page,
        today=today,
        settings=settings,
    )
    return {
        "board": shown,
        "sort": key,
        "descending": descending,
        "search": filters.q,
        "group": filters.group,
        "window_days": settings.extension_window_days,
    }


# A page handler takes ``board: BoardPage`` with ``dependencies=BOARD``.
BoardPage = NamedDependency[dict[str, Any]]
BOARD = {"board": Provide(provide_board_page)}
