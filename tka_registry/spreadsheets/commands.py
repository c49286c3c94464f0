"""``import-workers`` and ``export-workers``: the office's spreadsheets in and out."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from tka_registry.accounts.roles import Actor
from tka_registry.cli import Subparsers, fail, run_with_database
from tka_registry.rules.calendar import jakarta_today, utc_now
from tka_registry.settings import Settings
from tka_registry.spreadsheets.reading import SpreadsheetRefused
from tka_registry.spreadsheets.service import (
    ImportReport,
    RowReport,
    export_csv,
    export_xlsx,
    import_workers,
)

# Exit codes: 0 every row is fine, 1 some rows were rejected, 2 the file was refused whole.
ROWS_REJECTED = 1

_WORDS = {
    "id": {
        "imported": "diimpor",
        "updated": "diperbarui",
        "unchanged": "tidak berubah",
        "rejected": "ditolak",
        "line": "baris",
        "column": "kolom",
        "dry_run": "uji coba: tidak ada yang disimpan",
        "nothing_saved": "tidak ada yang disimpan: perbaiki baris {lines} lalu impor ulang "
        "(atau pakai --partial untuk mengimpor baris yang benar saja)",
        "saved_partial": "baris yang benar disimpan; perbaiki baris {lines} lalu impor ulang",
        "ignored": "kolom diabaikan: {columns}",
        "exported": "{rows} TKA diekspor ke {file}",
    },
    "en": {
        "imported": "imported",
        "updated": "updated",
        "unchanged": "unchanged",
        "rejected": "rejected",
        "line": "line",
        "column": "column",
        "dry_run": "dry run: nothing was saved",
        "nothing_saved": "nothing was saved: fix lines {lines} and import again "
        "(or use --partial to import the good lines only)",
        "saved_partial": "the good lines were saved; fix lines {lines} and import again",
        "ignored": "columns ignored: {columns}",
        "exported": "{rows} workers exported to {file}",
    },
}


def register(subparsers: Subparsers) -> None:
    importing = subparsers.add_parser(
        "import-workers",
        help="import workers from an Excel workbook or a CSV file (see docs/import-columns.md)",
    )
    importing.add_argument("file", type=Path, help="the workbook (.xlsx) or CSV file")
    importing.add_argument(
        "--sheet", default=None, help="the workbook's sheet (default: the first with headers)"
    )
    importing.add_argument(
        "--dry-run", action="store_true", help="report what would happen; save nothing"
    )
    importing.add_argument(
        "--partial",
        action="store_true",
        help="import the good rows even when others are rejected (default: all or nothing)",
    )
    importing.set_defaults(handler=run_import)
    exporting = subparsers.add_parser(
        "export-workers", help="export every worker to an Excel workbook (.xlsx) or a CSV file"
    )
    exporting.add_argument("file", type=Path, help="the .xlsx or .csv file to write")
    exporting.add_argument(
        "--language", choices=("id", "en"), default=None, help="header language (TKA_LANGUAGE)"
    )
    exporting.add_argument(
        "--delimiter",
        choices=(",", ";"),
        default=None,
        help="CSV cell delimiter (; in Indonesian, as Indonesian Excel expects; , in English)",
    )
    exporting.set_defaults(handler=run_export)


def _cli_actor() -> Actor:
    return Actor.system(f"cli:{getpass.getuser()}")


def run_import(arguments: argparse.Namespace, settings: Settings) -> int:
    words = _WORDS.get(settings.language, _WORDS["id"])
    if not arguments.file.is_file():
        return fail(f"{arguments.file}: no such file")

    def print_rejected(row: RowReport) -> None:
        for problem in row.problems:
            where = f"{words['line']} {row.line}"
            if problem.header:
                where += f', {words["column"]} "{problem.header}"'
            print(f"{where}: {problem.reason.text(settings.language)}")

    async def work() -> int:
        now = utc_now()
        try:
            report = await import_workers(
                _cli_actor(),
                str(arguments.file),
                settings=settings,
                today=jakarta_today(now),
                now=now,
                partial=arguments.partial,
                dry_run=arguments.dry_run,
                file_name=arguments.file.name,
                sheet=arguments.sheet,
                on_row=print_rejected,
            )
        except SpreadsheetRefused as refused:
            return fail(f"{arguments.file}: {refused.reason.text(settings.language)}")
        _print_summary(report, words)
        return ROWS_REJECTED if report.counts["rejected"] else 0

    return run_with_database(settings, work)


def _print_summary(report: ImportReport, words: dict[str, str]) -> None:
    if report.layout.ignored_headers:
        print(words["ignored"].format(columns=", ".join(report.layout.ignored_headers)))
    counts = ", ".join(f"{report.counts[name]} {words[name]}" for name in report.counts)
    print(f"{report.file_name}: {counts}")
    lines = ", ".join(str(line) for line in report.rejected_lines)
    if report.rows_left_off and lines:
        lines += ", ..."
    if report.dry_run:
        print(words["dry_run"])
    elif report.counts["rejected"]:
        print(words["saved_partial" if report.partial else "nothing_saved"].format(lines=lines))


def run_export(arguments: argparse.Namespace, settings: Settings) -> int:
    language = arguments.language or settings.language
    words = _WORDS.get(settings.language, _WORDS["id"])

    async def work() -> int:
        # Written beside the target and renamed, so a failed export leaves no half file.
        partial_file = arguments.file.with_name(arguments.file.name + ".part")
        counted = [0]
        with partial_file.open("wb") as stream:
            if arguments.file.suffix.lower() == ".xlsx":
                counted[0] = await export_xlsx(stream, language=language)
            else:
                delimiter = arguments.delimiter or (";" if language == "id" else ",")
                chunks = export_csv(language=language, delimiter=delimiter, counted=counted)
                async for chunk in chunks:
                    stream.write(chunk)
        partial_file.replace(arguments.file)
        print(words["exported"].format(rows=counted[0], file=arguments.file))
        return 0

    return run_with_database(settings, work)
