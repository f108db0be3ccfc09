"""Reading tabular sources (CSV, XLS, XLSX, ODS) as they are published.

UPR Info's CSV exports are Mac Roman with bare CR line endings; its XLS export has a compound
document that xlrd calls corrupt; spreadsheets store integers as floats. This module absorbs
those quirks once, so loaders see a header and rows of strings with their row numbers
(row 1 is the header row, as a spreadsheet shows it).
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .base import LoadError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Letters that real names and texts contain; the candidate decoding yielding most of them wins.
_PLAUSIBLE = set("éèêëàáâäãåçíìîïñóòôöõúùûüýÿæœßÉÈÀÁÇÍÑÓÖÚÜ’‘“”–—°«»")
_FALLBACK_ENCODINGS = ("cp1252", "mac_roman", "latin-1")


@dataclass
class Table:
    path: Path
    header: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str | None = None
    sheet: str | None = None


def decode(path: Path, raw: bytes) -> tuple[str, str]:
    """Decode bytes of a text file, guessing among UTF-8, Windows-1252 and Mac Roman."""
    if b"\x00" in raw[:8192]:
        raise LoadError(path, "", "binary file, not a text table (it contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[int, str, str] | None = None
    for enc in _FALLBACK_ENCODINGS:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        high = [ch for ch in text if ord(ch) > 127]
        score = sum(ch in _PLAUSIBLE for ch in high) - sum(ch not in _PLAUSIBLE for ch in high)
        if best is None or score > best[0]:
            best = (score, text, enc)
    assert best is not None  # latin-1 decodes anything
    return best[1], best[2]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv(path: Path, raw: bytes) -> Table:
    text, encoding = decode(path, raw)
    first = text.split("\n", 1)[0].split("\r", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise LoadError(path, f"row {reader.line_num}", f"unreadable CSV ({exc})") from None
    if not records:
        raise LoadError(path, "", "file is empty")
    header, *body = records
    rows = [(i, r) for i, r in enumerate(body, start=2) if any(c.strip() for c in r)]
    return Table(path, [h.strip() for h in header], rows, encoding=encoding)


def _xls(path: Path) -> Table:
    import xlrd

    try:
        with open(os.devnull, "w") as devnull:
            book = xlrd.open_workbook(str(path), ignore_workbook_corruption=True, logfile=devnull)
    except Exception as exc:  # xlrd raises many kinds for damaged files
        raise LoadError(path, "", f"unreadable XLS workbook ({exc})") from None
    sheet = book.sheet_by_index(0)
    if sheet.nrows == 0:
        raise LoadError(path, f"sheet {sheet.name!r}", "sheet is empty")
    header = [_cell(v).strip() for v in sheet.row_values(0)]
    rows = []
    for i in range(1, sheet.nrows):
        cells = [_cell(v) for v in sheet.row_values(i)]
        if any(c.strip() for c in cells):
            rows.append((i + 1, cells))
    return Table(path, header, rows, sheet=sheet.name)


def _xlsx(path: Path) -> Table:
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise LoadError(path, "", f"unreadable XLSX workbook ({exc})") from None
    ws = book.worksheets[0]
    it = ws.iter_rows(values_only=True)
    try:
        header = [_cell(v).strip() for v in next(it)]
    except StopIteration:
        raise LoadError(path, f"sheet {ws.title!r}", "sheet is empty") from None
    rows = []
    for i, values in enumerate(it, start=2):
        cells = [_cell(v) for v in values]
        if any(c.strip() for c in cells):
            rows.append((i, cells))
    book.close()
    return Table(path, header, rows, sheet=ws.title)


def read_table(path: Path) -> Table:
    """Read the first sheet (or the CSV) of `path`; raise `LoadError` for unreadable files."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError(path, "", exc.strerror or str(exc)) from None
    if not raw.strip():
        raise LoadError(path, "", "file is empty")
    if raw.startswith(_OLE_MAGIC):
        return _xls(path)
    if raw.startswith(b"PK") and zipfile.is_zipfile(path):
        return _xlsx(path)
    return _csv(path, raw)


def head_line(path: Path, limit: int = 4096) -> str:
    """The first line of a text file, decoded leniently; for format sniffing only."""
    with open(path, "rb") as fh:
        raw = fh.read(limit)
    first = raw.replace(b"\r", b"\n").split(b"\n", 1)[0]
    return first.decode("utf-8-sig", errors="replace")


def iter_dicts(table: Table, columns: list[str]) -> Iterator[tuple[int, dict[str, str] | None]]:
    """Rows as dicts over `columns` (by position); None where the row has the wrong width."""
    width = len(columns)
    for number, cells in table.rows:
        if len(cells) != width:
            yield number, None
        else:
            yield number, dict(zip(columns, cells, strict=True))
