"""The Second Home journey in headless Chromium: an officer enters a principal with spouse and
child, approves (E33 permits and an approval letter), downloads the documents and lodges the
bank letter. Screenshots are left in ``test-artifacts/browser/second_home``."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from pypdf import PdfReader, PdfWriter

from tests.browser.conftest import sign_in
from tests.factories import account

pytestmark = pytest.mark.browser

PEOPLE = {
    "p_": ("Oliver Bennett", None, "M", "1960-05-17", "PA7000001", "2030-01-31"),
    "d1_": ("Grace Bennett", "spouse", "F", "1962-02-11", "PA7000002", "2035-06-30"),
    "d2_": ("Lucas Bennett", "child", "M", "2012-09-03", "PA7000003", "2035-06-30"),
}


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def fill_person(page: Any, prefix: str) -> None:
    name, relation, sex, born, passport, expires = PEOPLE[prefix]
    await page.fill(f"#{prefix}full_name", name)
    if relation:
        await page.select_option(f"#{prefix}relation", relation)
    await page.select_option(f"#{prefix}sex", sex)
    await page.fill(f"#{prefix}date_of_birth", born)
    await page.fill(f"#{prefix}place_of_birth", "Perth")
    await page.fill(f"#{prefix}nationality", "Australia")
    await page.fill(f"#{prefix}passport_number", passport)
    await page.fill(f"#{prefix}passport_country", "AUS")
    await page.fill(f"#{prefix}passport_issued_on", "2025-07-01")
    await page.fill(f"#{prefix}passport_expires_on", expires)


async def pdf_at(page: Any, href: str) -> str:
    response = await page.request.get(href)
    assert response.status == 200, href
    body = await response.body()
    assert body.startswith(b"%PDF")
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)


async def test_officer_enters_approves_downloads_and_lodges_proof(
    client: httpx.AsyncClient, page: Any, artifacts: Path, tmp_path: Path
) -> None:
    shots = artifacts / "browser" / "second_home"
    shots.mkdir(parents=True, exist_ok=True)
    officer_email = await account("officer")
    await page.goto("/masuk")
    await sign_in(page, officer_email)
    await page.goto("/petugas/rumah-kedua")
    await page.get_by_role("link", name="Catat perkara baru").click()

    # A first try with a negative amount comes back with the message beside the field.
    await page.fill("#application_date", "2026-11-20")
    await page.select_option("#stay_years", "5")
    await page.fill("#funds_idr", "-2.000.000.000")
    await page.fill("#bank", "Bank Mandiri")
    await page.fill("#address", "Jl. Demang Lebar Daun 8, Palembang")
    await page.select_option("#regency", "Kota Palembang")
    for prefix in PEOPLE:
        await fill_person(page, prefix)
    await page.get_by_role("button", name="Simpan perkara").click()
    assert "negatif" in await page.locator("#funds_idr-error").inner_text()
    await page.screenshot(path=shots / "01-form-error.png", full_page=True)
    await page.fill("#funds_idr", "Rp 2.000.000.000")
    await page.get_by_role("button", name="Simpan perkara").click()
    assert re.search(r"/petugas/rumah-kedua/\d+$", page.url), page.url
    register = (await page.locator("h1").inner_text()).strip()
    assert re.fullmatch(r"RK-PLB-2026-\d{6}", register), register

    # Every rule is shown with its figure and met; approve.
    rules = page.locator("#rules tbody tr")
    assert await rules.count() == 7
    assert await page.locator("#rules .rule--unmet").count() == 0
    assert "Rp 2.000.000.000" in await page.locator("#rules").inner_text()
    await page.screenshot(path=shots / "02-case-draft.png", full_page=True)
    await page.get_by_role("button", name="Setujui dan terbitkan izin E33").click()
    # A page says what the approval will do before it is done.
    assert "Setujui kasus Rumah Kedua" in await page.locator("h1").inner_text()
    assert "izin tinggal E33 selama 5 tahun" in await page.locator(".consequences").inner_text()
    await page.screenshot(path=shots / "02b-confirm-approval.png", full_page=True)
    await page.get_by_role("button", name="Ya, setujui permohonan").click()
    assert "Disetujui" in await page.locator("main").inner_text()
    people = await page.locator("#people").inner_text()
    assert people.count(f"{register}-0") == 3
    await page.screenshot(path=shots / "03-approved.png", full_page=True)

    # Download each permit's PDF and the approval letter.
    for name, *_ in PEOPLE.values():
        link = page.get_by_role("link", name=f"PDF izin tinggal {name}")
        assert name.upper() in (await pdf_at(page, await link.get_attribute("href"))).upper()
    letter = page.get_by_role("link", name="Surat persetujuan (PDF)")
    assert register in await pdf_at(page, await letter.get_attribute("href"))

    # Proof within 90 days: 90 days left, then lodged.
    assert "90" in await page.locator("#proof").inner_text()
    bank_letter = tmp_path / "surat-bank.pdf"
    bank_letter.write_bytes(blank_pdf())
    await page.select_option("#kind", "bank_letter")
    await page.set_input_files("#file", str(bank_letter))
    await page.get_by_role("button", name="Serahkan bukti").click()
    proof = await page.locator("#proof").inner_text()
    assert "Bukti diserahkan pada" in proof and "Sisa hari" not in proof
    await page.screenshot(path=shots / "04-proof-lodged.png", full_page=True)
