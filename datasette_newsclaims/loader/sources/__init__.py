"""Readers: files, folders and standard input -> Article records, one reader per format.

- `formats.py`: the formats by name (and content), compression, and a reader for each: text, JSON
  lines, JSON documents, CSV, HTML pages, WARC archives, RSS/Atom feeds, Parquet.
- `fields.py`: records (JSON objects, CSV and Parquet rows) with the field names news tools use.
- `html.py`: pages -> main text, title, date, URL and site name (trafilatura, htmldate).
- `dates.py`: publication dates as they are written.
- `records.py`: Article, ReadError, ReadOptions.

Readers never raise on bad input: they yield a `ReadError` naming the file (and line) and go on.
"""

from .dates import parse_published
from .fields import record_to_article
from .formats import FORMATS, PassedOver, count_records, format_of, read_file, read_paths, read_stream
from .records import FIELD_NAMES, ROLES, Article, ReadError, ReadOptions, content_id, derive_title

__all__ = ["Article", "ReadError", "ReadOptions", "PassedOver", "FIELD_NAMES", "ROLES", "FORMATS", "read_paths",
           "read_file", "read_stream", "count_records", "format_of", "record_to_article", "parse_published",
           "content_id", "derive_title"]
