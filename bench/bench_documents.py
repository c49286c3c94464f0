"""Benchmark of permit-document rendering; run ``python bench/bench_documents.py``.

Prints the median time per permit document of our renderer next to a plain
``weasyprint.HTML(string=same_html).write_pdf()`` of the same document measured in the same run
(``same_html`` is our template's HTML with the same stylesheet and font files inlined, so both
produce the same pages), the effect of each lever, and the throughput of ``render_many`` with one
process and with two. Variants are measured round-robin so that machine load hits all alike.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import weasyprint
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tka_registry.documents import render, signing
from tka_registry.documents.batch import render_many
from tka_registry.documents.render import DocumentRenderer, PermitDocument

FONTS = Path("/usr/share/fonts/truetype")
FONT_CHOICES: dict[str, dict[tuple[str, str], Path]] = {
    "Noto Serif (ours)": render.FONT_FILES,
    "DejaVu Serif": {
        ("normal", "normal"): FONTS / "dejavu/DejaVuSerif.ttf",
        ("bold", "normal"): FONTS / "dejavu/DejaVuSerif-Bold.ttf",
        ("normal", "italic"): FONTS / "dejavu/DejaVuSerif-Italic.ttf",
    },
    "Noto Serif without italic face": {
        face: path for face, path in render.FONT_FILES.items() if face[1] == "normal"
    },
    "DejaVu Sans": {
        ("normal", "normal"): FONTS / "dejavu/DejaVuSans.ttf",
        ("bold", "normal"): FONTS / "dejavu/DejaVuSans-Bold.ttf",
        ("normal", "italic"): FONTS / "dejavu/DejaVuSans-Oblique.ttf",
    },
    "Noto Sans": {
        ("normal", "normal"): FONTS / "noto/NotoSans-Regular.ttf",
        ("bold", "normal"): FONTS / "noto/NotoSans-Bold.ttf",
        ("normal", "italic"): FONTS / "noto/NotoSans-Italic.ttf",
    },
}


def sample_permit(number: int, key: Ed25519PrivateKey) -> PermitDocument:
    """A realistic permit; ``number`` varies the permit number, name and dates."""
    expires_on = date(2027, 1, 5) + timedelta(days=number % 365)
    permit_number = f"2C21JD{number:04d}-AB"
    holder = f"ZHANG WEI {number:04d}"
    statement = signing.permit_statement(permit_number, holder, "CHN", expires_on)
    url = signing.verify_url(
        "https://tka.imigrasi-palembang.go.id", signing.sign_permit(key, statement)
    )
    return PermitDocument(
        permit_number=permit_number,
        register_number=f"REG-2026-{number:06d}",
        kind="ITAS",
        visa_index="E23M",
        holder_name=holder,
        sex="M",
        birth_date=date(1985, 3, 14),
        birth_place="Wuhan",
        nationality="CHN",
        passport_number=f"EJ{number:07d}",
        issued_on=expires_on - timedelta(days=365),
        expires_on=expires_on,
        address="Jl. Jenderal Sudirman No. 45, Kelurahan 20 Ilir D. I, Kota Palembang 30129",
        verify_url=url,
        employer_name="PT Pupuk Sriwidjaja Palembang",
        position="Process Engineer",
    )


def inline_html(html: str, font_files: dict[tuple[str, str], Path], extra_css: str = "") -> str:
    """``html`` with the font faces and stylesheet in a ``<style>``: a self-contained document."""
    css = render.font_face_css(render.FONT_FAMILY, font_files) + render.STYLESHEET.read_text()
    return html.replace("</head>", f"<style>{css}{extra_css}</style></head>", 1)


def plain_pdf(html: str) -> bytes | None:
    """The plain WeasyPrint call the renderer is compared with."""
    return weasyprint.HTML(string=html).write_pdf()


def round_robin(variants: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median milliseconds per call of each variant, calls interleaved, after one warm-up each."""
    for run in variants.values():
        run()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            start = time.perf_counter()
            run()
            samples[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


def report(title: str, variants: dict[str, Callable[[], object]], rounds: int) -> float:
    """Measure ``variants`` round-robin and print each against the first; return the 2nd ratio."""
    medians = round_robin(variants, rounds)
    names = list(medians)
    baseline = medians[names[0]]
    print(f"{title} (median of {rounds}, ratio to the first line):")
    for name, median in medians.items():
        print(f"  {name:<58} {median:7.1f} ms  {median / baseline:5.2f}x")
    return medians[names[1]] / baseline


def per_document(rounds: int, lever_rounds: int, key: Ed25519PrivateKey) -> None:
    permit = sample_permit(1, key)
    html = render.permit_html(permit)
    ours = render.renderer()
    ratio = report(
        "Per permit document",
        {
            "plain HTML(string=same_html).write_pdf()": functools.partial(
                plain_pdf, inline_html(html, render.FONT_FILES)
            ),
            "ours: render_permit() (Jinja + QR + PDF)": functools.partial(
                render.render_permit, permit
            ),
        },
        rounds,
    )
    print(f"ours / plain = {ratio:.2f}x (target <= 0.40x)\n")

    def fresh_stylesheets() -> bytes:
        stylesheets = [
            ours.stylesheets[0],
            weasyprint.CSS(filename=render.STYLESHEET, font_config=ours.font_config),
        ]
        result = weasyprint.HTML(string=html, url_fetcher=ours.fetcher).write_pdf(
            stylesheets=stylesheets, font_config=ours.font_config, pdf_variant=render.PDF_VARIANT
        )
        return bytes(result or b"")

    auto_layout = DocumentRenderer()
    auto_layout.stylesheets.append(weasyprint.CSS(string="table { table-layout: auto; }"))
    no_qr_html = html.replace(html[html.index("<svg") : html.index("</svg>") + 6], "")
    report(
        "Levers, each taken away from our renderer",
        {
            "ours (renderer.pdf of the permit HTML)": functools.partial(ours.pdf, html),
            "no reuse: new FontConfiguration + CSS every render": lambda: DocumentRenderer().pdf(
                html
            ),
            "fonts reused, stylesheet parsed every render": fresh_stylesheets,
            "auto table layout instead of fixed": functools.partial(auto_layout.pdf, html),
            "without pdf/a-3u": lambda: weasyprint.HTML(
                string=html, url_fetcher=ours.fetcher
            ).write_pdf(stylesheets=ours.stylesheets, font_config=ours.font_config),
            "QR code left out (its SVG path costs this much)": functools.partial(
                ours.pdf, no_qr_html
            ),
            "reference: plain template HTML without stylesheet": functools.partial(plain_pdf, html),
        },
        lever_rounds,
    )
    print()
    report(
        "Font choice (our renderer, one per font)",
        {
            f"font {name}": functools.partial(DocumentRenderer(files).pdf, html)
            for name, files in FONT_CHOICES.items()
        },
        lever_rounds,
    )
    print()


def throughput(count: int, key: Ed25519PrivateKey) -> None:
    documents = [(n, sample_permit(n, key)) for n in range(count)]
    rates = {}
    for processes in (1, 2):
        start = time.perf_counter()
        rendered = sum(1 for _ in render_many(documents, processes=processes))
        elapsed = time.perf_counter() - start
        rates[processes] = rendered / elapsed
        print(
            f"render_many {count} docs, {processes} process(es): {elapsed:6.1f} s, "
            f"{rates[processes]:6.1f} docs/s"
        )
    print(f"speed-up with 2 processes: {rates[2] / rates[1]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=50, help="renders per variant (median)")
    parser.add_argument("--lever-rounds", type=int, default=20, help="renders per lever variant")
    parser.add_argument("--count", type=int, default=200, help="documents for render_many")
    parser.add_argument("--skip-throughput", action="store_true")
    arguments = parser.parse_args()
    key = Ed25519PrivateKey.generate()  # a throwaway key: the bench signs nothing real
    per_document(arguments.rounds, arguments.lever_rounds, key)
    if not arguments.skip_throughput:
        throughput(arguments.count, key)


if __name__ == "__main__":
    main()
