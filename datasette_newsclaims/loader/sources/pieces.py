"""Inputs cut into pieces that a Dask worker reads by itself (`load --scheduler`): the loading machine
lists the files and cuts them, the workers open them, so the articles' text does not pass through the
loading machine on its way to be parsed.

- An uncompressed JSON lines file larger than `BLOCK_BYTES` is cut into byte ranges of about that size,
  each ending at a line end (fsspec's `read_block`, the way Dask cuts text files). A worker knows where its
  range starts in bytes, not in lines: it numbers the lines from 1 and the loading machine, which takes the
  pieces in order and hears how many lines each held, renumbers them from the file's start (`renumbered`),
  so a message names the file's line as a local load does.
- Pages, texts and feeds (uncompressed, up to `WHOLE_FILE_BYTES`) are read whole, up to `FILES_PER_PIECE`
  of them to a piece.
- Everything else (compressed files, WARC archives, CSV, Parquet, JSON documents, smaller JSON lines
  files, standard input, and paths the workers cannot see) is read by the loading machine, as without a
  cluster: `plan` yields those as paths.

Paths are local paths or fsspec URLs (`s3://bucket/news/`, `gs://…`, `file:///…`; the filesystem's own
package, such as s3fs, must be installed where they are read). fsspec comes with Dask.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .formats import PassedOver, format_of, is_url, read_binary, read_jsonl
from .records import DEFAULT_OPTIONS, Article, ReadError, ReadOptions

BLOCK_BYTES = 128 * 1024  # a range of JSON lines: some tens to a hundred news articles
WHOLE_FILE_BYTES = 8 * 1024 * 1024
FILES_PER_PIECE = 64
WORKER_FORMATS = {"html", "text", "feed"}  # read whole by a worker; JSON lines are cut into ranges
@dataclass(frozen=True)
class Part:
    """A file, or a byte range of one, as a worker opens it."""

    url: str  # an absolute path or a URL: what the worker opens
    origin: str  # the name messages give it: the path as the user wrote it
    fmt: str
    start: int = 0
    length: int | None = None  # None: the whole file


@dataclass
class Piece:
    """What one task reads: one range of a JSON lines file, or several whole files."""

    parts: list[Part] = field(default_factory=list)

    @property
    def range(self) -> Part | None:
        return self.parts[0] if self.parts and self.parts[0].length is not None else None


@dataclass
class ReadPiece:
    """What a worker read: the items in order, and the lines of its range (0 for whole files)."""

    items: list[Article | ReadError]
    lines: int = 0


def plan(paths: Iterable[str], workers_see: Callable[[str], bool], passed_over: PassedOver | None = None,
         block_bytes: int | None = None) -> Iterator[Piece | str]:
    """The inputs in the order a local load reads them: `Piece`s for the workers to read, and paths (str)
    the loading machine reads itself. `workers_see(path)` says whether the workers see a local path as this
    machine does."""
    block = block_bytes or BLOCK_BYTES
    whole = Piece()  # whole files gathered for one piece

    def flush():
        nonlocal whole
        if whole.parts:
            yield whole
            whole = Piece()

    for raw in paths:
        for item in _files(raw, workers_see, passed_over):
            url, origin, size = item if isinstance(item, tuple) else (None, item, 0)
            fmt, compression = format_of(origin)
            if url and fmt in WORKER_FORMATS and not compression and size <= WHOLE_FILE_BYTES:
                whole.parts.append(Part(url, origin, fmt))
                if len(whole.parts) >= FILES_PER_PIECE:
                    yield from flush()
                continue
            yield from flush()
            if url and fmt == "jsonl" and not compression and size > block:
                for start in range(0, size, block):
                    yield Piece([Part(url, origin, fmt, start, block)])
            else:
                yield origin
    yield from flush()


def _files(raw: str, workers_see: Callable[[str], bool],
           passed_over: PassedOver | None) -> Iterator[tuple[str, str, int] | str]:
    """(what a worker opens, the name in messages, size) for each file of one input, in a local load's
    order; or the input itself (str) when the loading machine must read it."""
    if raw == "-":
        yield raw
        return
    if is_url(raw):
        try:
            files = url_files(raw)
        except (ImportError, OSError, ValueError):
            files = []
        if not files:
            yield raw  # read here, where it gets its error
        for name, size in files:
            if format_of(name)[0] is not None:
                yield name, name, size
            elif passed_over is not None:
                passed_over.file(name)
        return
    path = Path(raw)
    if not path.exists() or not workers_see(str(path.resolve())):
        yield raw
        return
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if not p.is_dir()):
            if format_of(child.name)[0] is None:
                if passed_over is not None:
                    passed_over.file(child.name)
            elif child.is_file():
                yield str(child.resolve()), str(child), child.stat().st_size
            else:
                yield str(child)  # a broken link, a FIFO: read here, where it gets its error
    elif path.is_file():
        yield str(path.resolve()), raw, path.stat().st_size
    else:
        yield raw


def url_filesystem(url: str):
    """fsspec's filesystem for a URL, and the path in it; a clear error when its package is missing."""
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise ImportError("reading URLs needs fsspec: pip install 'datasette-newsclaims[dask]'") from None
    return url_to_fs(url)


