"""One reader per format, chosen by the file's name (under any compression) or, for standard input and
text that turns out to be a page, by its content.

Readers never raise on bad input: they yield a `ReadError` naming the file (and line, or record) and go
on. JSON lines, CSV, WARC and Parquet are streamed record by record, compressed or not, so memory does
not grow with the file; a text file, a page, a JSON document or a feed is read whole.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
import re
import stat
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from .dates import parse_published
from .fields import record_to_article
from .html import html_article, looks_like_html
from .records import DEFAULT_OPTIONS, Article, ReadError, ReadOptions

URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)  # an fsspec URL: s3://, gs://, file://
SEED_PREFIX = re.compile(r"\A\s*date\s+(\S+)[ \t]*\n?[ \t]*")
HEAD_BYTES = 8192
FORMATS = {  # suffix -> format
    ".txt": "text", ".text": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".csv": "csv",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".warc": "warc", ".arc": "warc",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".parquet": "parquet",
}
COMPRESSION = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open, ".zst": None}
# records in other containers that hold the articles: NewsAPI's "articles", and the usual others
RECORD_LISTS = ("articles", "items", "results", "data", "records", "docs", "documents", "entries")

csv.field_size_limit(64 * 1024 * 1024)


class PassedOver(Counter):
    """What was passed over, counted (reported, never silent): files in folders of no format read here, by
    extension ("3 .png"), and archive records that are not pages ("12 WARC records that are not HTML pages")."""

    WARC_RECORDS = "WARC records that are not HTML pages"

    def file(self, name: str) -> None:
        """Count a file of no format read here (hidden files are not counted)."""
        if not Path(name).name.startswith("."):
            self["".join(Path(name).suffixes[-2:]).lower() or "(no extension)"] += 1

    def describe(self) -> str:
        return ", ".join(f"{n} {what}" for what, n in sorted(self.items(), key=lambda kv: (-kv[1], kv[0])))


def is_url(path: str) -> bool:
    return bool(URL.match(path))


def format_of(name: str) -> tuple[str | None, str | None]:
    """(format, compression suffix) of a file name: 'news.jsonl.gz' -> ('jsonl', '.gz')."""
    suffixes = [s.lower() for s in Path(name).suffixes[-2:]]
    compression = suffixes[-1] if suffixes and suffixes[-1] in COMPRESSION else None
    inner = suffixes[-2] if compression and len(suffixes) == 2 else (None if compression else
                                                                      (suffixes[-1] if suffixes else None))
    return FORMATS.get(inner or ""), compression


def read_paths(paths: Iterable[str], stdin: TextIO | None = None, options: ReadOptions = DEFAULT_OPTIONS,
               passed_over: PassedOver | None = None) -> Iterator[Article | ReadError]:
    """Yield articles (and errors) from every path: files, folders (recursively) and '-'."""
    for raw in paths:
        if raw == "-":
            yield from read_stream((stdin or sys.stdin), "<stdin>", options)
            continue
        if is_url(raw):  # s3://, gs://, https://, file://: through fsspec (pieces.py)
            from .pieces import read_url

            yield from read_url(raw, options, passed_over)
            continue
        path = Path(raw)
        if path.is_dir():
            # files of other kinds in a folder (images, notes) are passed over and counted; files of our
            # kinds that cannot be read, broken links among them, are errors
            for child in sorted(p for p in path.rglob("*") if not p.is_dir()):
                if format_of(child.name)[0] is not None:
                    yield from read_file(child, options, passed_over)
                elif passed_over is not None:
                    passed_over.file(child.name)
        elif path.exists():
            yield from read_file(path, options, passed_over)
        else:
            yield ReadError(str(path), "no such file or directory")


def read_file(path: Path, options: ReadOptions = DEFAULT_OPTIONS,
              passed_over: PassedOver | None = None) -> Iterator[Article | ReadError]:
    fmt, compression = format_of(path.name)
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        yield ReadError(str(path), f"unknown extension {''.join(path.suffixes[-2:]) or '(none)'!r}: "
                                   f"expected one of {known} (or these compressed with .gz, .bz2, .xz)")
        return
    if path.exists() and not is_regular_file(path):  # a FIFO or a device would block the load or never end
        yield ReadError(str(path), "not a regular file (a FIFO, socket or device): refused")
        return
    try:
        fh = open_compressed(path, compression) if compression and fmt != "warc" else path.open("rb")
    except (OSError, ImportError) as ex:
        yield ReadError(str(path), f"cannot read: {getattr(ex, 'strerror', None) or ex}")
        return
    with fh:
        try:
            yield from read_binary(fh, str(path), fmt, options, passed_over)
        except (OSError, EOFError, lzma.LZMAError) as ex:
            yield ReadError(str(path), f"cannot read: {getattr(ex, 'strerror', None) or ex}")


def is_regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def open_compressed(path: Path, compression: str) -> BinaryIO:
    opener = COMPRESSION[compression]
    if opener is None:  # .zst: only when the zstandard package is installed
        try:
            import zstandard
        except ImportError:
            raise ImportError("reading .zst needs the zstandard package (pip install zstandard)") from None
        return zstandard.ZstdDecompressor().stream_reader(path.open("rb"), closefd=True)
    return opener(path, "rb")


def read_binary(fh: BinaryIO, origin: str, fmt: str | None, options: ReadOptions = DEFAULT_OPTIONS,
                passed_over: PassedOver | None = None) -> Iterator[Article | ReadError]:
    """Records from an open binary stream; fmt None means 'tell from the content' (standard input)."""
    if fmt == "warc":
        yield from read_warc(fh, origin, options, passed_over if passed_over is not None else PassedOver())
        return
    if fmt == "parquet":
        yield from read_parquet(fh, origin, options)
        return
    head = fh.read(HEAD_BYTES)
    stream = chain_stream(head, fh)
    first = head.lstrip()[:1]
    if fmt is None and b"\x00" not in head:
        fmt = "json" if first in (b"{", b"[") else "html" if looks_like_html(head) else "text"
    if fmt == "jsonl" or (fmt == "json" and first == b"{" and looks_like_json_lines(head)):
        yield from read_jsonl(stream, origin, options)  # a bad line, whatever it holds, is that line's error
    elif b"\x00" in head:
        yield ReadError(origin, "binary file (contains NUL bytes), not text")
    elif fmt == "csv":
        yield from read_csv(stream, origin, options)
    else:
        data = head + fh.read()
        if fmt in ("html", "feed"):
            if not data.strip():
                yield ReadError(origin, "empty file")
            elif fmt == "html":
                yield html_article(data, origin)  # the page's own declared encoding is honoured
            else:
                yield from read_feed(data, origin)
            return
        text, problem = decode(data)
        if text is None:
            yield ReadError(origin, problem)
        elif fmt in ("json", "jsonl"):
            yield from read_json(text, origin, options)
        else:
            yield from read_text(text, origin)


def looks_like_json_lines(head: bytes) -> bool:
    """JSON lines start with a line that is a whole JSON value, or (when that line is broken) with two
    lines that each look like one object; a pretty-printed document does neither."""
    lines = [line.strip() for line in head.lstrip().split(b"\n") if line.strip()]
    try:
        json.loads(lines[0])
        return True
    except (ValueError, RecursionError, IndexError):
        pass
    whole = [line for line in lines[:-1] if line.startswith(b"{") and line.endswith(b"}")]  # the last may be cut
    return len(whole) >= 2


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


def read_stream(stream, origin: str, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Article | ReadError]:
    """Standard input: JSON when it starts like JSON, a page when it looks like one, else one text article."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text stream without bytes underneath (tests, StringIO)
        buffer = io.BytesIO(stream.read().encode("utf-8"))
    yield from read_binary(buffer, origin, None, options)


