"""Read a CRM export, CSV or XLSX, as a header and a stream of (line number, cells).

CSV files come in whatever the exporting tool and the user's spreadsheet made of them: UTF-8 with or
without a BOM (Salesforce reports carry one), UTF-16 (Excel's "Unicode text"), Windows-1252 or
Latin-1 (older Excel), and `,` `;` (European Excel), tab or `|` as the delimiter. The encoding is
detected by `charset-normalizer` on the first bytes (a BOM decides on its own), the delimiter by
`csv.Sniffer` on the header line. Rows are read lazily, one at a time, so a 250,000-row file never
sits in memory. Line numbers are those a person sees in an editor: the header is line 1 and a
quoted cell spanning lines makes its row start where it starts.

XLSX is read with `openpyxl` in read-only mode (streamed too); the first sheet is the table and a
line number is the spreadsheet's row number.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

SAMPLE_BYTES = 256 * 1024  # what the charset detector looks at: enough for any header and many rows
DELIMITERS = ",;\t|"
XLSX_MAGIC = b"PK\x03\x04"  # an XLSX file is a zip archive
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# csv refuses fields above 128 KiB by default; CRM descriptions and notes can be longer.
csv.field_size_limit(16 * 1024 * 1024)


class UnreadableFile(Exception):
    """The file cannot be read as a table at all (not CSV/XLSX, undecodable, no header)."""


@dataclass
class Table:
    """A file's header and its rows, read lazily by `rows()` (once)."""

    name: str
    header: list[str]
    format: str  # "csv" or "xlsx"
    encoding: str | None = None
    delimiter: str | None = None
    _rows: Iterator[tuple[int, list[str]]] = field(default=iter(()), repr=False)
    _close: Callable[[], None] = field(default=lambda: None, repr=False)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, cells) per data row; cells are text ("" for an empty cell), as many as the
        row has (a ragged row has fewer or more than the header)."""
        return self._rows

    def close(self) -> None:
        """Release the file when its rows are not read (reading them to the end releases it too)."""
        self._close()


def open_table(path: Path, name: str | None = None) -> Table:
    """Open `path` as a table (CSV or XLSX by content, not by suffix)."""
    with open(path, "rb") as f:
        head = f.read(SAMPLE_BYTES)
    if head.startswith(XLSX_MAGIC):
        return _xlsx(path, name or path.name)
    return _csv(path, head, name or path.name)


def detect_encoding(sample: bytes) -> str:
    """The encoding of a CSV file from its first bytes: a BOM decides; else charset-normalizer."""
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    try:
        sample.decode("utf-8")
        return "utf-8"  # the common case, and charset-normalizer may call plain ASCII something else
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:  # the sample cut a multi-byte character in two
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise UnreadableFile("not a text file in any common encoding (is it a CSV or XLSX export?)")
    return best.encoding


def detect_delimiter(header_line: str) -> str:
    """The delimiter of a CSV file from its header line (csv.Sniffer, restricted to the usual ones;
    when it cannot tell, the candidate that splits the header into the most cells)."""
    try:
        return csv.Sniffer().sniff(header_line, delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {d: header_line.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _csv(path: Path, head: bytes, name: str) -> Table:
    encoding = detect_encoding(head)
    stream = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed by _csv_rows when read
    try:
        first = stream.readline()
        while first and not first.strip():
            first = stream.readline()
        if not first.strip():
            raise UnreadableFile("the file is empty: no header line")
        delimiter = detect_delimiter(first.rstrip("\r\n"))
        header = next(csv.reader([first], delimiter=delimiter))
    except UnicodeDecodeError as exc:
        stream.close()
        raise UnreadableFile(f"cannot be decoded as {encoding}: {exc.reason} at byte {exc.start}") from None
    except BaseException:
        stream.close()
        raise
    return Table(name=name, header=[h.strip() for h in header], format="csv", encoding=encoding,
                 delimiter=delimiter, _rows=_csv_rows(stream, delimiter, name, encoding), _close=stream.close)


def _csv_rows(stream: IO[str], delimiter: str, name: str, encoding: str) -> Iterator[tuple[int, list[str]]]:
    with stream:
        reader = csv.reader(stream, delimiter=delimiter)
        last = 1  # the header's line
        try:
            for cells in reader:
                start, last = last + 1, reader.line_num + 1
                if not any(c.strip() for c in cells):
                    continue  # blank lines (and all-empty rows, e.g. Excel's trailing ;;;;) say nothing
                yield start, cells
        except UnicodeDecodeError as exc:
            # Text is decoded a block ahead of the rows: the bad byte is at or after this line.
            raise UnreadableFile(f"{name}: cannot be decoded as {encoding} ({exc.reason}) at or after line {last + 1} "
                                 "(the encoding was detected on the file's start); save the file as UTF-8") from None
        except csv.Error as exc:
            raise UnreadableFile(f"{name}: line {last + 1}: {exc}") from None


def _xlsx(path: Path, name: str) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken archive
        raise UnreadableFile(f"not a readable XLSX workbook ({type(exc).__name__}: {exc})") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    number = 0
    for number, values in enumerate(rows, start=1):  # noqa: B007 - the header's row number is kept
        if any(v is not None and str(v).strip() for v in values):
            header = [cell_text(v).strip() for v in values]
            break
    else:
        book.close()
        raise UnreadableFile("the first sheet is empty: no header row")
    while header and not header[-1]:
        header.pop()
    return Table(name=name, header=header, format="xlsx", _rows=_xlsx_rows(book, rows, number), _close=book.close)


def _xlsx_rows(book: Any, rows: Iterator[tuple[Any, ...]], header_row: int) -> Iterator[tuple[int, list[str]]]:
    try:
        for number, values in enumerate(rows, start=header_row + 1):
            cells = [cell_text(v) for v in values]
            if any(c.strip() for c in cells):
                yield number, cells
    finally:
        book.close()


def cell_text(value: Any) -> str:
    """A spreadsheet value as the text a CSV export of it would hold: whole numbers without ".0",
    dates and times in ISO-8601 (without a zone: Excel has none, so --tz applies to them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep="T")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)