def url_files(url: str) -> list[tuple[str, int]]:
    """The files of a URL with their sizes, from one listing: itself, or a folder's files sorted; [] when
    there is nothing there."""
    fs, root = url_filesystem(url)
    if fs.isdir(root):
        return [(fs.unstrip_protocol(path), info.get("size") or 0)
                for path, info in sorted(fs.find(root, detail=True).items())]
    return [(url, fs.size(root))] if fs.exists(root) else []


def read_piece(piece: Piece, options: ReadOptions = DEFAULT_OPTIONS) -> ReadPiece:
    """What a worker runs: the piece's articles (and errors), in order."""
    import fsspec
    from fsspec.utils import read_block

    items: list[Article | ReadError] = []
    lines = 0
    for part in piece.parts:
        try:
            with fsspec.open(part.url, "rb") as fh:
                if part.length is None:
                    items += read_binary(fh, part.origin, part.fmt, options)
                    continue
                data = read_block(fh, part.start, part.length, delimiter=b"\n")
        except OSError as ex:
            items.append(ReadError(part.origin, f"cannot read: {getattr(ex, 'strerror', None) or ex}"))
            continue
        lines += data.count(b"\n")
        items += read_jsonl(io.BytesIO(data), part.origin, options, whole_file=False)
    return ReadPiece(items, lines)


def renumbered(origin: str, name: str, offset: int) -> str:
    """'name:12' -> 'name:(12 + offset)': a line of a range numbered from the file's start."""
    if offset and origin.startswith(name + ":") and origin[len(name) + 1:].isdigit():
        return f"{name}:{int(origin[len(name) + 1:]) + offset}"
    return origin


def read_url(url: str, options: ReadOptions = DEFAULT_OPTIONS,
             passed_over: PassedOver | None = None) -> Iterator[Article | ReadError]:
    """Every article of a URL (a file or a folder of files), read on this machine, compressed or not."""
    try:
        import fsspec

        names = [name for name, _ in url_files(url)]
    except (ImportError, OSError, ValueError) as ex:
        yield ReadError(url, f"cannot read: {ex}")
        return
    if not names:
        yield ReadError(url, "no such file or directory")
    for name in names:
        fmt, compression = format_of(name)
        if fmt is None:
            if passed_over is not None:
                passed_over.file(name)
            continue
        try:  # a WARC archive is gzipped record by record: warcio reads it as it is
            with fsspec.open(name, "rb", compression="infer" if compression and fmt != "warc" else None) as fh:
                yield from read_binary(fh, name, fmt, options, passed_over)
        except (OSError, EOFError, ValueError) as ex:
            yield ReadError(name, f"cannot read: {getattr(ex, 'strerror', None) or ex}")
