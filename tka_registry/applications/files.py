"""Uploaded files judged by their content (kept as blobs by ``tka_registry.storage``).

A file's type comes from its bytes (magic number plus a structural check that the whole file
reads as that type), never from its name or the type the browser claims.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from tka_registry.errors import InvalidInput

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# Larger images are refused before anything decodes them (decompression bombs): 50 megapixels
# holds an A4 page scanned at 600 dpi.
MAX_IMAGE_PIXELS = 50_000_000
# Objects walked looking for active content; a PDF with more is refused as too complex.
MAX_PDF_OBJECTS = 200_000
# Actions that run something or leave the document (ISO 32000-1 12.6.4); GoTo stays inside it.
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/Rendition"}


def pdf_active_content(reader: PdfReader) -> str | None:
    """What active content a PDF carries (JavaScript, an opening or launch action other than a
    plain GoTo, embedded files), or None. Walks every object reachable from the trailer,
    direct and indirect, without decoding any stream."""
    seen: set[tuple[int, int]] = set()
    stack: list[object] = [reader.trailer]
    walked = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        walked += 1
        if walked > MAX_PDF_OBJECTS:
            return "too many objects to check"
        if isinstance(item, DictionaryObject):
            found = _active_entry(item)
            if found:
                return found
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


def _active_entry(entry: DictionaryObject) -> str | None:
    if "/JS" in entry or entry.get("/S") == "/JavaScript" or "/JavaScript" in entry:
        return "JavaScript"
    if entry.get("/S") in _ACTIVE_ACTIONS:
        return f"a {str(entry['/S']).lstrip('/')} action"
    if "/EmbeddedFiles" in entry or entry.get("/Type") in ("/EmbeddedFile", "/Filespec"):
        return "embedded files"
    if entry.get("/Subtype") in ("/FileAttachment", "/RichMedia", "/Movie", "/Sound"):
        return f"a {str(entry['/Subtype']).lstrip('/')} annotation"
    opening = entry.get("/OpenAction")
    if isinstance(opening, IndirectObject):
        opening = opening.get_object()
    if isinstance(opening, DictionaryObject) and opening.get("/S") != NameObject("/GoTo"):
        return f"an opening action ({str(opening.get('/S', '')).lstrip('/')})"
    return None


def pdf_refusal(content: bytes) -> str | None:
    """Why an uploaded PDF is refused for its content, or None when it is plain."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = pdf_active_content(PdfReader(io.BytesIO(content), strict=False))
    except Exception:  # a PDF whose objects do not read cannot be shown plain
        return "the PDF's objects cannot be read"
    return f"the PDF carries {found}: only plain documents are accepted" if found else None


def image_refusal(content: bytes) -> str | None:
    """Why an uploaded image is refused before decoding (a decompression bomb), or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(content)) as image:  # reads the header only
                width, height = image.size
    except Exception:
        return None  # not an image Pillow knows: sniff_content_type refuses it
    if width * height > MAX_IMAGE_PIXELS:
        return (
            f"the image is {width} x {height} pixels; at most {MAX_IMAGE_PIXELS:,} pixels "
            "are accepted"
        )
    return None


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
    if image_refusal(content):  # never verify (or decode) a decompression bomb
        return False
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
    refusal = pdf_refusal(content) if content.startswith(b"%PDF-") else image_refusal(content)
    if refusal:
        raise InvalidInput(field, refusal)
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


def clean_file_name(name: str, max_length: int = 200) -> str:
    """The name a browser sent for a file, as text to show: its last path part, without
    control characters, at most ``max_length`` characters (never used as a path)."""
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    printable = "".join(ch for ch in last if ch.isprintable()).strip()
    return printable[-max_length:]