def decode(data: bytes) -> tuple[str | None, str]:
    if not data.strip():
        return None, "empty file"
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError as ex:
        return None, f"not valid UTF-8 (byte {ex.start}): re-encode the file as UTF-8"


def read_text(text: str, origin: str) -> Iterator[Article | ReadError]:
    """A text file: the seed format ('date YYYY-MM-DD' then the article), plain text, or a page saved as .txt."""
    published = None
    match = SEED_PREFIX.match(text)
    if match:
        try:
            published, _ = parse_published(match.group(1))
        except ValueError as ex:
            yield ReadError(origin + ":1", str(ex))
            return
        text = text[match.end():]
    if not text.strip():
        yield ReadError(origin, "no article text")
    elif looks_like_html(text):
        yield html_article(text, origin, given={"published": published})
    else:
        yield Article(text=text, published=published, origin=origin)


def read_jsonl(stream: BinaryIO, origin: str, options: ReadOptions = DEFAULT_OPTIONS,
               whole_file: bool = True) -> Iterator[Article | ReadError]:
    """Records of JSON lines; `whole_file` False for a range of a file (pieces.py), which may hold none."""
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
        except RecursionError:
            yield ReadError(f"{origin}:{lineno}", "invalid JSON: nested too deeply")
            continue
        try:
            yield record_to_article(record, f"{origin}:{lineno}", options)
        except RecursionError:
            yield ReadError(f"{origin}:{lineno}", "record nested too deeply")
    if not records and whole_file:
        yield ReadError(origin, "empty file")


