"""Many permits printed at once: the stored documents of the chosen permits joined into one PDF.

Nothing is rendered here: each permit's stored document (rendered once, by documents.render, when
it was issued) is read through :func:`download_permit_document`, which checks access and audits
the read, and pypdf joins the pages in the order chosen.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime

from pypdf import PdfReader, PdfWriter

from tka_registry.accounts.roles import Actor
from tka_registry.documents.service import download_permit_document
from tka_registry.errors import InvalidInput
from tka_registry.settings import Settings

MAX_PERMITS = 100  # one print run; a larger one is a job for `documents render --all`


async def permits_pdf(
    actor: Actor, permit_ids: Iterable[int], *, settings: Settings, now: datetime
) -> bytes:
    """One PDF holding the current document of each permit in ``permit_ids`` (repeats once),
    in that order; 404 for any the actor may not see, 400 for none or too many."""
    chosen = list(dict.fromkeys(permit_ids))
    if not chosen:
        raise InvalidInput("izin", "choose at least one permit")
    if len(chosen) > MAX_PERMITS:
        raise InvalidInput("izin", f"at most {MAX_PERMITS} permits at once, not {len(chosen)}")
    writer = PdfWriter()
    for permit_id in chosen:
        pdf, _ = await download_permit_document(actor, permit_id, settings=settings, now=now)
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
