"""``tka-registry import-workers`` and ``export-workers`` through ``cli.main``, on the engine under
test. The CLI opens its own engine (in a thread, with its own event loop); the test re-binds the
tables to its engine afterwards."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import NOW
from tests.factories import permit_body, worker_body
from tests.spreadsheets.office import OFFICER, TODAY, messy_bytes, office_employers
from tests.spreadsheets.workbooks import ROWS, office_workbook, workbook_bytes
from tka_registry.cli import main
from tka_registry.db import bind, engine_for
from tka_registry.documents.tables import StoredDocument
from tka_registry.permits.schemas import PermitIn
from tka_registry.permits.service import issue_permit
from tka_registry.permits.tables import Permit
from tka_registry.settings import Settings
from tka_registry.workers.schemas import PassportIn, WorkerIn
from tka_registry.workers.service import add_passport, create_worker
from tka_registry.workers.tables import Passport, Worker

WriteFile = Callable[..., Path]


@pytest.fixture
def cli(
    db: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., asyncio.Future[tuple[int, str, str]]]:
    monkeypatch.setenv("TKA_DATABASE_URL", db)
    monkeypatch.setenv("TKA_DATA_DIR", str(data_dir))
    monkeypatch.setenv("TKA_LANGUAGE", "id")

    async def run(*arguments: str) -> tuple[int, str, str]:
        code = await asyncio.to_thread(main, list(arguments))
        bind(engine_for(db))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run  # type: ignore[return-value]


async def _counts() -> tuple[int, int, int]:
    return await Worker.count(), await Passport.count(), await Permit.count()


async def test_import_all_or_nothing_then_partial(
    cli: Callable[..., asyncio.Future[tuple[int, str, str]]],
    settings: Settings,
    write_file: WriteFile,
) -> None:
    await office_employers(settings)
    path = write_file(messy_bytes(), "kantor.csv")
    code, out, _ = await cli("import-workers", str(path))
    assert code == 1 and await _counts() == (0, 0, 0)
    assert 'baris 6, kolom "JK"' in out and "baris 8" not in out
    assert "kolom diabaikan: No, Keterangan" in out
    assert "6 diimpor, 0 diperbarui, 0 tidak berubah, 1 ditolak" in out
    assert "tidak ada yang disimpan: perbaiki baris 6 lalu impor ulang (atau pakai --partial" in out

    code, out, _ = await cli("import-workers", str(path), "--dry-run", "--partial")
    assert code == 1 and "uji coba" in out and await _counts() == (0, 0, 0)

    code, out, _ = await cli("import-workers", str(path), "--partial")
    assert code == 1 and await _counts() == (6, 6, 3)
    assert "baris yang benar disimpan; perbaiki baris 6 " in out

    code, out, _ = await cli("import-workers", str(path), "--partial")
    assert code == 1 and "0 diimpor, 0 diperbarui, 6 tidak berubah, 1 ditolak" in out
    assert await _counts() == (6, 6, 3)


async def test_a_workbook_refused_mid_way_imports_its_good_rows_with_partial(
    cli: Callable[..., asyncio.Future[tuple[int, str, str]]],
    settings: Settings,
    write_file: WriteFile,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TKA_LANGUAGE", "en")
    await office_employers(settings)
    bad = [3, "PARK JI-HOON", "X", date(1988, 4, 2), "Korea Selatan", "M12345678", None,
           None, "Welder", None, None]  # fmt: skip
    last = [4, "KENJI SATO", "L", date(1979, 9, 9), "Jepang", "TZ1234567", None, None,
            "Engineer", None, None]  # fmt: skip
    path = write_file(workbook_bytes(office_workbook([*ROWS, bad, last])), "kantor.xlsx")
    code, out, _ = await cli("import-workers", str(path))
    assert code == 1 and await _counts() == (0, 0, 0)
    assert 'line 7, column "JK": sex "X" is not known' in out
    assert "nothing was saved: fix lines 7 and import again (or use --partial" in out

    code, out, _ = await cli("import-workers", str(path), "--partial")
    assert code == 1 and await _counts() == (3, 3, 0)  # the rows before and after the bad one
    assert "3 imported, 0 updated, 0 unchanged, 1 rejected" in out
    assert "the good lines were saved; fix lines 7 and import again" in out
    names = {row["full_name"] for row in await Worker.select(Worker.full_name)}
    assert names == {"Zhang Wei", "Li Na", "Kenji Sato"}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"%PDF-1.7\n%binary", "berkas ini PDF, bukan CSV"),
        (b"", "berkas kosong"),
        (b"\r\n  \r\n", "berkas kosong"),
        (b"PK\x03\x04excel", "buku kerja Excel ini rusak"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "buku kerja Excel lama (XLS)"),
        (b"Nama;Kewarganegaraan\r\nZhang Wei;Tiongkok\r\n", "kolom wajib tidak ada"),
    ],
)
async def test_refused_files_exit_non_zero_and_change_nothing(
    cli: Callable[..., asyncio.Future[tuple[int, str, str]]],
    write_file: WriteFile,
    content: bytes,
    reason: str,
) -> None:
    code, out, err = await cli("import-workers", str(write_file(content)))
    assert code == 2 and reason in err and out == ""
    assert await _counts() == (0, 0, 0)


async def test_a_workbook_sheet_is_chosen_by_name(
    cli: Callable[..., asyncio.Future[tuple[int, str, str]]],
    settings: Settings,
    write_file: WriteFile,
) -> None:
    await office_employers(settings)
    data = workbook_bytes(office_workbook(notes_sheet_first=True))
    path = write_file(data, "kantor.xlsx")
    code, _, err = await cli("import-workers", str(path), "--sheet", "Rekap")
    assert code == 2 and 'lembar "Rekap" tidak ada' in err and "Catatan, TKA 2026" in err
    assert await _counts() == (0, 0, 0)
    code, out, _ = await cli("import-workers", str(path), "--sheet", "TKA 2026")
    assert code == 0 and "2 diimpor" in out and await _counts() == (2, 2, 0)


async def test_missing_columns_are_named(
    cli: Callable[..., asyncio.Future[tuple[int, str, str]]], write_file: WriteFile
) -> None:
    code, _, err = await cli("import-workers", str(write_file(b"Nama;No. Paspor\r\nA;B\r\n")))
    assert code == 2
    assert "Jenis Kelamin" in err and "Kewarganegaraan" in err
    assert "Masa Berlaku Paspor" not in err  # the registry can live without it


async def _registry_of_the_counter(settings: Settings) -> None:
    """Records made at the counter, with the values an export must carry back unchanged."""
    pusri, oki, _ = await office_employers(settings)
    people = [
        worker_body(pusri, full_name="Lǐ Nà", nationality="CHN", address="Jl. Sudirman 1\nRT 02"),
        worker_body(oki, full_name="Siobhán O'Brien", nationality="GBR", position="=Lecturer"),
        worker_body(None, full_name="Kim Min-Jun", nationality="KOR", place_of_birth="Seoul"),
    ]
    ids = []
    for body in people:
        worker = await create_worker(OFFICER, WorkerIn(**body), settings=settings, today=TODAY,
                                     now=NOW)  # fmt: skip
        ids.append(worker.id)
    renewed = PassportIn(number="E99887766", issuing_country="CHN", issued_on="2025-01-02",
                         expires_on="2035-01-01")  # fmt: skip
    await add_passport(OFFICER, ids[0], renewed, settings=settings, today=TODAY, now=NOW)
    for worker_id in ids[:2]:
        first = await issue_permit(OFFICER, PermitIn(**permit_body(worker_id)), today=TODAY,
                                   settings=settings, now=NOW)  # fmt: skip
    later = permit_body(ids[1], issued_on="2027-05-30", expires_on="2028-05-29",
                        supersedes_id=first.id)  # fmt: skip
    await issue_permit(OFFICER, PermitIn(**later), today=TODAY, settings=settings, now=NOW)


async def test_export_then_import_is_a_round_trip(
    cli: Callable[..., asyncio.Future[tuple[int, str, str]]],
    settings: Settings,
    tmp_path: Path,
) -> None:
    await _registry_of_the_counter(settings)
    exported = tmp_path / "ekspor.csv"
    code, out, _ = await cli("export-workers", str(exported))
    assert code == 0 and "3 TKA diekspor" in out
    data = exported.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfNama Lengkap;Jenis Kelamin;")  # Indonesian Excel
    assert "E99887766" in data.decode() and "'=Lecturer" in data.decode()
    lines = data.decode("utf-8-sig").split("\r\n")
    li_na = lines[1].split(";")  # words of the file's language, not codes
    assert li_na[:2] == ["Lǐ Nà", "Laki-laki"] and li_na[4] == "Tiongkok"
    assert li_na[14] == "Izin Tinggal Terbatas" and ";Inggris;" in data.decode()
    before = (await _counts(), await Worker.select().order_by(Worker.id))

    code, out, _ = await cli("import-workers", str(exported))
    assert code == 0 and "0 diimpor, 0 diperbarui, 3 tidak berubah, 0 ditolak" in out
    assert (await _counts(), await Worker.select().order_by(Worker.id)) == before

    again = tmp_path / "lagi.csv"
    assert (await cli("export-workers", str(again)))[0] == 0
    assert again.read_bytes() == data

    # Into an empty registry (the employers kept): every row imported, the export identical.
    for table in (StoredDocument, Permit, Passport, Worker):
        await table.delete(force=True)
    code, out, _ = await cli("import-workers", str(exported))
    assert code == 0 and "3 diimpor" in out
    third = tmp_path / "ketiga.csv"
    assert (await cli("export-workers", str(third), "--language", "id"))[0] == 0
    assert third.read_bytes() == data


async def test_workbook_export_is_typed_and_reads_back_unchanged(
    cli: Callable[..., asyncio.Future[tuple[int, str, str]]],
    settings: Settings,
    tmp_path: Path,
) -> None:
    await _registry_of_the_counter(settings)
    exported = tmp_path / "ekspor.xlsx"
    code, out, _ = await cli("export-workers", str(exported))
    assert code == 0 and "3 TKA diekspor" in out
    book = load_workbook(exported)
    sheet = book.active
    assert sheet is not None and sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]][:3] == [
        "Nama Lengkap",
        "Jenis Kelamin",
        "Tanggal Lahir",
    ]
    assert round(sheet.column_dimensions["A"].width) == 29  # 28 characters and the padding
    dates = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(value, datetime) for value in dates)  # date cells, not text
    positions = [row[11] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "=Lecturer" in positions  # text, never a formula
    assert sheet["L3"].data_type == "s"
    assert [sheet["B2"].value, sheet["E2"].value, sheet["O2"].value] == [
        "Laki-laki", "Tiongkok", "Izin Tinggal Terbatas"
    ]  # fmt: skip
    before = (await _counts(), await Worker.select().order_by(Worker.id))
    code, out, _ = await cli("import-workers", str(exported))
    assert code == 0 and "0 diimpor, 0 diperbarui, 3 tidak berubah, 0 ditolak" in out
    assert (await _counts(), await Worker.select().order_by(Worker.id)) == before

    english = tmp_path / "export.xlsx"
    assert (await cli("export-workers", str(english), "--language", "en"))[0] == 0
    sheet = load_workbook(english).active
    assert sheet is not None and [sheet["B2"].value, sheet["E2"].value, sheet["O2"].value] == [
        "Male", "China", "Limited Stay Permit"
    ]  # fmt: skip
    code, out, _ = await cli("import-workers", str(english))
    assert code == 0 and "0 diimpor, 0 diperbarui, 3 tidak berubah, 0 ditolak" in out
