"""Names shared by the loader and the plugin: table names and row ids. No spaCy, no sqlite-utils here."""

from __future__ import annotations

import hashlib
import re
import unicodedata

META_TABLE = "newsclaims_meta"


def is_newsclaims_db(table_names) -> bool:
    return {"claims", "articles", "speakers", META_TABLE} <= set(table_names)


def slug(name: str) -> str:
    """URL-safe id for a canonical name: 'Wang Yi' -> 'wang-yi'. The same name is always the same row."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if not text:
        text = "x-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]
    return text[:80]
