"""The one place that turns a document template and its data into PDF bytes.

Each process builds one :class:`DocumentRenderer` (Jinja environment with autoescape, one
WeasyPrint ``FontConfiguration``, stylesheets parsed once) and reuses it. A render parses the
template's output (well-formed XHTML) with the standard library's C XML parser instead of
WeasyPrint's pure-Python HTML5 parser, and cascades a user-agent stylesheet cut down to the
elements the templates use (``templates/documents/ua.css``) instead of the full HTML5 one.
``bench/bench_documents.py`` measures each lever against a plain ``HTML(string=...).write_pdf()``.
The renderer fetches nothing from the network and no file outside ``templates/documents``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import cssselect2
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from tka_registry import folders, formats
from tka_registry.choices import DECIDED_KINDS, PERMIT_KINDS, RELATIONS, SEXES
from tka_registry.documents import labels
from tka_registry.documents.photos import JPEG_DATA_PREFIX
from tka_registry.documents.qr import PNG_DATA_PREFIX, qr_png_data_uri
from tka_registry.rules.nationality import nationality_name

__all__ = [
    "TEMPLATE_VERSION",
    "DecisionLetter",
    "DocumentIncomplete",
    "DocumentRenderer",
    "LetterDependant",
    "LocalOnlyFetcher",
    "Office",
    "PermitDocument",
    "decision_html",
    "missing_fields",
    "permit_html",
    "render_decision",
    "render_document",
    "render_permit",
    "render_report",
    "renderer",
]

# Bump whenever a template or the stylesheet changes what a document looks like: stored
# documents record the version they were rendered with, and officers re-render older ones.
TEMPLATE_VERSION = "documents-5"

TEMPLATES_DIR = folders.TEMPLATES_DIR / "documents"
STYLESHEET = TEMPLATES_DIR / "documents.css"
UA_STYLESHEET = TEMPLATES_DIR / "ua.css"
# Every element the document templates may use: ua.css gives each its HTML5 defaults.
DOCUMENT_ELEMENTS = frozenset(
    "html head title meta style body header main footer div p h1 h2 span strong br img"
    " table colgroup col thead tbody tfoot tr th td".split()
)
# Characters XML 1.0 does not allow (C0 controls but tab and newlines, non-characters, lone
# surrogates): dropped from every printed value, so no text from users can break the parse.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FONT_FAMILY = "Document Serif"
# Chosen by measurement (bench/bench_documents.py): Noto Serif renders as fast as or faster than
# DejaVu Serif (its subsetting is cheaper) and reads as a formal serif. Files are fixed so every
# document embeds the same fonts whatever fontconfig would pick.
_NOTO = Path("/usr/share/fonts/truetype/noto")
FONT_FILES: dict[tuple[str, str], Path] = {
    ("normal", "normal"): _NOTO / "NotoSerif-Regular.ttf",
    ("bold", "normal"): _NOTO / "NotoSerif-Bold.ttf",
    ("normal", "italic"): _NOTO / "NotoSerif-Italic.ttf",
}
PDF_VARIANT = "pdf/a-3u"
WIB = timezone(timedelta(hours=7))  # documents are dated in Palembang's time zone


@dataclass(frozen=True)
class Office:
    """The issuing office as printed in the letterhead."""

    name: str = "Kantor Imigrasi Kelas I TPI Palembang"
    address: str = "Palembang, Sumatera Selatan"
    city: str = "Palembang"


@dataclass(frozen=True)
class PermitDocument:
    """Everything printed on a stay-permit document (ITAS/ITAP). ``None`` or "" means absent.

    ``employer_name`` None marks a Second Home holder (no sponsor); ``nationality`` is the stored
    canonical code (ISO 3166-1 alpha-3 or ICAO's own).
    """

    permit_number: str | None
    register_number: str | None
    kind: str | None
    visa_index: str | None
    holder_name: str | None
    sex: str | None
    birth_date: date | None
    birth_place: str | None
    nationality: str | None
    passport_number: str | None
    issued_on: date | None  # decided and issued: "Tanggal Terbit"
    valid_from: date | None  # first valid day: "Berlaku Dari"
    expires_on: date | None
    address: str | None
    verify_url: str | None
    employer_name: str | None = None
    position: str | None = None
    issuing_office: str = Office.name
    # The holder's photo as a data:image/jpeg URI (documents.photos), when the application
    # that issued the permit carried one.
    photo: str | None = None
    # The short code typed at /verify when the QR cannot be scanned (documents.manual_codes).
    manual_code: str | None = None


@dataclass(frozen=True)
class LetterDependant:
    """A Second Home dependant named in the principal's approval letter."""

    name: str
    relation: str  # spouse | child | parent, or the text as recorded
    nationality: str
    passport_number: str | None
    permit_number: str | None


@dataclass(frozen=True)
class DecisionLetter:
    """An officer's decision on an application, written to the applicant or employer."""

    register_number: str | None
    approved: bool
    decided_on: date | None
    officer_name: str | None
    addressee_name: str | None
    applicant_name: str | None
    worker_name: str | None
    worker_nationality: str | None
    application_kind: str | None
    reason: str | None = None
    addressee_address: str | None = None
    passport_number: str | None = None
    submitted_on: date | None = None
    permit_number: str | None = None
    letter_number: str | None = None
    officer_nip: str | None = None
    officer_position: str | None = None
    # Second Home approvals: the dependants, and the last day to lodge the bank letter or
    # property certificate (SE IMI-0740.GR.01.01/2022) with the number of days it allows.
    dependants: tuple[LetterDependant, ...] = ()
    proof_deadline: date | None = None
    proof_days: int | None = None


class DocumentIncomplete(ValueError):
    """A document lacks data it must print; ``missing`` names the fields (API: 409)."""

    def __init__(self, missing: tuple[str, ...]) -> None:
        super().__init__(f"document lacks: {', '.join(missing)}")
        self.missing = missing


# A permit imported from the office's records or entered at the counter had no application, so
# no register number: its line is left out (the permit number, printed above it, identifies the
# permit; printing it twice under two labels would invite tracking an application that does not
# exist). Place of birth and address are gaps an incomplete record may have (rules.completeness):
# their lines are left out too, and the QR verification does not depend on them.
_PERMIT_OPTIONAL = {
    "employer_name", "position", "issuing_office", "register_number", "birth_place", "address",
    "photo", "manual_code",
}  # fmt: skip
_LETTER_OPTIONAL = {
    "reason",
    "addressee_address",
    "passport_number",
    "submitted_on",
    "permit_number",
    "letter_number",
    "officer_nip",
    "officer_position",
    "dependants",
    "proof_deadline",
    "proof_days",
}


def _absent(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def missing_fields(document: PermitDocument | DecisionLetter) -> tuple[str, ...]:
    """Names of the fields ``document`` must print but lacks; empty when it can be rendered."""
    if isinstance(document, PermitDocument):
        optional = set(_PERMIT_OPTIONAL)
        if _absent(document.employer_name):
            optional.add("position")  # a Second Home holder has no employer and no position
        elif _absent(document.position):
            return (*_missing(document, optional), "position")
    else:
        optional = set(_LETTER_OPTIONAL)
        if not document.approved and _absent(document.reason):
            return (*_missing(document, optional), "reason")
    return _missing(document, optional)


def _missing(document: Any, optional: set[str]) -> tuple[str, ...]:
    return tuple(
        spec.name
        for spec in fields(document)
        if spec.name not in optional and _absent(getattr(document, spec.name))
    )


class LocalOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only files under the allowed paths.

    Every other URL (http, https, ftp, files elsewhere, data other than the PNG and JPEG images
    the renderer itself inlines) is refused, so text from users can never make the renderer fetch
    anything; refused URLs are kept in ``refused``.
    """

    def __init__(self, allowed: Iterable[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.allowed = tuple(path.resolve() for path in allowed)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith((PNG_DATA_PREFIX, JPEG_DATA_PREFIX)):  # QR code, photo: inline bytes
            return super().fetch(url, headers)
        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
        if path is None or parts.netloc not in ("", "localhost") or not self._permits(path):
            self.refused.append(url)
            raise ValueError(f"document renderer refuses to fetch {url!r}")
        return super().fetch(path.as_uri(), headers)

    def _permits(self, path: Path) -> bool:
        return any(path == root or root in path.parents for root in self.allowed)


class PreparedHTML(HTML):
    """A WeasyPrint document from an already parsed tree, with our own user-agent stylesheet.

    ``HTML.__init__`` always parses with the pure-Python HTML5 parser; this sets the same five
    attributes it sets after parsing (WeasyPrint 70, pinned in pyproject.toml; a test renders
    each template both ways and compares the text) from a tree ElementTree's C parser built.
    """

    def __init__(
        self, root: ET.Element, *, base_url: str, url_fetcher: URLFetcher, user_agent: CSS
    ) -> None:
        self.base_url = base_url
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root)
        self.etree_element = self.wrapper_element.etree_element
        self._user_agent = user_agent

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [self._user_agent]


def xml_safe(value: object) -> object:
    """``value`` with the characters XML forbids removed (Jinja ``finalize`` of every value).

    Markup (a macro's output) is left as it is: the values inside it went through here already.
    """
    if isinstance(value, str) and not isinstance(value, Markup):
        return _NOT_XML.sub("", value)
    return value


def font_face_css(family: str, files: dict[tuple[str, str], Path]) -> str:
    """``@font-face`` rules binding ``family`` to fixed font files, one per (weight, style)."""
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for (weight, style), path in files.items()
    )


class DocumentRenderer:
    """Jinja templates, fonts and stylesheets of one process, prepared once and reused."""

    def __init__(self, font_files: dict[tuple[str, str], Path] = FONT_FILES) -> None:
        self.environment = Environment(
            loader=FileSystemLoader(TEMPLATES_DIR),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=xml_safe,
        )
        self.font_config = FontConfiguration()
        self.fetcher = LocalOnlyFetcher([TEMPLATES_DIR])
        font_fetcher = LocalOnlyFetcher(font_files.values())
        self.user_agent = CSS(filename=UA_STYLESHEET, url_fetcher=self.fetcher)
        self.stylesheets = [
            CSS(
                string=font_face_css(FONT_FAMILY, font_files),
                font_config=self.font_config,
                url_fetcher=font_fetcher,
            ),
            CSS(
                filename=STYLESHEET,
                font_config=self.font_config,
                url_fetcher=self.fetcher,
            ),
        ]

    def html(self, template: str, context: dict[str, Any]) -> str:
        """The HTML of ``template`` (a name under templates/documents) filled with ``context``."""
        return self.environment.get_template(template).render(
            template_version=TEMPLATE_VERSION, **context
        )

    def pdf(self, html: str) -> bytes:
        """PDF/A-3u bytes of ``html`` (well-formed XHTML, as every template writes) laid out with
        the prepared fonts and stylesheets."""
        document = PreparedHTML(
            ET.fromstring(html),  # noqa: S314 (our own template output, values escaped)
            base_url=TEMPLATES_DIR.as_uri() + "/",
            url_fetcher=self.fetcher,
            user_agent=self.user_agent,
        )
        result = document.write_pdf(
            stylesheets=self.stylesheets,
            font_config=self.font_config,
            pdf_variant=PDF_VARIANT,
            pdf_identifier=b"tka-registry",
        )
        assert result is not None  # write_pdf returns the bytes when no target is given
        return bytes(result)


@cache
def renderer() -> DocumentRenderer:
    """This process's renderer, built on first use."""
    return DocumentRenderer()


def _bilingual_date(day: date, language: str) -> tuple[str, str]:
    return labels.pair((formats.long_date(day, "id"), formats.long_date(day, "en")), language)


def _created(day: date) -> str:
    """A fixed document timestamp (midnight WIB of ``day``) so a re-render gives the same bytes."""
    return datetime.combine(day, time(0, 0), WIB).isoformat()


def _common(language: str, day: date) -> dict[str, Any]:
    lang = "en" if language == "en" else "id"
    return {
        "lang": lang,
        "office": Office(),
        "created_iso": _created(day),
        "L": {key: labels.pair(value, language) for key, value in DOCUMENT_LABELS.items()},
        # Counts and shares as the document's first language writes them ("54,4%" in Indonesian).
        "number": lambda value: formats.number(value, lang),
        "share": lambda part, whole: formats.share(part, whole, lang),
    }


def _nationality(code: str, language: str) -> tuple[str, str]:
    return labels.pair((nationality_name(code, "id"), nationality_name(code, "en")), language)


def permit_html(doc: PermitDocument, language: str = "id") -> str:
    """The HTML of a permit document; raises :class:`DocumentIncomplete`."""
    missing = missing_fields(doc)
    if missing:
        raise DocumentIncomplete(missing)
    assert doc.issued_on and doc.valid_from and doc.expires_on  # checked by missing_fields
    assert doc.birth_date and doc.verify_url
    sponsor = (
        (doc.employer_name, doc.employer_name)
        if doc.employer_name
        else labels.pair(labels.SECOND_HOME_NO_SPONSOR, language)
    )
    context = {
        **_common(language, doc.issued_on),
        "doc": doc,
        "kind_name": labels.pair(PERMIT_KINDS.pair(doc.kind or ""), language),
        "sex": labels.pair(SEXES.pair(doc.sex or ""), language),
        "birth_date": _bilingual_date(doc.birth_date, language),
        "issued_on": _bilingual_date(doc.issued_on, language),
        "valid_from": _bilingual_date(doc.valid_from, language),
        "expires_on": _bilingual_date(doc.expires_on, language),
        "nationality": _nationality(doc.nationality or "", language),
        "sponsor": sponsor,
        "qr_png": qr_png_data_uri(doc.verify_url),
        # The verification page, typed by hand: the QR's address without the token.
        "verify_page": doc.verify_url.rsplit("/", 1)[0],
    }
    return renderer().html("permit.html", context)


def decision_html(letter: DecisionLetter, language: str = "id") -> str:
    """The HTML of a decision letter; raises :class:`DocumentIncomplete`."""
    missing = missing_fields(letter)
    if missing:
        raise DocumentIncomplete(missing)
    assert letter.decided_on  # checked by missing_fields
    subject = DECISION_SUBJECTS[letter.approved]
    context = {
        **_common(language, letter.decided_on),
        "letter": letter,
        "subject": labels.pair(subject, language),
        "kind": labels.pair(DECIDED_KINDS.pair(letter.application_kind or ""), language),
        "nationality": _nationality(letter.worker_nationality or "", language),
        "decided_on": _bilingual_date(letter.decided_on, language),
        "submitted_on": (
            _bilingual_date(letter.submitted_on, language) if letter.submitted_on else None
        ),
        "dependants": [
            (
                dependant,
                labels.pair(RELATIONS.pair(dependant.relation), language),
                _nationality(dependant.nationality, language),
            )
            for dependant in letter.dependants
        ],
        "proof_deadline": (
            _bilingual_date(letter.proof_deadline, language) if letter.proof_deadline else None
        ),
    }
    template = "decision_approval.html" if letter.approved else "decision_rejection.html"
    return renderer().html(template, context)


def render_permit(doc: PermitDocument, language: str = "id") -> bytes:
    """PDF bytes of a stay-permit document (``language`` "id" or "en" leads the labels)."""
    return renderer().pdf(permit_html(doc, language))


def render_decision(letter: DecisionLetter, language: str = "id") -> bytes:
    """PDF bytes of an approval or rejection letter."""
    return renderer().pdf(decision_html(letter, language))


def render_document(document: PermitDocument | DecisionLetter, language: str = "id") -> bytes:
    """PDF bytes of either kind of document."""
    if isinstance(document, PermitDocument):
        return render_permit(document, language)
    return render_decision(document, language)


def render_report(
    template: str, context: dict[str, Any], *, day: date, language: str = "id"
) -> bytes:
    """PDF bytes of a report template (under templates/documents) dated ``day``; ``context``
    may carry its own (Indonesian, English) labels, ordered here for ``language`` as ``R``."""
    own = {key: labels.pair(value, language) for key, value in context.get("R", {}).items()}
    filled = {**_common(language, day), "day": _bilingual_date(day, language), **context, "R": own}
    return renderer().pdf(renderer().html(template, filled))


# (Indonesian, English) of every label the templates print.
DOCUMENT_LABELS: dict[str, tuple[str, str]] = {
    "number": ("Nomor", "Number"),
    "photo": ("Foto pemegang izin", "Holder's photo"),
    "holder_section": ("Data Pemegang Izin", "Permit Holder"),
    "holder_name": ("Nama Lengkap", "Full Name"),
    "sex": ("Jenis Kelamin", "Sex"),
    "birth": ("Tempat, Tanggal Lahir", "Place and Date of Birth"),
    "nationality": ("Kewarganegaraan", "Nationality"),
    "passport": ("Nomor Paspor", "Passport Number"),
    "permit_section": ("Data Izin Tinggal", "Stay Permit"),
    "kind": ("Jenis Izin Tinggal", "Type of Permit"),
    "visa_index": ("Indeks Visa", "Visa Index"),
    "permit_number": ("Nomor Izin Tinggal", "Permit Number"),
    "register_number": ("Nomor Register", "Register Number"),
    "issued_on": ("Tanggal Terbit", "Date of Issue"),
    "valid_from": ("Berlaku Dari", "Valid From"),
    "expires_on": ("Berlaku Sampai Dengan", "Valid Until"),
    "sponsor_section": ("Penjamin dan Tempat Tinggal", "Sponsor and Residence"),
    "sponsor": ("Penjamin / Pemberi Kerja", "Sponsor / Employer"),
    "sponsor_none": ("Penjamin", "Sponsor"),
    "dependants": ("Anggota keluarga yang ikut", "Accompanying dependants"),
    "relation": ("Hubungan", "Relation"),
    "name": ("Nama", "Name"),
    "position": ("Jabatan", "Position"),
    "address": ("Alamat di Indonesia", "Address in Indonesia"),
    "office": ("Kantor Penerbit", "Issuing Office"),
    "manual_code": ("Kode verifikasi", "Verification code"),
    "manual_code_note": (
        "Jika kode QR tidak terbaca, ketik kode ini di",
        "If the QR code cannot be scanned, type this code at",
    ),
    "verify_note": (
        "Pindai kode QR untuk memeriksa keabsahan dan status izin tinggal ini.",
        "Scan the QR code to check that this permit is genuine and still valid.",
    ),
    "issued_at": ("Dikeluarkan di", "Issued at"),
    "e_signed": (
        "Dokumen ini ditandatangani secara elektronik dan tidak memerlukan tanda tangan basah.",
        "This document is signed electronically and needs no handwritten signature.",
    ),
    "letter_number": ("Nomor", "Number"),
    "nature": ("Sifat", "Nature"),
    "nature_value": ("Biasa", "Ordinary"),
    "subject": ("Hal", "Subject"),
    "to": ("Kepada Yth.", "To"),
    "salutation": ("Dengan hormat,", "Dear Sir or Madam,"),
    "applicant": ("Pemohon / Penjamin", "Applicant / Sponsor"),
    "worker": ("Nama Orang Asing", "Foreign National"),
    "application_kind": ("Jenis Permohonan", "Type of Application"),
    "submitted_on": ("Tanggal Permohonan", "Date of Application"),
    "decided_on": ("Tanggal Keputusan", "Date of Decision"),
    "reason": ("Alasan penolakan", "Reason for rejection"),
    "on_behalf": ("a.n. Kepala", "on behalf of the Head of"),
}

DECISION_SUBJECTS: dict[bool, tuple[str, str]] = {
    True: ("Persetujuan Permohonan Izin Tinggal", "Approval of Stay Permit Application"),
    False: ("Penolakan Permohonan Izin Tinggal", "Rejection of Stay Permit Application"),
}
