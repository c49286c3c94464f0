"""Permit documents and decision letters, read back from the PDF with pypdf."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pypdf import PdfReader

from tka_registry.documents import render
from tka_registry.documents.render import (
    DecisionLetter,
    DocumentIncomplete,
    LocalOnlyFetcher,
    PermitDocument,
    missing_fields,
    render_decision,
    render_permit,
)

TextOf = Callable[[bytes], str]
MakePermit = Callable[..., PermitDocument]
MakeLetter = Callable[..., DecisionLetter]


def test_permit_prints_every_field_in_both_languages(
    make_permit: MakePermit, pdf_text: TextOf
) -> None:
    text = pdf_text(render_permit(make_permit()))
    for expected in (
        "ZHANG WEI",
        "2C21JD0123-AB",
        "REG-2026-000417",
        "EJ1234567",
        "E23M",
        "Wuhan, 14 Maret 1985",
        "14 March 1985",
        "Tiongkok (CHN)",
        "China",
        "Laki-laki",
        "Male",
        "Izin Tinggal Terbatas (ITAS)",
        "Limited Stay Permit",
        "22 Desember 2025",  # Tanggal Terbit: the day it was issued
        "22 December 2025",
        "Tanggal Terbit",
        "Date of Issue",
        "5 Januari 2026",  # Berlaku Dari: its first valid day
        "5 January 2026",
        "Berlaku Dari",
        "Valid From",
        "5 Januari 2027",
        "5 January 2027",
        "PT Pupuk Sriwidjaja Palembang",
        "Process Engineer",
        "Jl. Jenderal Sudirman No. 45",
        "KANTOR IMIGRASI KELAS I TPI PALEMBANG",
        "DIREKTORAT JENDERAL IMIGRASI",
        "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN",
        "Kewarganegaraan",
        "Nationality",
        "Berlaku Sampai Dengan",
        "Valid Until",
        render.TEMPLATE_VERSION,
    ):
        assert expected in text, expected


def test_permit_metadata_title_language_and_one_page(make_permit: MakePermit) -> None:
    reader = PdfReader(io.BytesIO(render_permit(make_permit())))
    assert len(reader.pages) == 1
    assert reader.metadata is not None
    assert reader.metadata.title == "Izin Tinggal Terbatas 2C21JD0123-AB / Limited Stay Permit"
    assert reader.metadata.author == "Kantor Imigrasi Kelas I TPI Palembang"
    assert reader.root_object["/Lang"] == "id"
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert b"pdfaid" in xmp.stream.get_data()


def test_english_leads_when_asked(make_permit: MakePermit) -> None:
    reader = PdfReader(io.BytesIO(render_permit(make_permit(), language="en")))
    assert reader.root_object["/Lang"] == "en"
    assert reader.metadata is not None
    assert reader.metadata.title == "Limited Stay Permit 2C21JD0123-AB / Izin Tinggal Terbatas"


def test_same_permit_renders_to_identical_bytes(make_permit: MakePermit) -> None:
    permit = make_permit()
    assert render_permit(permit) == render_permit(permit)


def test_itap_and_second_home_holder(make_permit: MakePermit, pdf_text: TextOf) -> None:
    permit = make_permit(
        kind="ITAP", visa_index="E33", employer_name=None, position=None, nationality="GBR"
    )
    assert missing_fields(permit) == ()
    text = pdf_text(render_permit(permit))
    assert "Izin Tinggal Tetap (ITAP)" in text and "Permanent Stay Permit" in text
    assert "Rumah Kedua" in text and "Second Home" in text
    assert "Inggris (GBR)" in text and "United Kingdom" in text
    assert "Jabatan" not in text


def test_complete_permit_misses_nothing(make_permit: MakePermit) -> None:
    assert missing_fields(make_permit()) == ()


def test_missing_fields_are_named(make_permit: MakePermit) -> None:
    permit = make_permit(passport_number=" ", birth_date=None, expires_on=None, verify_url="")
    assert missing_fields(permit) == ("birth_date", "passport_number", "expires_on", "verify_url")
    with pytest.raises(DocumentIncomplete) as caught:
        render_permit(permit)
    assert caught.value.missing == ("birth_date", "passport_number", "expires_on", "verify_url")


def test_employed_worker_needs_a_position(make_permit: MakePermit) -> None:
    assert missing_fields(make_permit(position=None)) == ("position",)


def test_rejection_needs_a_reason_and_approval_does_not(make_letter: MakeLetter) -> None:
    assert missing_fields(make_letter(reason="")) == ("reason",)
    assert missing_fields(make_letter(approved=True, reason=None)) == ()
    assert missing_fields(make_letter(officer_name=None)) == ("officer_name",)


def test_rejection_letter_prints_the_reason(make_letter: MakeLetter, pdf_text: TextOf) -> None:
    pdf = render_decision(make_letter())
    text = pdf_text(pdf)
    for expected in (
        "Penolakan Permohonan Izin Tinggal",
        "Rejection of Stay Permit Application",
        "DITOLAK",
        "REJECTED",
        "Persetujuan RPTKA yang dilampirkan telah berakhir.",
        "REG-2026-000417",
        "ZHANG WEI",
        "Perpanjangan ITAS",
        "ITAS extension",
        "Rina Kartika Sari",
        "Palembang, 5 Januari 2026",
        "20 Desember 2025",
    ):
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert reader.metadata is not None
    assert reader.metadata.title is not None
    assert reader.metadata.title.startswith("Penolakan Permohonan Izin Tinggal REG-2026-000417")


def test_approval_letter(make_letter: MakeLetter, pdf_text: TextOf) -> None:
    letter = make_letter(approved=True, reason=None, permit_number="2C21JD0123-AB")
    text = pdf_text(render_decision(letter, language="en"))
    assert "Approval of Stay Permit Application" in text
    assert "DISETUJUI" in text and "APPROVED" in text
    assert "2C21JD0123-AB" in text
    assert "Alasan" not in text


class _CountingHandler(BaseHTTPRequestHandler):
    requests: list[str] = []  # shared by all handler instances

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def bait_server() -> Iterator[str]:
    """A real loopback HTTP server that records every request it receives."""
    _CountingHandler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_markup_in_user_text_is_printed_literally_and_fetches_nothing(
    make_permit: MakePermit, make_letter: MakeLetter, pdf_text: TextOf, bait_server: str
) -> None:
    name = f"<b>Wei</b> <img src={bait_server}/name.png>"
    address = f'</style><style>@import "{bait_server}/x.css";</style> Jl. Merdeka'
    reason = f'<link rel=stylesheet href="{bait_server}/r.css"> kurang'
    permit_text = pdf_text(render_permit(make_permit(holder_name=name, address=address)))
    letter_text = pdf_text(render_decision(make_letter(worker_name=name, reason=reason)))
    squeeze = "".join
    assert squeeze(name.split()) in squeeze(permit_text.split())
    assert squeeze(address.split()) in squeeze(permit_text.split())
    assert squeeze(reason.split()) in squeeze(letter_text.split())
    assert _CountingHandler.requests == []


def test_fetcher_serves_only_the_allowed_folder(bait_server: str) -> None:
    fetcher = LocalOnlyFetcher([render.TEMPLATES_DIR])
    inside = (render.TEMPLATES_DIR / "documents.css").as_uri()
    assert b"@page" in fetcher.fetch(inside).read()
    refused = [
        f"{bait_server}/a.png",
        "https://example.com/a.png",
        "file:///etc/passwd",
        render.TEMPLATES_DIR.as_uri() + "/../../pyproject.toml",
        "file://evil.example/" + str(render.TEMPLATES_DIR / "base.html"),
        "data:text/css,body{}",
        "ftp://127.0.0.1/a",
    ]
    for url in refused:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.refused == refused
    assert _CountingHandler.requests == []
