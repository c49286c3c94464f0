"""Uploaded files judged by their content (kept as blobs by ``tka_registry.storage``).

A file's type comes from its bytes (magic number plus a structural check that the whole file
reads as that type), never from its name or the type the browser claims.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image
from pypdf import PdfReader

from tka_registry.errors import InvalidInput

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _pdf_reads(content: bytes) -> bool:
    # A PDF must end with %%EOF (ISO 32000-1 7.5.5) and pypdf must find at least one page.
    if b"%%EOF" not in content[-1024:]:
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return len(PdfReader(io.BytesIO(content), strict=False).pages) > 0
    except Exception:  # any parse failure means "not a usable PDF"
        return False


def _image_reads(content: bytes, expected_format: str) -> bool:
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format != expected_format:
                return False
            image.verify()  # walks the chunks/segments without decoding every pixel
        return True
    except Exception:  # truncated or corrupt image
        return False


def sniff_content_type(content: bytes) -> str | None:
    """``application/pdf``, ``image/jpeg`` or ``image/png`` when the bytes really are one."""
    if content.startswith(b"%PDF-"):
        return PDF if _pdf_reads(content) else None
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG if _image_reads(content, "JPEG") else None
    if content.startswith(_PNG_SIGNATURE):
        return PNG if _image_reads(content, "PNG") else None
    return None


def checked_upload(content: bytes, max_bytes: int, field: str = "file") -> str:
    """The content type of an acceptable upload; raises InvalidInput naming why not."""
    if not content:
        raise InvalidInput(field, "the file is empty")
    if len(content) > max_bytes:
        raise InvalidInput(
            field, f"the file is {len(content)} bytes; the limit is {max_bytes} bytes"
        )
    content_type = sniff_content_type(content)
    if content_type is None:
        raise InvalidInput(
            field, "the file is not a readable PDF, JPEG or PNG (judged by its content)"
        )
    return content_type


# A passport photo is a few hundred kilopixels; more than this is no photo a permit prints.
PHOTO_MAX_PIXELS = 25_000_000


def checked_photo(content: bytes, max_bytes: int, field: str = "file") -> str:
    """The content type of an acceptable holder's photo (JPEG or PNG within ``max_bytes`` and
    :data:`PHOTO_MAX_PIXELS`); raises InvalidInput naming why not."""
    if len(content) > max_bytes:
        raise InvalidInput(
            field, f"the photo is {len(content)} bytes; the limit is {max_bytes} bytes"
        )
    content_type = checked_upload(content, max_bytes, field)
    if content_type not in (JPEG, PNG):
        raise InvalidInput(field, "a photo must be a JPEG or PNG image (judged by its content)")
    with Image.open(io.BytesIO(content)) as image:
        width, height = image.size
    if width * height > PHOTO_MAX_PIXELS:
        raise InvalidInput(
            field, f"the photo is {width}x{height} pixels; the limit is {PHOTO_MAX_PIXELS} pixels"
        )
    return content_type
