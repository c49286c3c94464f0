"""Benchmark of permit documents; run ``PYTHONPATH=. python bench/bench_documents.py``.

Prints the median time per permit document of our renderer next to a plain
``weasyprint.HTML(string=same_html).write_pdf()`` of the same document measured in the same run
(``same_html`` is our template's HTML with the same stylesheet and font files inlined, so both
produce the same pages), the effect of each lever, and the throughput of ``render_many`` with one
process and with two. Variants are measured round-robin so that machine load hits all alike.

``--serving`` measures downloading a stored document through the app in-process (token check,
audit entry, file read and SHA-256 check) next to reading the same file directly; ``--render-all
N`` runs ``documents render --all`` (``render_all``) over N demo permits in a temporary SQLite
database with one process and with two.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import io
import secrets
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import httpx
import weasyprint
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image

from tka_registry.accounts.roles import Actor
from tka_registry.accounts.service import create_account
from tka_registry.app import create_app
from tka_registry.db import engine_for, migrate, open_database
from tka_registry.demo.generate import load_demo_data
from tka_registry.documents import render, service, signing
from tka_registry.documents.batch import render_many
from tka_registry.documents.commands import render_all
from tka_registry.documents.keys import key_id
from tka_registry.documents.manual_codes import code_for, printed
from tka_registry.documents.photos import photo_data_uri
from tka_registry.documents.render import DocumentRenderer, PermitDocument
from tka_registry.rules.calendar import jakarta_today, utc_now
from tka_registry.settings import Settings, load_settings
from tka_registry.storage.blobs import sha256_hex

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


@functools.cache
def sample_photo() -> str:
    """A holder's photo as the documents carry it (a 600 x 800 JPEG scaled to print size)."""
    out = io.BytesIO()
    Image.new("RGB", (600, 800), (200, 170, 140)).save(out, format="JPEG")
    uri = photo_data_uri(out.getvalue())
    assert uri is not None
    return uri


