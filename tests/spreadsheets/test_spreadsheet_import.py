"""Importing the office's sheets into the registry, on the engine under test."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.spreadsheets.office import (
    BAD_LINES,
    GOOD_LINES,
    MESSY,
    messy_bytes,
    office_employers,
    outcomes,
    run_import,
)
from tka_registry.audit.service import verify_chain
from tka_registry.audit.tables import AuditEntry
from tka_registry.employers.tables import Employer
from tka_registry.permits.tables import Permit
from tka_registry.settings import Settings
from tka_registry.workers.tables import Passport, Worker

WriteFile = Callable[..., Path]


async def _counts() -> tuple[int, int, int]:
    return await Worker.count(), await Passport.count(), await Permit.count()


async def test_one_rejected_row_imports_nothing_and_names_the_rows(
    db: str, settings: Settings, write_file: WriteFile
) -> None:
    await office_employers(settings)
    audit_before = await AuditEntry.count()
    report = await run_import(write_file(messy_bytes()), settings)
    assert report.counts == {"imported": 6, "updated": 0, "unchanged": 0, "rejected": 1}
    assert report.rejected_lines == BAD_LINES and not report.committed
    assert await _counts() == (0, 0, 0)
    assert await Employer.count() == 3  # the employer line 8 names was not kept either
    assert await AuditEntry.count() == audit_before
    problems = {row.line: [(p.header, p.field) for p in row.problems] for row in report.rows}
    assert ("JK", "sex") in problems[6] and ("KEWARGANEGARAAN", "nationality") in problems[6]
    incomplete = {row.line: row.incomplete for row in report.rows}
    assert incomplete[7] == ("passport_issued_on", "address")
    assert incomplete[8] == ("address", "employer_name")


async def test_partial_imports_the_good_rows_normalised(
    db: str, settings: Settings, write_file: WriteFile
) -> None:
    pusri, oki, unsri = await office_employers(settings)
    report = await run_import(write_file(messy_bytes()), settings, partial=True)
    assert outcomes(report) == {2: "imported", 3: "imported", 4: "imported", 5: "imported",
                                6: "rejected", 7: "imported", 8: "imported"}  # fmt: skip
    assert report.committed
    workers = await Worker.select().order_by(Worker.id)
    assert [(w["full_name"], w["sex"], w["nationality"], w["regency"], w["employer"])
            for w in workers] == [
        ("Zhang Wei", "M", "CHN", "Kota Palembang", pusri),
        ("Li Na", "F", "CHN", "Kabupaten Ogan Ilir", None),
        ("Kim Min-Jun", "M", "KOR", "Kabupaten Banyuasin", oki),
        ("Siobhán O'Brien", "F", "GBR", "Kabupaten Ogan Ilir", unsri),
        ("Rajesh Kumar", "M", "IND", "Kota Prabumulih", None),
        ("Park Ji-Hoon", "M", "KOR", "Kota Palembang", workers[5]["employer"]),
    ]  # fmt: skip
    created = await Employer.select().where(Employer.id == workers[5]["employer"]).first()
    assert created is not None and created["name"] == "PT Tidak Terdaftar"
    assert (created["nib"], created["npwp"], created["address"]) == (None, None, "")
    zhang = workers[0]
    assert zhang["address"] == "Jl. Mayor Zen; Kalidoni" and zhang["date_of_birth"] == date(
        1985, 3, 12
    )
    assert workers[1]["address"] == ""  # "-" in the sheet: unknown, stored empty
    passports = await Passport.select().order_by(Passport.id)
    assert [(p["number"], p["issuing_country"]) for p in passports] == [
        ("E12345678", "CHN"), ("EJ9876543", "CHN"), ("M12345678", "KOR"), ("123456789", "GBR"),
        ("Z1234567", "IND"), ("M99887766", "KOR"),
    ]  # fmt: skip
    assert passports[4]["issued_on"] is None  # not in the sheet: a gap, never guessed
    permits = await Permit.select().order_by(Permit.id)
    assert [(p["number"], p["kind"], p["visa_index"], p["employer"], p["is_current"])
            for p in permits] == [
        ("2C11AB1234", "ITAS", "E23C", pusri, True),
        ("2C11CD5678", "ITAS", "E23B", oki, True),
        ("2C11EF9012", "ITAS", "E23Q", unsri, True),
    ]  # fmt: skip
    assert permits[0]["issued_on"] == date(2026, 1, 5)
    assert permits[0]["expires_on"] == date(2027, 1, 4)
    assert zhang["current_permit_id"] == permits[0]["id"]
    assert workers[1]["current_permit_id"] is None

    entries = await AuditEntry.select().order_by(AuditEntry.sequence)
    rows_entry = next(e for e in entries if e["action"] == "spreadsheet.import.rows")
    listed = json.loads(rows_entry["details"])["rows"]
    assert [(r["line"], r["outcome"]) for r in listed] == [(n, "imported") for n in GOOD_LINES]
    assert listed[0]["permit_number"] == "2C11AB1234"
    summary = json.loads(entries[-1]["details"])
    assert entries[-1]["action"] == "spreadsheet.import" and summary["counts"]["rejected"] == 1
    assert (await verify_chain())[1] is None


async def test_reimporting_the_same_file_changes_nothing(
    db: str, settings: Settings, write_file: WriteFile
) -> None:
    await office_employers(settings)
    path = write_file(messy_bytes())
    await run_import(path, settings, partial=True)
    before = (await _counts(), await Worker.select().order_by(Worker.id))
    audit_before = await AuditEntry.count()
    again = await run_import(path, settings, partial=True)
    assert outcomes(again) == {**dict.fromkeys(GOOD_LINES, "unchanged"),
                               **dict.fromkeys(BAD_LINES, "rejected")}  # fmt: skip
    assert (await _counts(), await Worker.select().order_by(Worker.id)) == before
    assert await AuditEntry.count() == audit_before


async def test_changed_values_update_with_before_and_after(
    db: str, settings: Settings, write_file: WriteFile
) -> None:
    await office_employers(settings)
    good = "\n".join(line for n, line in enumerate(MESSY.splitlines(), 1) if n not in BAD_LINES)
    await run_import(write_file(messy_bytes(good + "\n")), settings)
    changed = good.replace(";Chemist;-;", ";Senior Chemist;Jl. Kolonel Atmo 5;").replace(
        "2034-08-01", "2034-08-02"
    )
    report = await run_import(write_file(messy_bytes(changed + "\n"), "changed.csv"), settings)
    assert outcomes(report) == {2: "unchanged", 3: "updated", 4: "unchanged", 5: "unchanged",
                                6: "unchanged", 7: "unchanged"}  # fmt: skip
    li = next(row for row in report.rows if row.line == 3)
    assert li.changed == ("address", "position", "passport_expires_on")
    worker = await Worker.select().where(Worker.id == li.worker_id).first()
    assert worker is not None and worker["position"] == "Senior Chemist"
    entry = (
        await AuditEntry.select()
        .where(AuditEntry.action == "spreadsheet.import.rows")
        .order_by(AuditEntry.sequence, ascending=False)
        .first()
    )
    assert entry is not None
    [row] = json.loads(entry["details"])["rows"]
    assert row["before"] == {"address": "", "position": "Chemist"}
    assert row["after"] == {"address": "Jl. Kolonel Atmo 5", "position": "Senior Chemist"}
    assert row["passport_before"] == {"expires_on": "2034-08-01"}


async def test_a_newer_permit_supersedes_the_current_one(
    db: str, settings: Settings, write_file: WriteFile
) -> None:
    await office_employers(settings)
    header, zhang = MESSY.splitlines()[0:2]
    await run_import(write_file(messy_bytes(f"{header}\n{zhang}\n")), settings)
    renewed = zhang.replace(
        "2C11AB1234;05 Jan 2026;4 Januari 2027", "2C11AB9999;05/01/2027;04/01/2028"
    )
    report = await run_import(write_file(messy_bytes(f"{header}\n{renewed}\n"), "r.csv"), settings)
    assert outcomes(report) == {2: "updated"}
    old, new = await Permit.select().order_by(Permit.id)
    assert (old["is_current"], new["is_current"], new["supersedes"]) == (False, True, old["id"])
    worker = await Worker.select().first()
    assert worker is not None and worker["current_permit_id"] == new["id"]
    # The older permit again, from an old sheet: named, not chained after the newer one.
    stale = await run_import(write_file(messy_bytes(f"{header}\n{zhang}\n"), "old.csv"), settings)
    assert outcomes(stale) == {2: "unchanged"}


async def test_dry_run_reports_everything_and_writes_nothing(
    db: str, settings: Settings, write_file: WriteFile
) -> None:
    await office_employers(settings)
    report = await run_import(write_file(messy_bytes()), settings, partial=True, dry_run=True)
    assert report.counts == {"imported": 6, "updated": 0, "unchanged": 0, "rejected": 1}
    assert not report.committed and await _counts() == (0, 0, 0)


async def test_rows_repeated_in_a_file_are_named(
    db: str, settings: Settings, write_file: WriteFile
) -> None:
    await office_employers(settings)
    lines = MESSY.splitlines()
    text = "\n".join([lines[0], lines[2], lines[2].replace("2C11AB1234", "2C11AB7777")]) + "\n"
    report = await run_import(write_file(messy_bytes(text)), settings)
    assert outcomes(report) == {2: "imported", 3: "rejected"}
    [problem] = report.rows[1].problems
    assert problem.field == "passport_number" and "baris 2" in problem.reason.indonesian
