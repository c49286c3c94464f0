"""Reading files: encodings, delimiters, quoting, header variants and whole-file refusals."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from tests.spreadsheets.files import MINIMAL_HEADER, csv_bytes
from tka_registry.spreadsheets.reading import CHUNK_BYTES, SpreadsheetRefused, open_workers_csv
from tka_registry.spreadsheets.workbook import open_workers_file

ROW = ["René Müller", "L", "01/02/1985", "Prancis", "12AB34567", "01/02/2033"]


def read_all(source: bytes | Path) -> tuple[Mapping[str, str], list[tuple[int, dict[str, str]]]]:
    opened = open_workers_csv(io.BytesIO(source) if isinstance(source, bytes) else source)
    with opened as sheet:
        return sheet.layout.headers, [(raw.line, dict(raw.values)) for raw in sheet]


@pytest.mark.parametrize(
    ("encoding", "bom", "detected"),
    [("cp1252", False, "cp1252"), ("utf-8", False, "utf-8-sig"), ("utf-8", True, "utf-8-sig")],
)
def test_encodings_are_detected_and_accents_survive(
    encoding: str, bom: bool, detected: str, write_file: Callable[[bytes], Path]
) -> None:
    data = csv_bytes([",".join(MINIMAL_HEADER), ",".join(ROW)], encoding=encoding, bom=bom)
    path = write_file(data)
    with open_workers_csv(path) as sheet:
        assert sheet.layout.encoding == detected
        rows = list(sheet)
    assert rows[0].values["full_name"] == "René Müller"
    assert rows[0].headers["full_name"] == "Nama Lengkap"  # no BOM glued to the first header


def test_windows_1252_byte_far_down_the_file_is_found() -> None:
    lines = [",".join(MINIMAL_HEADER)] + [",".join(ROW).replace("René", "Rene")] * 50_000
    lines.append(",".join(ROW))
    data = csv_bytes(lines, encoding="cp1252")
    assert len(data) > 2 * CHUNK_BYTES  # beyond the first chunk read
    with open_workers_csv(io.BytesIO(data)) as sheet:
        assert sheet.layout.encoding == "cp1252"
        last = list(sheet)[-1]
    assert last.values["full_name"] == "René Müller"
    assert last.line == 50_002


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_delimiters_with_quoted_fields_containing_them(delimiter: str) -> None:
    header = [*MINIMAL_HEADER, "Alamat"]
    row = [*ROW, '"Jl. Sudirman No. 5, RT 01; RW 02"']
    data = csv_bytes([delimiter.join(header), delimiter.join(row)])
    with open_workers_csv(io.BytesIO(data)) as sheet:
        assert sheet.layout.delimiter == delimiter
        rows = list(sheet)
    assert rows[0].values["address"] == "Jl. Sudirman No. 5, RT 01; RW 02"
    assert rows[0].overflow == ()


def test_delimiter_is_decided_on_the_header_with_quoting_respected() -> None:
    # More commas inside the quoted header than semicolons outside: counting would pick comma.
    header = ";".join([*MINIMAL_HEADER, '"Catatan (kantor, sponsor, RT, RW, dll, dsb, dst, lain)"'])
    assert header.count(",") > header.count(";")
    data = csv_bytes([header, ";".join([*ROW, "x"])])
    with open_workers_csv(io.BytesIO(data)) as sheet:
        assert sheet.layout.delimiter == ";"
        assert sheet.layout.ignored_headers == (
            "Catatan (kantor, sponsor, RT, RW, dll, dsb, dst, lain)",
        )
        assert next(iter(sheet)).values["full_name"] == "René Müller"


def test_excel_sep_hint_line_is_honoured_and_counted() -> None:
    data = csv_bytes(["sep=;", ";".join(MINIMAL_HEADER), ";".join(ROW)])
    with open_workers_csv(io.BytesIO(data)) as sheet:
        assert sheet.layout.delimiter == ";"
        assert [raw.line for raw in sheet] == [3]


@pytest.mark.parametrize(
    "header",
    [
        ["NAMA", "JENIS KELAMIN", "TGL LAHIR", "WARGA NEGARA", "NO PASPOR", "MASA BERLAKU PASPOR"],
        ["Full Name", "Sex", "Date of Birth", "Nationality", "Passport Number", "Passport Expiry"],
        ["name", "gender", "dob", "nationality", "passport no", "passport expires on"],
        ["Nama", "L/P", "Tanggal  Lahir", "Kewarganégaraan", "Nomor Paspor", "masa_berlaku_paspor"],
    ],
)
def test_header_variants_in_indonesian_and_english(header: list[str]) -> None:
    data = csv_bytes([",".join(header), ",".join(ROW)])
    headers, rows = read_all(data)
    assert set(headers) == {
        "full_name", "sex", "date_of_birth", "nationality", "passport_number",
        "passport_expires_on",
    }  # fmt: skip
    assert headers["full_name"] == header[0]
    assert rows[0][1]["passport_number"] == "12AB34567"


def test_unknown_columns_are_ignored_and_listed() -> None:
    data = csv_bytes([",".join(["No", *MINIMAL_HEADER, "Catatan", ""]), ",".join(["1", *ROW])])
    with open_workers_csv(io.BytesIO(data)) as sheet:
        assert sheet.layout.ignored_headers == ("No", "Catatan")
        assert "No" not in next(iter(sheet)).values


def test_rows_carry_the_line_they_start_on() -> None:
    data = csv_bytes(
        [
            ",".join([*MINIMAL_HEADER, "Alamat"]),
            ",".join([*ROW, "a"]),
            "",
            ",,,,,,",
            ",".join([*ROW, '"Jl. Merdeka\nNo. 1"']),
            ",".join([*ROW, "c"]),
        ]
    )
    _, rows = read_all(data)
    assert [line for line, _ in rows] == [2, 5, 7]
    assert rows[1][1]["address"] == "Jl. Merdeka\nNo. 1"


def test_extra_cells_beyond_the_header_are_kept_as_overflow() -> None:
    data = csv_bytes([",".join(MINIMAL_HEADER), ",".join([*ROW, "Jl. A", "No. 5", ""])])
    with open_workers_csv(io.BytesIO(data)) as sheet:
        assert next(iter(sheet)).overflow == ("Jl. A", "No. 5")


def test_short_rows_leave_later_columns_out() -> None:
    data = csv_bytes([",".join(MINIMAL_HEADER), "Zhang Wei,L"])
    _, rows = read_all(data)
    assert rows[0][1] == {"full_name": "Zhang Wei", "sex": "L"}


def test_only_a_header_is_a_file_of_zero_rows() -> None:
    _, rows = read_all(csv_bytes([",".join(MINIMAL_HEADER)]))
    assert rows == []


def test_unseekable_upload_is_read() -> None:
    class Upload(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
            chunk = self._data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    upload = Upload(csv_bytes([",".join(MINIMAL_HEADER), ",".join(ROW)], encoding="cp1252"))
    assert not upload.seekable()
    with open_workers_csv(upload) as sheet:  # type: ignore[arg-type]
        assert [raw.values["full_name"] for raw in sheet] == ["René Müller"]


def test_callers_stream_stays_open() -> None:
    stream = io.BytesIO(csv_bytes([",".join(MINIMAL_HEADER), ",".join(ROW)]))
    with open_workers_csv(stream) as sheet:
        list(sheet)
    assert not stream.closed


def zip_bytes(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name in names:
            archive.writestr(name, "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "berkas kosong"),
        (b"\r\n  \r\n", "berkas kosong"),
        (b"\xef\xbb\xbf", "berkas kosong"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF"),
        (zip_bytes("xl/workbook.xml"), "buku kerja Excel ini rusak"),
        (zip_bytes("word/document.xml"), "arsip ZIP, bukan buku kerja"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "XLS"),
        ("Nama,No. Paspor\r\n".encode("utf-16"), "UTF-16"),
        (b"Nama,Paspor\r\n\x00\x01\x02\x03", "biner"),
        (b"Nama,Paspor\r\n\x81\x8d\xc3", "bukan UTF-8 maupun Windows-1252"),
    ],
)
def test_files_that_are_not_csv_are_refused_whole(data: bytes, reason: str) -> None:
    with pytest.raises(SpreadsheetRefused, match=reason):
        open_workers_file(io.BytesIO(data))


def test_missing_required_columns_are_named_in_both_languages() -> None:
    data = csv_bytes(["Nama,Kewarganegaraan,Jabatan", "Zhang Wei,CHN,Engineer"])
    with pytest.raises(SpreadsheetRefused) as caught:
        open_workers_csv(io.BytesIO(data))
    reason = caught.value.reason
    assert reason.indonesian == ("kolom wajib tidak ada: Jenis Kelamin, Tanggal Lahir, No. Paspor")
    assert reason.english == ("required columns missing: Sex, Date of Birth, Passport Number")


def test_two_columns_for_the_same_field_are_refused() -> None:
    data = csv_bytes([",".join([*MINIMAL_HEADER, "Full Name"])])
    with pytest.raises(SpreadsheetRefused, match='"Nama Lengkap" dan "Full Name"'):
        open_workers_csv(io.BytesIO(data))


def test_refused_path_is_closed(write_file: Callable[[bytes], Path]) -> None:
    path = write_file(b"%PDF-1.4 whatever")
    with pytest.raises(SpreadsheetRefused):
        open_workers_csv(path)
    path.unlink()  # would fail on Windows if left open; here it proves nothing leaked badly
    assert not path.exists()
