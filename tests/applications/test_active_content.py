"""Uploads refused by their content: PDFs with JavaScript, opening or launch actions or embedded
files (made with pypdf, a real PDF library), and images too large to decode safely."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from tests.applications.conftest import new_itas_body, pdf_bytes, upload
from tests.factories import created
from tka_registry.applications.files import MAX_IMAGE_PIXELS

CASES = "/api/v1/applications"


def _written(change: Callable[[PdfWriter], None]) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _with_javascript(writer: PdfWriter) -> None:
    """Document-level JavaScript: the /Names /JavaScript tree (ISO 32000-1 12.6.4.16)."""
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    tree = ArrayObject([TextStringObject("hello"), writer._add_object(action)])
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): tree})}
    )


def _with_launch_on_open(writer: PdfWriter) -> None:
    launch = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(launch)


def _with_embedded_file(writer: PdfWriter) -> None:
    writer.add_attachment("data.exe", b"MZ not really a program")


def _with_javascript_on_page_open(writer: PdfWriter) -> None:
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("this.print();"),
        }
    )
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (_with_javascript, "JavaScript"),
        (_with_launch_on_open, "Launch"),
        (_with_embedded_file, "embedded files"),
        (_with_javascript_on_page_open, "JavaScript"),
    ],
)
async def test_pdfs_with_active_content_are_refused(client, office, change, named) -> None:
    case = await created(client, CASES, new_itas_body(), office.sponsor)
    hostile = _written(change)
    response = await upload(client, case["id"], office.sponsor, hostile)
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    assert error["field"] == "file" and named in error["reason"]
    stored = (await client.get(f"{CASES}/{case['id']}", headers=office.sponsor)).json()
    assert stored["attachments"] == []  # nothing was kept
    # A plain PDF, and one that only opens at its first page, are still welcome.
    assert (await upload(client, case["id"], office.sponsor, pdf_bytes())).status_code == 201

    def go_to_first_page(writer: PdfWriter) -> None:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/GoTo"), NameObject("/D"): TextStringObject("top")}
        )

    plain = await upload(client, case["id"], office.sponsor, _written(go_to_first_page))
    assert plain.status_code == 201, plain.text


def _png_claiming(width: int, height: int) -> bytes:
    """A real 1x1 PNG whose header (with a right checksum) claims ``width`` x ``height``."""
    out = io.BytesIO()
    Image.new("L", (1, 1)).save(out, format="PNG")
    data = bytearray(out.getvalue())
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


async def test_an_image_too_large_to_decode_is_refused_before_decoding(client, office) -> None:
    case = await created(client, CASES, new_itas_body(), office.sponsor)
    side = int(MAX_IMAGE_PIXELS**0.5) + 100
    bomb = _png_claiming(side, side)
    assert len(bomb) < 100
    response = await upload(
        client, case["id"], office.sponsor, bomb, name="scan.png", content_type="image/png"
    )
    assert response.status_code == 422, response.text
    assert "pixels" in response.json()["errors"][0]["reason"]
    small = _png_claiming(1, 1)
    accepted = await upload(
        client, case["id"], office.sponsor, small, name="scan.png", content_type="image/png"
    )
    assert accepted.status_code == 201, accepted.text
