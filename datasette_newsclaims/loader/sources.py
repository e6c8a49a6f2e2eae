"""Readers: files, folders and standard input -> Article records.

One reader per format. Readers never raise on bad input: they yield a
`ReadError` naming the file (and line) and carry on, so one broken record
never stops a load.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

SEED_PREFIX = re.compile(r"\A\s*date\s+(\S+)[ \t]*\n?[ \t]*")
TEXT_EXTENSIONS = {".txt", ".text"}
JSON_EXTENSIONS = {".jsonl", ".ndjson", ".json"}
CSV_EXTENSIONS = {".csv"}
KNOWN_EXTENSIONS = TEXT_EXTENSIONS | JSON_EXTENSIONS | CSV_EXTENSIONS
TITLE_MAX = 90
HEAD_BYTES = 8192

csv.field_size_limit(64 * 1024 * 1024)


@dataclass
class Article:
    text: str
    id: str = ""
    title: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    url: str | None = None
    source: str | None = None
    origin: str = ""  # "path" or "path:line", for messages

    def __post_init__(self):
        if not self.id:
            self.id = content_id(self.text)
        if not self.title:
            self.title = derive_title(self.text)


@dataclass
class ReadError:
    origin: str
    reason: str
    detail: str | None = None  # a traceback, when the reason is a failure of ours (shown with --verbose)

    def __str__(self):
        return f"{self.origin}: {self.reason}"


@dataclass
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)


def content_id(text: str) -> str:
    """Stable id for an article without one: loading the same text twice is a no-op."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def derive_title(text: str) -> str:
    """The first sentence (or line), shortened at a word boundary."""
    first = text.strip().split("\n", 1)[0].strip()
    match = re.search(r"(?<=[.!?])[\"'”’]?\s+(?=[A-Z\"“‘])", first)
    if match:
        first = first[: match.start()].rstrip()
    if len(first) > TITLE_MAX:
        cut = first[:TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:-–— ")
        first = cut + "…"
    return first


def parse_date(value) -> str:
    """Normalise a date field to YYYY-MM-DD; raise ValueError for impossible dates."""
    value = str(value).strip()
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(value[:10], pattern).date().isoformat()
        except ValueError:
            continue
    try:
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        raise ValueError(f"unparseable date {value!r}") from None


def read_paths(paths: Iterable[str], stdin: TextIO | None = None) -> Iterator[Article | ReadError]:
    """Yield articles (and errors) from every path: files, folders (recursively) and '-'."""
    for raw in paths:
        if raw == "-":
            yield from read_stream((stdin or sys.stdin), "<stdin>")
            continue
        path = Path(raw)
        if path.is_dir():
            # files of other kinds in a folder (images, notes) are passed over; files of our kinds that
            # cannot be read, broken links among them, are errors
            for child in sorted(p for p in path.rglob("*") if p.is_file() or p.is_symlink()):
                if child.suffix.lower() in KNOWN_EXTENSIONS:
                    yield from read_file(child)
        elif path.exists():
            yield from read_file(path)
        else:
            yield ReadError(str(path), "no such file or directory")


def read_file(path: Path) -> Iterator[Article | ReadError]:
    """One file. JSON lines and CSV are streamed record by record, so memory does not grow with the file."""
    suffix = path.suffix.lower()
    if suffix not in KNOWN_EXTENSIONS:
        yield ReadError(str(path), f"unknown extension {suffix or '(none)'!r}: expected .txt, .jsonl, .json or .csv")
        return
    try:
        fh = path.open("rb")
    except OSError as ex:
        yield ReadError(str(path), f"cannot read: {ex.strerror or ex}")
        return
    with fh:
        try:
            yield from read_binary(fh, str(path), suffix)
        except OSError as ex:
            yield ReadError(str(path), f"cannot read: {ex.strerror or ex}")


def read_binary(fh: BinaryIO, origin: str, suffix: str | None) -> Iterator[Article | ReadError]:
    """Records from an open binary stream; suffix None means 'guess from the content' (standard input)."""
    head = fh.read(HEAD_BYTES)
    if b"\x00" in head:
        yield ReadError(origin, "binary file (contains NUL bytes), not text")
        return
    stream = chain_stream(head, fh)
    first = head.lstrip()[:1]
    if suffix is None:
        suffix = ".jsonl" if first in (b"{", b"[") else ".txt"
    if suffix in JSON_EXTENSIONS and first != b"[":
        yield from read_jsonl(stream, origin)
    elif suffix in CSV_EXTENSIONS:
        yield from read_csv(stream, origin)
    else:
        text, problem = decode(head + fh.read())
        if text is None:
            yield ReadError(origin, problem)
        elif suffix in JSON_EXTENSIONS:
            yield from read_json(text, origin)
        else:
            yield from read_text(text, origin)


def chain_stream(head: bytes, fh: BinaryIO) -> BinaryIO:
    """The stream again from its start, although its head was already read (stdin cannot seek)."""
    return io.BufferedReader(_Chained(head, fh))


class _Chained(io.RawIOBase):
    def __init__(self, head: bytes, rest: BinaryIO):
        self.head, self.rest = head, rest

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n], self.head = self.head[:n], self.head[n:]
            return n
        data = self.rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def read_stream(stream, origin: str) -> Iterator[Article | ReadError]:
    """Standard input: JSON lines when it starts like JSON, else one text article."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text stream without bytes underneath (tests, StringIO)
        buffer = io.BytesIO(stream.read().encode("utf-8"))
    yield from read_binary(buffer, origin, None)


def decode(data: bytes) -> tuple[str | None, str]:
    if not data.strip():
        return None, "empty file"
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError as ex:
        return None, f"not valid UTF-8 (byte {ex.start}): re-encode the file as UTF-8"


def read_jsonl(stream: BinaryIO, origin: str) -> Iterator[Article | ReadError]:
    records = 0
    for lineno, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        records += 1
        try:
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as ex:
            yield ReadError(f"{origin}:{lineno}", f"not valid UTF-8 (byte {ex.start} of the line)")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as ex:
            yield ReadError(f"{origin}:{lineno}", f"invalid JSON: {ex.msg}")
            continue
        yield record_to_article(record, f"{origin}:{lineno}")
    if not records:
        yield ReadError(origin, "empty file")


def read_text(text: str, origin: str) -> Iterator[Article | ReadError]:
    published = None
    match = SEED_PREFIX.match(text)
    if match:
        try:
            published = parse_date(match.group(1))
        except ValueError as ex:
            yield ReadError(origin + ":1", str(ex))
            return
        text = text[match.end():]
    if not text.strip():
        yield ReadError(origin, "no article text")
        return
    yield Article(text=text, published=published, origin=origin)


def read_json(text: str, origin: str) -> Iterator[Article | ReadError]:
    """A JSON array of records (read whole), or JSON lines already in memory."""
    if text.lstrip().startswith("["):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as ex:
            yield ReadError(f"{origin}:{ex.lineno}", f"invalid JSON: {ex.msg}")
            return
        if not isinstance(records, list):
            yield ReadError(origin, "expected a JSON array of records")
            return
        for index, record in enumerate(records, 1):
            yield record_to_article(record, f"{origin}[{index}]")
        return
    yield from read_jsonl(io.BytesIO(text.encode("utf-8")), origin)


def read_csv(stream: BinaryIO, origin: str) -> Iterator[Article | ReadError]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    try:
        if not reader.fieldnames or "text" not in reader.fieldnames:
            yield ReadError(origin + ":1", "CSV header has no 'text' column" if reader.fieldnames else "empty file")
            return
        for record in reader:
            yield record_to_article(record, f"{origin}:{reader.line_num}")
    except UnicodeDecodeError as ex:
        yield ReadError(f"{origin}:{reader.line_num + 1}", f"not valid UTF-8 (byte {ex.start}): the rest of the "
                                                           "file is skipped; re-encode it as UTF-8")
    except csv.Error as ex:
        yield ReadError(f"{origin}:{reader.line_num}", f"invalid CSV: {ex}")


def record_to_article(record, origin: str) -> Article | ReadError:
    if not isinstance(record, dict):
        return ReadError(origin, "record is not a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return ReadError(origin, "record has no 'text'")
    published = record.get("date") or record.get("published")
    if published:
        try:
            published = parse_date(published)
        except ValueError as ex:
            return ReadError(origin, str(ex))
    return Article(
        text=text,
        id=str(record.get("id") or "").strip(),
        title=clean_field(record.get("title")),
        published=published or None,
        url=clean_field(record.get("url")),
        source=clean_field(record.get("source")),
        origin=origin,
    )


def clean_field(value) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def count_records(paths: Iterable[str]) -> int | None:
    """How many records the paths hold, cheaply (for a progress bar); None when it cannot be known."""
    total = 0
    for raw in paths:
        if raw == "-":
            return None
        path = Path(raw)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            suffix = file.suffix.lower()
            try:
                if suffix in TEXT_EXTENSIONS:
                    total += 1
                elif suffix in CSV_EXTENSIONS:
                    with file.open(encoding="utf-8", errors="replace", newline="") as fh:
                        total += max(0, sum(1 for _ in csv.reader(fh)) - 1)
                elif suffix in JSON_EXTENSIONS:
                    with file.open("rb") as fh:
                        head = fh.read(64).lstrip()
                        fh.seek(0)
                        total += 1 if head.startswith(b"[") else sum(1 for line in fh if line.strip())
            except OSError:
                continue
    return total
