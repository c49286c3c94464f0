"""The dashboard page: SVG charts with title and description, hatched bars, data tables."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from xml.etree import ElementTree  # our own server's SVG, not untrusted input

from httpx import AsyncClient
from pypdf import PdfReader

from tests.intelligence.conftest import Registry

SVG = "{http://www.w3.org/2000/svg}"


async def test_dashboard_draws_accessible_black_and_white_charts(
    client: AsyncClient, registry: Registry, artifacts: Path
) -> None:
    response = await client.get("/intelijen/", headers=registry.intel)
    assert response.status_code == 200, response.text
    (artifacts / "intelligence_dashboard.html").write_text(response.text)
    page = response.text
    svgs = re.findall(r"<svg .*?</svg>", page, flags=re.S)
    assert len(svgs) == 2
    for svg in svgs:
        root = ElementTree.fromstring(svg)  # noqa: S314
        assert root.get("role") == "img"
        assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
        bars = root.findall(f".//{SVG}rect[@stroke='#000000']")
        assert bars and all(bar.get("fill", "").startswith("url(#") for bar in bars)
    nationality_svg = ElementTree.fromstring(svgs[0])  # noqa: S314
    texts = [t.text for t in nationality_svg.iter(f"{SVG}text")]
    # Each bar carries its name and its number as text, not colour alone.
    assert texts[:2] == ["Tiongkok", "2"] and "Inggris" in texts
    assert "Kota Palembang" in page and "Kabupaten Musi Banyuasin" in page
    # The page's own download links, which work with the page's sign-in (the API is bearer-only).
    assert "/intelijen/unduh.csv" in page
    assert "/intelijen/laporan.pdf?as_of=2026-11-22" in page
    csv = await client.get("/intelijen/unduh.csv", headers=registry.intel)
    assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbf")
    pdf = await client.get("/intelijen/laporan.pdf?as_of=2026-11-22", headers=registry.intel)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    narrowed = await client.get("/intelijen/?nationality=IND", headers=registry.intel)
    assert "India" in narrowed.text and "Tiongkok" not in narrowed.text
    assert "unduh.csv?nationality=IND" in narrowed.text
    officer = await client.get("/intelijen/", headers=registry.officer)
    assert officer.status_code == 403


async def test_months_numbers_and_chart_labels_in_the_page_language(
    client: AsyncClient, registry: Registry
) -> None:
    for language, month, column, china in (
        ("id", "Desember 2026", "Des 2026", "Tiongkok"),
        ("en", "December 2026", "Dec 2026", "China"),
    ):
        client.cookies.set("tka_lang", language)
        page = (await client.get("/intelijen/", headers=registry.intel)).text
        assert f"<td>{month}</td>" in page and "2026-12" not in page
        svgs = re.findall(r"<svg .*?</svg>", page, flags=re.S)
        bars, columns = (ElementTree.fromstring(svg) for svg in svgs)  # noqa: S314
        assert china in [t.text for t in bars.iter(f"{SVG}text")]
        assert column in [t.text for t in columns.iter(f"{SVG}text")]


async def test_the_report_writes_shares_as_its_language_does(
    client: AsyncClient, registry: Registry
) -> None:
    for language, share in (("id", "50,0%"), ("en", "50.0%")):
        pdf = await client.get(
            f"/intelijen/laporan.pdf?as_of=2026-11-22&language={language}", headers=registry.intel
        )
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert share in text, text
        assert " %" not in text


async def test_a_bad_filter_is_shown_beside_its_field_and_the_filters_stay(
    client: AsyncClient, registry: Registry
) -> None:
    query = "/intelijen/?nationality=Atlantis&regency=Kota+Palembang&visa_index=E23C&status=active"
    for language, message in (
        ("id", "Bukan negara atau kode yang dikenal: Atlantis"),
        ("en", "Not a country or code we know: Atlantis"),
    ):
        client.cookies.set("tka_lang", language)
        response = await client.get(query, headers=registry.intel)
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("text/html")
        page = html.unescape(response.text)
        assert 'href="#nationality"' in page and message in page
        assert 'id="nationality-error"' in page
        # Every filter stays as typed, the one set by a link too.
        assert 'value="Atlantis"' in page and 'value="E23C"' in page
        assert '<option value="Kota Palembang" selected' in page
        assert '<input type="hidden" name="status" value="active">' in page
        assert "<svg" not in page  # no figures for a query that names nothing
    client.cookies.set("tka_lang", "id")
    two = await client.get(
        "/intelijen/?nationality=Atlantis&visa_index=Z99", headers=registry.intel
    )
    assert 'href="#nationality"' in two.text and 'href="#visa_index"' in two.text
    assert "Bukan indeks visa yang dikenal: Z99" in html.unescape(two.text)
    # The API answers the same refusal as JSON, naming both fields.
    api = await client.get(
        "/api/v1/intelligence/workers?nationality=Atlantis&visa_index=Z99", headers=registry.intel
    )
    assert api.status_code in (400, 422)
    assert {e["field"] for e in api.json()["errors"]} == {"nationality", "visa_index"}
