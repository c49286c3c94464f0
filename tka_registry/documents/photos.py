"""The holder's photo on a permit document: the photo attached to the application that issued
the permit, scaled down once to the size it is printed at.

The photo was checked as a JPEG or PNG image when it was uploaded (applications.files
``checked_photo``); here it is read back from the applications' attachments, the one place
they are kept, and re-encoded as a small JPEG so a large upload never slows a render.
"""

from __future__ import annotations

import base64
import io
import logging

from PIL import Image, ImageOps

from tka_registry.settings import Settings
from tka_registry.storage.blobs import StoredFileMissing, get_blob

log = logging.getLogger("tka_registry.documents")

JPEG_DATA_PREFIX = "data:image/jpeg;base64,"
# Printed 30 x 40 mm: 300 x 400 pixels is 250 dpi, sharp on paper and a few tens of kilobytes.
PRINT_PIXELS = (300, 400)


def photo_data_uri(raw: bytes) -> str | None:
    """A ``data:image/jpeg`` URI of ``raw`` (JPEG or PNG) fitted into :data:`PRINT_PIXELS`;
    None when the bytes are no readable image."""
    try:
        with Image.open(io.BytesIO(raw)) as opened:
            upright = ImageOps.exif_transpose(opened) or opened
            printed = upright.convert("RGB")
            printed.thumbnail(PRINT_PIXELS)
            out = io.BytesIO()
            printed.save(out, format="JPEG", quality=85)
    except Exception:  # a stored file that is no longer a readable image: print no photo
        log.warning("a stored holder photo could not be read")
        return None
    return JPEG_DATA_PREFIX + base64.b64encode(out.getvalue()).decode("ascii")


async def permit_photos(permit_ids: list[int], settings: Settings) -> dict[int, str]:
    """The photo data URI of each permit in ``permit_ids`` whose application carried a photo
    (the latest photo attached to it)."""
    # Imported here: the applications area renders letters through this one (no import cycle).
    from tka_registry.applications.checklist import AttachmentKind
    from tka_registry.applications.tables import Attachment

    if not permit_ids:
        return {}
    rows = (
        await Attachment.select(Attachment.sha256, Attachment.application.permit_id)
        .where(
            Attachment.application.permit_id.is_in(permit_ids)
            & (Attachment.kind == AttachmentKind.PHOTO.value)
        )
        .order_by(Attachment.id)
    )
    latest = {row["application.permit_id"]: row["sha256"] for row in rows}  # the last wins
    photos: dict[int, str] = {}
    for permit_id, digest in latest.items():
        try:
            raw = await get_blob(digest)
        except StoredFileMissing:
            log.warning("photo %s of permit %s is missing from storage", digest, permit_id)
            continue
        uri = photo_data_uri(raw)
        if uri:
            photos[permit_id] = uri
    return photos
