"""One name for the common variants of places and bodies: "U.S.", "US", "America" and "United States"
are one speaker, target and topic; "OPEC" and "Organisation of Petroleum Exporting Countries" one
organisation; "Japanese" is a topic about Japan.

The variants are data (`data/canonical_names.json`). A variant written with lower-case letters
("Britain", "Labour") matches in any case, so that a headline's "BRITAIN" is Britain too; one written
in capitals ("US", "EC", "SEC") matches only in capitals, so that the pronoun "us" and the word "sec"
are never a country or a regulator. No spaCy and no Datasette here: the loader names things with it,
and the pages read `?target=US` with it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from .vocabulary import UNNAMED


class Canonical(NamedTuple):
    name: str
    kind: str  # "place" or "organisation"


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, Canonical], dict[str, Canonical], dict[str, str]]:
    data = json.loads(resources.files("datasette_newsclaims").joinpath("data/canonical_names.json")
                      .read_text("utf-8"))
    exact: dict[str, Canonical] = {}  # variants in capitals: matched as written
    folded: dict[str, Canonical] = {}  # the rest: matched ignoring case
    for section, kind in (("places", "place"), ("organisations", "organisation")):
        for name, variants in data[section].items():
            for variant in (name, *variants):
                canonical = Canonical(name, kind)
                if variant.upper() == variant:
                    exact[variant] = canonical
                else:
                    folded[variant.casefold()] = canonical
    demonyms = {variant.casefold(): name for name, variants in data["demonyms"].items() for variant in variants}
    return exact, folded, demonyms


def canonical(name: str) -> Canonical | None:
    """The canonical name and kind of a place or body the name is a common variant of, else None."""
    name = " ".join(name.split())
    exact, folded, _ = _tables()
    return exact.get(name) or folded.get(name.casefold())


def stored_as(name: str, kind: str | None) -> tuple[str, str | None]:
    """The name and kind a named speaker or target is stored under: its canonical ones when it is a
    common variant ("U.S." -> United States, place); an unnamed one or a common noun as it is."""
    found = canonical(name) if kind not in (None, UNNAMED) else None
    return (found.name, found.kind) if found else (name, kind)


def canonical_name(name: str) -> str:
    found = canonical(name)
    return found.name if found else name


def topic_name(name: str) -> str:
    """A topic's name: the canonical place or body, and the country of a demonym ("Japanese" -> Japan)."""
    found = canonical(name)
    if found:
        return found.name
    return _tables()[2].get(" ".join(name.split()).casefold(), name)
