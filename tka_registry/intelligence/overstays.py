"""The overstay list as a page's rows and as CSV: everyone past their permit, longest first.

Days, fines and the deportation mark come from intelligence.queries.overstays (rules.permits);
nothing is computed here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta

from tka_registry.accounts.roles import Actor
from tka_registry.employers.service import checked_regency
from tka_registry.errors import InvalidInput
from tka_registry.intelligence.exports import BOM, csv_delimiter
from tka_registry.intelligence.exports import _cell as cell
from tka_registry.intelligence.exports import _encode as encode
from tka_registry.intelligence.filters import checked_employer
from tka_registry.intelligence.queries import overstays
from tka_registry.settings import Settings
from tka_registry.spreadsheets.labels import value_label, yes_no
from tka_registry.workers.queries import WorkerFilters, checked_nationalities

CSV_BATCH = 1000
# (Indonesian, English) headers, in column order.
CSV_HEADERS = (
    ("ID", "ID"),
    ("Nama Lengkap", "Full Name"),
    ("Kewarganegaraan", "Nationality"),
    ("Penjamin", "Sponsor"),
    ("Nomor Izin", "Permit Number"),
    ("Berlaku Sampai", "Expires On"),
    ("Hari Overstay", "Days of Overstay"),
    ("Denda (Rp)", "Fine (IDR)"),
    ("Deportasi", "Deportation"),
)
OVERSTAY_WIDTHS = (8, 32, 18, 32, 20, 14, 12, 16, 11)  # characters, per column


@dataclass(frozen=True)
class OverstayFilters:
    nationality: str = ""
    employer_id: str = ""
    regency: str = ""
    deportation_only: bool = False


async def checked_filters(
    form: OverstayFilters, *, today: date, settings: Settings
) -> WorkerFilters:
    """The worker filters of the page's fields; raises InvalidInput naming the bad one."""
    employer_id = None
    if form.employer_id:
        if not form.employer_id.isdigit():
            raise InvalidInput("penjamin", "choose an employer from the list")
        employer_id = await checked_employer(int(form.employer_id))
    last_expiry = None
    if form.deportation_only:
        # rules.permits.faces_deportation: more than N days over, so expired N + 1 days ago.
        last_expiry = today - timedelta(days=settings.overstay_deportation_days + 1)
    return WorkerFilters(
        nationalities=checked_nationalities(form.nationality),
        employer_id=employer_id,
        regency=checked_regency(form.regency, settings) if form.regency else None,
        expires_to=last_expiry,
    )


async def overstay_batches(
    actor: Actor, filters: WorkerFilters, *, today: date, settings: Settings, language: str = "id"
) -> AsyncIterator[list[list[object]]]:
    """Every overstay of ``filters`` as typed rows in ``CSV_HEADERS`` order (dates as dates,
    days and fines as numbers, words in ``language``), one database batch at a time."""
    offset = 0
    while True:
        page = await overstays(
            actor, filters, limit=CSV_BATCH, offset=offset, today=today, settings=settings
        )
        yield [
            [
                item.worker_id,
                item.full_name,
                value_label("nationality", item.nationality, language),
                item.employer_name or "",
                item.permit_number,
                item.expires_on,
                item.overstay_days,
                item.fine_idr,
                yes_no(item.faces_deportation, language),
            ]
            for item in page.items
        ]
        offset += CSV_BATCH
        if offset >= page.total or not page.items:
            return


def overstay_headers(language: str) -> list[str]:
    return [pair[language == "en"] for pair in CSV_HEADERS]


async def overstay_csv(
    actor: Actor, filters: WorkerFilters, *, today: date, settings: Settings, language: str = "id"
) -> AsyncIterator[bytes]:
    """Every overstay of ``filters`` as CSV (UTF-8 with BOM; ``;``-separated and in Indonesian
    words unless ``language`` is ``en``), one batch at a time."""
    delimiter = csv_delimiter(language)
    yield BOM + encode([overstay_headers(language)], delimiter)
    batches = overstay_batches(actor, filters, today=today, settings=settings, language=language)
    async for rows in batches:
        if rows:
            yield encode([[cell(value) for value in row] for row in rows], delimiter)