def read_json(text: str, origin: str, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Article | ReadError]:
    """A JSON document as people save it: an array of records, one record (pretty-printed or not), or an
    object holding a list of records (NewsAPI's {"articles": [...]})."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as ex:
        if ex.msg == "Extra data":  # several values: JSON lines after all
            yield from read_jsonl(io.BytesIO(text.encode("utf-8")), origin, options)
        else:
            yield ReadError(f"{origin}:{ex.lineno}", f"invalid JSON: {ex.msg}")
        return
    except RecursionError:
        yield ReadError(origin, "invalid JSON: nested too deeply")
        return
    if isinstance(document, dict):
        name = next((k for k in RECORD_LISTS if isinstance(document.get(k), list)), None)
        if name is not None:
            for index, record in enumerate(document[name], 1):
                yield record_to_article(record, f"{origin}:{name}[{index}]", options)
        else:
            yield record_to_article(document, origin, options)
    elif isinstance(document, list):
        for index, record in enumerate(document, 1):
            yield record_to_article(record, f"{origin}[{index}]", options)
    else:
        yield ReadError(origin, "expected a JSON object or an array of objects")


def read_csv(stream: BinaryIO, origin: str, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[Article | ReadError]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    try:
        if not reader.fieldnames:
            yield ReadError(origin + ":1", "empty file")
            return
        if not set(reader.fieldnames) & set(options.names_for("text")):
            names = "', '".join(options.names_for("text"))
            yield ReadError(origin + ":1", f"CSV header has no text column (looked for '{names}'; "
                                           "--field text=NAME names another)")
            return
        for record in reader:
            yield record_to_article(record, f"{origin}:{reader.line_num}", options)
    except UnicodeDecodeError as ex:
        yield ReadError(f"{origin}:{reader.line_num + 1}", f"not valid UTF-8 (byte {ex.start}): the rest of the "
                                                           "file is skipped; re-encode it as UTF-8")
    except csv.Error as ex:
        yield ReadError(f"{origin}:{reader.line_num}", f"invalid CSV: {ex}")


def read_warc(fh: BinaryIO, origin: str, options: ReadOptions,
              passed_over: PassedOver) -> Iterator[Article | ReadError]:
    """Every HTML response of a WARC archive (compressed or not) is an article: its URL from
    WARC-Target-URI, its date from the page, else from the record's WARC-Date. Other records (requests,
    metadata, images, redirects) are passed over; an archive with no page in it is an error."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pages = 0
    try:
        for number, record in enumerate(ArchiveIterator(fh), 1):
            if record.rec_type != "response" or not is_html_response(record):
                if record.rec_type != "warcinfo":
                    passed_over[PassedOver.WARC_RECORDS] += 1
                continue
            pages += 1
            uri = record.rec_headers.get_header("WARC-Target-URI")
            warc_date = record.rec_headers.get_header("WARC-Date") or ""
            try:
                fallback, _ = parse_published(warc_date)
            except ValueError:
                fallback = None
            yield html_article(record.content_stream().read(), f"{origin}#{number} {uri}",
                               given={"url": uri, "fallback_date": fallback, "fallback_from": "warc"})
    except ArchiveLoadFailed as ex:
        yield ReadError(origin, f"not a WARC archive: {ex}")
        return
    if not pages:
        yield ReadError(origin, "no HTML pages in the archive")


