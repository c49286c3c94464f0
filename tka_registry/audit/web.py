"""The audit page for admins: the log filtered by actor, object, action and days, and its CSV.

The page and its CSV link live under ``/audit`` because pages sign in with the session cookie,
which the JSON API (``/api/v1/audit``) does not accept.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.response import Stream, Template

from tka_registry.accounts.auth import access
from tka_registry.accounts.roles import Role
from tka_registry.audit.queries import AuditFilters, audit_csv, count_entries, entries_page
from tka_registry.audit.service import record_read, seal_reads
from tka_registry.dependencies import CurrentActor, Today
from tka_registry.web.i18n import translator

PAGE_SIZE = 50
TEXT_FILTERS = ("actor", "object_type", "object_id", "action")


def _filters(request: Request[Any, Any, Any]) -> tuple[AuditFilters, dict[str, str], dict]:
    """Filters from the query string, the values to show back, and errors by field."""
    _ = translator(request)
    values = {
        k: request.query_params.get(k, "").strip()[:254] for k in (*TEXT_FILTERS, "since", "until")
    }
    errors: dict[str, str] = {}
    days: dict[str, date | None] = {}
    for name in ("since", "until"):
        try:
            days[name] = date.fromisoformat(values[name]) if values[name] else None
        except ValueError:
            days[name] = None
            errors[name] = _("Enter a date as YYYY-MM-DD")
    if days["since"] and days["until"] and days["since"] > days["until"]:
        errors["until"] = _("The end date is before the start date")
        days["until"] = None
    texts = {k: values[k] or None for k in TEXT_FILTERS}
    return AuditFilters(**texts, since=days["since"], until=days["until"]), values, errors


def _details(text: str) -> str:
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True)
    except ValueError:
        return text


class AuditPages(Controller):
    path = "/audit"
    include_in_schema = False

    @get("/", opt=access(Role.ADMIN))
    async def log(self, request: Request[Any, Any, Any]) -> Template:
        filters, values, errors = _filters(request)
        try:
            page = max(1, int(request.query_params.get("halaman", "1")))
        except ValueError:
            page = 1
        await seal_reads()  # the log shows every read recorded so far
        total = await count_entries(filters)
        rows = await entries_page(filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        query = {k: v for k, v in values.items() if v}
        pages = max(1, -(-total // PAGE_SIZE))
        return Template(
            template_name="audit/log.html",
            context={
                "values": values,
                "errors": errors,
                "entries": [row | {"details": _details(row["details"])} for row in rows],
                "total": total,
                "page": page,
                "pages": pages,
                "previous_url": f"?{urlencode(query | {'halaman': page - 1})}" if page > 1 else "",
                "next_url": f"?{urlencode(query | {'halaman': page + 1})}" if page < pages else "",
                "csv_url": "/audit/unduh.csv" + (f"?{urlencode(query)}" if query else ""),
            },
            status_code=400 if errors else 200,
        )

    @get("/unduh.csv", opt=access(Role.ADMIN))
    async def export_csv(
        self, request: Request[Any, Any, Any], actor: CurrentActor, today: Today
    ) -> Stream:
        filters, _, _ = _filters(request)
        await record_read(actor, "audit.export", "audit", "", {"filters": filters.__dict__})
        await seal_reads()  # the export shows every read recorded so far, its own included
        return Stream(
            audit_csv(filters),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="audit-{today}.csv"'},
        )
