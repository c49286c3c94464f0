"""The renderer's own parse (XHTML through ElementTree) and its cut-down user-agent stylesheet.

They stand in for WeasyPrint's HTML5 parser and full HTML5 stylesheet, so these tests hold them
to the same result: the same pages and text as a plain ``HTML(string=...)`` of the same
document, no element the cut-down stylesheet does not know, and no character from users that
could break the parse.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date

import pytest
import weasyprint
from pypdf import PdfReader

from tka_registry.documents import render
from tka_registry.documents.render import DecisionLetter, PermitDocument
from tka_registry.intelligence.exports import REPORT_LABELS, ReportLine

TextOf = Callable[[bytes], str]


def _report_html() -> str:
    lines = [ReportLine("CHN", "Tiongkok", "China", 7), ReportLine("IND", "India", "India", 2)]
    context = {
        **render._common("id", date(2026, 11, 22)),
        "day": ("22 November 2026", "22 November 2026"),
        "as_of": date(2026, 11, 22),
        "by_nationality": lines,
        "by_regency": [ReportLine("", "Kota Palembang", "Kota Palembang", 9)],
        "total": 9,
        "R": {key: value for key, value in REPORT_LABELS.items()},
    }
    return render.renderer().html("report_nationality.html", context)


@pytest.fixture
def every_template(
    make_permit: Callable[..., PermitDocument], make_letter: Callable[..., DecisionLetter]
) -> dict[str, str]:
    """The HTML of each document template, as the renderer writes it."""
    return {
        "permit": render.permit_html(make_permit()),
        "second home permit": render.permit_html(make_permit(employer_name=None, position=None)),
        "approval": render.decision_html(make_letter(approved=True, reason=None)),
        "rejection": render.decision_html(make_letter()),
        "report": _report_html(),
    }


def test_every_template_is_well_formed_and_uses_only_known_elements(
    every_template: dict[str, str],
) -> None:
    for name, html in every_template.items():
        used = {element.tag for element in ET.fromstring(html).iter()}  # noqa: S314
        assert used <= render.DOCUMENT_ELEMENTS, (name, used - render.DOCUMENT_ELEMENTS)


def test_renders_the_same_pages_and_text_as_plain_weasyprint(
    every_template: dict[str, str], pdf_text: TextOf
) -> None:
    ours = render.renderer()
    for name, html in every_template.items():
        prepared = PdfReader(io.BytesIO(ours.pdf(html)))
        plain = PdfReader(
            io.BytesIO(
                weasyprint.HTML(
                    string=html,
                    base_url=render.TEMPLATES_DIR.as_uri() + "/",
                    url_fetcher=ours.fetcher,
                ).write_pdf(stylesheets=ours.stylesheets, font_config=ours.font_config)
                or b""
            )
        )
        assert len(prepared.pages) == len(plain.pages), name
        for mine, theirs in zip(prepared.pages, plain.pages, strict=True):
            assert mine.extract_text() == theirs.extract_text(), name


def test_control_characters_from_users_are_dropped_not_fatal(
    make_permit: Callable[..., PermitDocument],
    make_letter: Callable[..., DecisionLetter],
    pdf_text: TextOf,
) -> None:
    name = "ZHANG\x00 WEI\x1b\x0b"
    address = "Jl. Merdeka\x0c No. 5\ufffe, Palembang"
    permit_text = pdf_text(render.render_permit(make_permit(holder_name=name, address=address)))
    letter_text = pdf_text(render.render_decision(make_letter(reason="Kurang\x08 lengkap\x1f")))
    assert "ZHANG WEI" in permit_text
    assert "Jl. Merdeka No. 5, Palembang" in permit_text
    assert "Kurang lengkap" in letter_text