def is_html_response(record) -> bool:
    http = record.http_headers
    if http is None:
        return False
    status = http.get_statuscode() or ""
    content_type = (http.get_header("Content-Type") or "").lower()
    return status.startswith("2") and ("html" in content_type or not content_type)


def read_feed(data: bytes, origin: str) -> Iterator[Article | ReadError]:
    """RSS and Atom: items with their full text (content:encoded, Atom content) are articles, with the item's
    link, title and date; an item with only a summary is reported, not loaded as if it were the article."""
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        problem = f": {feed.bozo_exception}" if feed.get("bozo") else ""
        yield ReadError(origin, f"no feed items found{problem}")
        return
    source = (feed.feed.get("title") or "").strip() or None
    for index, entry in enumerate(feed.entries, 1):
        where = f"{origin}:item {index}"
        content = max((c.get("value", "") for c in entry.get("content", [])), key=len, default="")
        if not content.strip():
            yield ReadError(where, "the item has only a summary, too short to be the article "
                                   "(feeds with the full text carry it in content:encoded or Atom content)")
            continue
        published = published_at = None
        raw_date = entry.get("published") or entry.get("updated")
        if raw_date:
            try:
                published, published_at = parse_published(raw_date)
            except ValueError:
                published = None
        given = {"url": entry.get("link"), "title": (entry.get("title") or "").strip() or None,
                 "published": published, "published_at": published_at, "source": source,
                 "id": entry.get("id") or entry.get("link") or ""}
        if "<" in content:  # HTML, as feeds carry it
            yield html_article(f"<html><body><article>{content}</article></body></html>", where, given=given)
        else:
            yield Article(text=content, origin=where, **{k: v for k, v in given.items() if v is not None})


def read_parquet(fh: BinaryIO, origin: str, options: ReadOptions) -> Iterator[Article | ReadError]:
    """Parquet, row group by row group (pip install 'datasette-newsclaims[parquet]')."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield ReadError(origin, "reading Parquet needs pyarrow: pip install 'datasette-newsclaims[parquet]'")
        return
    try:
        parquet = pq.ParquetFile(fh)
        row = 0
        for batch in parquet.iter_batches(batch_size=1000):
            for record in batch.to_pylist():
                row += 1
                yield record_to_article(record, f"{origin}:row {row}", options)
    except Exception as ex:  # pyarrow's errors (ArrowInvalid, OSError) on a broken file
        yield ReadError(origin, f"not a readable Parquet file: {ex}")


def count_records(paths: Iterable[str]) -> int | None:
    """How many records the paths hold, cheaply (for a progress bar); None when it cannot be known
    without reading them (compressed files, archives, feeds, standard input)."""
    total = 0
    for raw in paths:
        if raw == "-" or is_url(raw):
            return None
        path = Path(raw)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            fmt, compression = format_of(file.name)
            if fmt is None or not is_regular_file(file):
                continue
            if compression or fmt in ("warc", "feed", "parquet"):
                return None
            try:
                if fmt in ("text", "html"):
                    total += 1
                elif fmt == "csv":
                    with file.open(encoding="utf-8", errors="replace", newline="") as fh:
                        total += max(0, sum(1 for _ in csv.reader(fh)) - 1)
                else:
                    with file.open("rb") as fh:
                        head = fh.read(HEAD_BYTES)
                        if fmt == "json" and not (head.lstrip()[:1] == b"{" and looks_like_json_lines(head)):
                            return None
                        fh.seek(0)
                        total += sum(1 for line in fh if line.strip())
            except OSError:
                continue
    return total