def sample_permit(number: int, key: Ed25519PrivateKey) -> PermitDocument:
    """A realistic permit with the holder's photo, a token that names its key (the larger QR
    code) and the manual code; ``number`` varies the permit number, name and dates."""
    expires_on = date(2027, 1, 5) + timedelta(days=number % 365)
    permit_number = f"2C21JD{number:04d}-AB"
    holder = f"ZHANG WEI {number:04d}"
    statement = signing.permit_statement(
        permit_number, holder, "CHN", expires_on, kid=key_id(key.public_key()),
        signed_at=1_764_558_000 + number, valid_from=expires_on - timedelta(days=365),
        status_index=number,
    )  # fmt: skip
    token = signing.sign_permit(key, statement)
    url = signing.verify_url("https://tka.imigrasi-palembang.go.id", token)
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
        valid_from=expires_on - timedelta(days=365),
        expires_on=expires_on,
        address="Jl. Jenderal Sudirman No. 45, Kelurahan 20 Ilir D. I, Kota Palembang 30129",
        verify_url=url,
        employer_name="PT Pupuk Sriwidjaja Palembang",
        position="Process Engineer",
        photo=sample_photo(),
        manual_code=printed(code_for(token)),
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
    print(f"ours / plain = {ratio:.2f}x (must stay <= 0.75x, issue 20)\n")

    base_url = render.TEMPLATES_DIR.as_uri() + "/"

    def variant(
        source: str = html,
        *,
        html5_parser: bool = False,
        html5_user_agent: bool = False,
        stylesheets: list[weasyprint.CSS] | None = None,
        pdf_variant: str | None = render.PDF_VARIANT,
    ) -> Callable[[], bytes]:
        """Our render with one lever changed: WeasyPrint's own parser, its HTML5 user-agent
        stylesheet, other stylesheets or another PDF variant."""

        def run() -> bytes:
            if html5_parser:
                document = weasyprint.HTML(
                    string=source, base_url=base_url, url_fetcher=ours.fetcher
                )
                if not html5_user_agent:
                    document._ua_stylesheets = lambda forms=False: [ours.user_agent]  # type: ignore[method-assign]
            else:
                document = render.PreparedHTML(
                    ET.fromstring(source),  # noqa: S314 (our template's output)
                    base_url=base_url,
                    url_fetcher=ours.fetcher,
                    user_agent=ours.user_agent,
                )
                if html5_user_agent:
                    document._ua_stylesheets = weasyprint.HTML._ua_stylesheets.__get__(document)  # type: ignore[method-assign]
            result = document.write_pdf(
                stylesheets=ours.stylesheets if stylesheets is None else stylesheets,
                font_config=ours.font_config,
                pdf_variant=pdf_variant,
                pdf_identifier=b"tka-registry",
            )
            return bytes(result or b"")

        return run

    def fresh_stylesheets() -> bytes:
        sheets = [
            ours.stylesheets[0],
            weasyprint.CSS(filename=render.STYLESHEET, font_config=ours.font_config),
        ]
        return variant(stylesheets=sheets)()

    auto_layout = [*ours.stylesheets, weasyprint.CSS(string="table { table-layout: auto; }")]
    # The two lines of a label or value as inline spans broken by <br/> instead of blocks.
    inline_lines = html.replace(
        '</span><span class="secondary">', '</span><br/><span class="secondary">'
    )
    inline_lines = inline_lines.replace(
        '</span><span class="value-secondary">', '</span><br/><span class="value-secondary">'
    )
    inline_css = weasyprint.CSS(
        string=".fields th .primary, .fields th .secondary, .fields td .value,"
        " .fields td .value-secondary { display: inline; }"
    )
    qr_start = html.index('<img src="data:')
    no_qr_html = html.replace(html[qr_start : html.index(">", qr_start) + 1], "")
    report(
        "Levers, each taken away from our renderer",
        {
            "ours (renderer.pdf of the permit HTML)": functools.partial(ours.pdf, html),
            "no reuse: new FontConfiguration + CSS every render": lambda: DocumentRenderer().pdf(
                html
            ),
            "fonts reused, stylesheet parsed every render": fresh_stylesheets,
            "WeasyPrint's HTML5 parser instead of ElementTree": variant(html5_parser=True),
            "WeasyPrint's full HTML5 user-agent stylesheet": variant(html5_user_agent=True),
            "both: parser and full user-agent stylesheet": variant(
                html5_parser=True, html5_user_agent=True
            ),
            "label and value lines as inline spans and <br/>": variant(
                inline_lines, stylesheets=[*ours.stylesheets, inline_css]
            ),
            "auto table layout instead of fixed": variant(stylesheets=auto_layout),
            "without pdf/a-3u": variant(pdf_variant=None),
            "QR code left out (its inline PNG costs this much)": variant(no_qr_html),
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


# --- stored documents: serving and render --all ------------------------------------------------

OFFICER_PASSWORD = secrets.token_urlsafe(16)  # a throwaway account of a throwaway database


async def _fresh_database(folder: Path, name: str) -> Settings:
    settings = load_settings(
        environ={},
        database_url=f"sqlite:///{folder / name}",
        data_dir=folder / "data",
        secret_key="bench",
    )
    engine = engine_for(settings.database_url)
    await open_database(engine)
    await migrate(engine)
    return settings


async def _issued_permit(client: httpx.AsyncClient) -> tuple[int, dict[str, str]]:
    """An officer's headers and a permit issued through the API (its document stored)."""
    await create_account(
        Actor.system("bench"),
        email="officer@bench.local",
        role="officer",
        password=OFFICER_PASSWORD,
        employer_id=None,
        now=utc_now(),
    )
    signin = {"email": "officer@bench.local", "password": OFFICER_PASSWORD}
    token = (await client.post("/api/v1/auth/token", json=signin)).json()["access_token"]
    officer = {"Authorization": f"Bearer {token}"}
    employer = {
        "name": "PT Pupuk Sriwidjaja Palembang",
        "nib": "9120000000001",
        "npwp": "013000666091000",
        "address": "Jl. Mayor Zen, Palembang",
        "regency": "Kota Palembang",
        "sector": "fertiliser",
    }
    employer_id = (await client.post("/api/v1/employers", json=employer, headers=officer)).json()
    worker = {
        "full_name": "Zhang Wei",
        "sex": "M",
        "date_of_birth": "1985-03-04",
        "place_of_birth": "Wuhan",
        "nationality": "CHN",
        "address": "Jl. Sudirman 12",
        "regency": "Kota Palembang",
        "position": "Process Engineer",
        "employer_id": employer_id["id"],
        "passport": {
            "number": "E12345678",
            "issuing_country": "CHN",
            "issued_on": "2023-01-10",
            "expires_on": "2033-01-09",
        },
    }
    worker_id = (await client.post("/api/v1/workers", json=worker, headers=officer)).json()["id"]
    today = jakarta_today(utc_now())
    permit = {
        "worker_id": worker_id,
        "kind": "ITAS",
        "visa_index": "E23C",
        "number": "2C21AA0001",
        "issued_on": today.isoformat(),
        "expires_on": (today + timedelta(days=360)).isoformat(),
        "register_number": "REG-2026-000001",
    }
    response = await client.post("/api/v1/permits", json=permit, headers=officer)
    return int(response.json()["id"]), officer


async def measure_serving(rounds: int) -> dict[str, float]:
    """Median milliseconds of a download through the app in-process, and of the baselines."""
    folder = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    try:
        settings = await _fresh_database(folder, "serving.sqlite3")
        app = create_app(settings)
        async with app.lifespan():
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                permit_id, officer = await _issued_permit(client)
                stored = await service.current_document(kind="permit", permit_id=permit_id)
                assert stored is not None, "the issued permit has no stored document"
                # The same bytes as a file on disk, as versions before issue 16 kept them.
                path = folder / f"{stored.sha256}.pdf"
                path.write_bytes(await service.read_document(stored))
                url = f"/api/v1/permits/{permit_id}/document"
                samples: dict[str, list[float]] = {
                    "baseline: read the stored file directly": [],
                    "from disk: read the file + SHA-256 check": [],
                    "from the database: read_document (blob + SHA-256 check)": [],
                    "GET /health in-process (the app's floor)": [],
                    "GET /api/v1/permits/{id}/document in-process": [],
                }
                for _ in range(rounds):
                    for name in samples:
                        start = time.perf_counter()
                        if name.startswith("baseline"):
                            path.read_bytes()
                        elif name.startswith("from disk"):
                            assert sha256_hex(path.read_bytes()) == stored.sha256
                        elif name.startswith("from the database"):
                            await service.read_document(stored)
                        elif name.startswith("GET /health"):
                            assert (await client.get("/health")).status_code == 200
                        else:
                            response = await client.get(url, headers=officer)
                            assert response.status_code == 200, response.text
                        samples[name].append((time.perf_counter() - start) * 1000)
        return {name: statistics.median(values) for name, values in samples.items()}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def measure_render_all(count: int) -> dict[int, tuple[int, float]]:
    """(documents stored, seconds) of render_all over ``count`` demo permits, per process count."""
    folder = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    try:
        settings = await _fresh_database(folder, "one.sqlite3")
        today = jakarta_today(utc_now())
        await load_demo_data(
            workers=max(count, 50), seed=1, today=today, now=utc_now(), with_accounts=False
        )
        # The backup API copies what is still in the WAL file too (a file copy would not).
        with (
            sqlite3.connect(folder / "one.sqlite3") as source,
            sqlite3.connect(folder / "two.sqlite3") as target,
        ):
            source.backup(target)
        results: dict[int, tuple[int, float]] = {}
        for processes, name in ((1, "one.sqlite3"), (2, "two.sqlite3")):
            run_settings = settings.with_overrides(
                database_url=f"sqlite:///{folder / name}", data_dir=folder / f"data-{processes}"
            )
            await open_database(engine_for(run_settings.database_url))
            stored, skipped, seconds = await render_all(
                run_settings, processes=processes, limit=count, stream=sys.stderr
            )
            assert not skipped, skipped[:3]
            results[processes] = (stored, seconds)
        return results
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def serving(rounds: int) -> None:
    medians = asyncio.run(measure_serving(rounds))
    baseline = medians["baseline: read the stored file directly"]
    print(f"Serving a stored document (median of {rounds}, ratio to the baseline):")
    for name, median in medians.items():
        print(f"  {name:<58} {median:7.2f} ms  {median / baseline:6.1f}x")
    print()


def render_all_throughput(count: int) -> None:
    rates = asyncio.run(measure_render_all(count))
    for processes, (stored, seconds) in rates.items():
        print(
            f"documents render --all, {stored} demo permits, {processes} process(es): "
            f"{seconds:6.1f} s, {stored / seconds:6.1f} documents/s"
        )
    one, two = (stored / seconds for stored, seconds in rates.values())
    print(f"speed-up with 2 processes: {two / one:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=50, help="renders per variant (median)")
    parser.add_argument("--lever-rounds", type=int, default=20, help="renders per lever variant")
    parser.add_argument("--count", type=int, default=200, help="documents for render_many")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-per-document", action="store_true")
    # One database per process: Piccolo's migration machinery keeps the first engine it saw.
    storage = parser.add_mutually_exclusive_group()
    storage.add_argument("--serving", type=int, default=0, help="downloads to time (median)")
    storage.add_argument("--render-all", type=int, default=0, help="demo permits to render")
    arguments = parser.parse_args()
    key = Ed25519PrivateKey.generate()  # a throwaway key: the bench signs nothing real
    if not arguments.skip_per_document:
        per_document(arguments.rounds, arguments.lever_rounds, key)
    if not arguments.skip_throughput:
        throughput(arguments.count, key)
    if arguments.serving:
        serving(arguments.serving)
    if arguments.render_all:
        render_all_throughput(arguments.render_all)


if __name__ == "__main__":
    main()
