"""The holder's photo: checked as an image at upload, printed on the permit (issue 20)."""

from __future__ import annotations

import io
import os

from PIL import Image
from pypdf import PdfReader

from tests.applications.conftest import (
    attach_documents,
    image_bytes,
    new_itas_body,
    pdf_bytes,
    upload,
)
from tests.factories import created
from tka_registry.applications.tables import Attachment

CASES = "/api/v1/applications"


def _portrait() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 800), (200, 170, 140)).save(out, format="JPEG")
    return out.getvalue()


async def test_photo_is_refused_unless_a_small_image(client, office) -> None:
    case = await created(client, CASES, new_itas_body(), office.sponsor)
    as_pdf = await upload(client, case["id"], office.sponsor, pdf_bytes(), kind="photo")
    assert as_pdf.status_code == 422
    assert as_pdf.json()["errors"][0]["field"] == "file"
    assert "JPEG or PNG" in as_pdf.json()["errors"][0]["reason"]
    noise = io.BytesIO()
    Image.frombytes("RGB", (1100, 1100), os.urandom(1100 * 1100 * 3)).save(noise, format="PNG")
    assert 2 * 1024 * 1024 < len(noise.getvalue()) < 5 * 1024 * 1024  # under the general limit
    too_large = await upload(
        client, case["id"], office.sponsor, noise.getvalue(), kind="photo",
        name="foto.png", content_type="image/png",
    )  # fmt: skip
    assert too_large.status_code == 422 and "limit" in too_large.json()["errors"][0]["reason"]
    fake = await upload(
        client, case["id"], office.sponsor, b"\x89PNG\r\n\x1a\nnot really", kind="photo",
        name="foto.png", content_type="image/png",
    )  # fmt: skip
    assert fake.status_code == 422
    assert await Attachment.count() == 0
    fine = await upload(
        client, case["id"], office.sponsor, image_bytes("PNG"), kind="photo",
        name="foto.png", content_type="image/png",
    )  # fmt: skip
    assert fine.status_code == 201


async def test_the_permit_prints_the_photo_of_its_application(client, office) -> None:
    case = await created(client, CASES, new_itas_body(), office.sponsor)
    await attach_documents(client, case["id"], office.sponsor, ("passport_page", "rptka", "dkptka"))
    photo = await upload(
        client, case["id"], office.sponsor, _portrait(), kind="photo",
        name="foto.jpg", content_type="image/jpeg",
    )  # fmt: skip
    assert photo.status_code == 201, photo.text
    assert (await client.post(f"{CASES}/{case['id']}/submit", headers=office.sponsor)).is_success
    decided = await client.post(
        f"{CASES}/{case['id']}/decision", json={"decision": "approve"}, headers=office.officer
    )
    assert decided.status_code == 200, decided.text
    permit_id = decided.json()["permit"]["id"]
    document = await client.get(f"/api/v1/permits/{permit_id}/document", headers=office.officer)
    page = PdfReader(io.BytesIO(document.content)).pages[0]
    sizes = sorted(image.image.size for image in page.images)
    # The QR code and the photo, scaled to 300 x 400 pixels (30 x 40 mm at 250 dpi).
    assert (300, 400) in sizes and len(sizes) == 2
