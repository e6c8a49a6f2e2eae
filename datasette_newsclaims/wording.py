"""The words of a statement, compared across articles: when two claims say the same thing.

A quotation travels: outlets trim it, re-punctuate it, change a word. Two statements are one
quotation (loader/quotations.py groups them) when, after `words` (quotation marks, case, whitespace and
punctuation folded away), one is a contiguous part of the other or nearly the same: the word
three-grams (`shingles`) of the shorter lie in the longer's for at least CONTAINED of them. Reported
speech is paraphrase, so an indirect statement matches only a near-identical one (NEAR_IDENTICAL of the
three-grams of both together shared). Statements of fewer than MIN_WORDS words never match: "We will
not resign" is said by too many people.

Candidates are found through `fingerprints`: the winnowed three-gram hashes (the least of every
WINDOW consecutive ones), which two statements sharing a run of MIN_WORDS words always share
(Schleimer, Wilkerson and Aiken, 2003), kept in an index in SQLite.

`differences` is for the pages: a wording against the canonical one, word by word.
No spaCy, no SQLite, no Datasette here: the loader and the pages both import it.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
import zlib

SHINGLE = 3  # words in a shingle
MIN_WORDS = 8  # shorter statements never match
WINDOW = MIN_WORDS - SHINGLE + 1  # so a shared run of MIN_WORDS words always shares a fingerprint
CONTAINED = 0.7  # of the shorter's shingles in the longer's: a trimmed or lightly edited quotation
NEAR_IDENTICAL = 0.7  # of both statements' shingles together (Jaccard), when either is indirect

# apostrophes and quotation marks folded to one, so "don’t" and "don't" are one word
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def words(text: str) -> list[str]:
    """A statement's words as compared: NFKC, case folded, apostrophes as one, punctuation and quotation
    marks gone ("The plan — she said — 'works'." -> ['the', 'plan', 'she', 'said', 'works'])."""
    folded = unicodedata.normalize("NFKC", text or "").translate(APOSTROPHES).casefold()
    return [w.strip("'") for w in WORD.findall(folded)]


def _hash(text: str) -> int:
    """A signed 64-bit hash (SQLite's integer), the same in every process and on every machine."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def key(statement_words: list[str]) -> int:
    """One statement's words as one number: the same words, the same key."""
    return _hash(" ".join(statement_words))


def shingles(statement_words: list[str]) -> set[tuple[str, ...]]:
    """The statement's word three-grams."""
    return set(zip(*(statement_words[i:] for i in range(SHINGLE))))


def _shingle_hash(shingle: str) -> int:
    """A shingle's fingerprint value: two CRC-32s as one signed 64-bit integer (fast, and the same in every
    process; a collision only adds a candidate that the comparison then turns down)."""
    data = shingle.encode("utf-8")
    return ((zlib.crc32(data) << 32) | zlib.crc32(data, 0x9E3779B9)) - (1 << 63)


def fingerprints(statement_words: list[str]) -> set[int]:
    """Winnowing: the least shingle hash of every WINDOW consecutive ones.
    Statements sharing MIN_WORDS consecutive words share at least one; a part of a statement has its
    fingerprints among the whole's."""
    hashes = [_shingle_hash(" ".join(statement_words[i:i + SHINGLE]))
              for i in range(len(statement_words) - SHINGLE + 1)]
    if len(statement_words) < MIN_WORDS or not hashes:
        return set()
    if len(hashes) <= WINDOW:
        return {min(hashes)}
    chosen = set()
    for i in range(len(hashes) - WINDOW + 1):
        window = hashes[i:i + WINDOW]
        low = min(window)
        chosen.add(low)
    return chosen


def same_quotation(a: list[str], a_direct: bool, b: list[str], b_direct: bool) -> bool:
    """Whether two statements (their `words`) are one quotation: a contiguous part of the other or nearly
    the same when both are quoted, near-identical when either is reported speech; never under MIN_WORDS."""
    if len(a) < MIN_WORDS or len(b) < MIN_WORDS:
        return False
    if a == b:
        return True
    return same_shingles(shingles(a), a_direct, shingles(b), b_direct)


def same_shingles(sa: set, a_direct: bool, sb: set, b_direct: bool) -> bool:
    """`same_quotation` of two statements of MIN_WORDS words or more, by their `shingles`."""
    shared = len(sa & sb)
    if a_direct and b_direct:
        return shared >= CONTAINED * min(len(sa), len(sb))
    return shared >= NEAR_IDENTICAL * len(sa | sb)


# -- a wording against the canonical one, for the pages --------------------------------------------

TOKEN = re.compile(r"\S+")


def differences(canonical: str, wording: str) -> list[tuple[str, str]]:
    """A wording as (part, text) pieces against the canonical text, compared word by word as `words` folds
    them: 'same' words, 'changed' words (in this wording, not the canonical), 'missing' words (the
    canonical's, left out here), and 'trimmed' (the canonical goes on before or after this wording).
    Joined with spaces, the 'same' and 'changed' parts are the wording's own words."""
    ours = TOKEN.findall(wording)
    theirs = TOKEN.findall(canonical)
    fold = [" ".join(words(t)) for t in ours]
    fold_canonical = [" ".join(words(t)) for t in theirs]
    matcher = difflib.SequenceMatcher(None, fold_canonical, fold, autojunk=False)
    pieces: list[tuple[str, str]] = []
    opcodes = matcher.get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        at_end = n == 0 or n == len(opcodes) - 1
        if op == "equal":
            pieces.append(("same", " ".join(ours[j1:j2])))
        elif op == "delete":
            pieces.append(("trimmed" if at_end else "missing", " ".join(theirs[i1:i2])))
        else:  # insert, replace: the words this wording has instead
            if op == "replace" and not at_end:
                pieces.append(("missing", " ".join(theirs[i1:i2])))
            pieces.append(("changed", " ".join(ours[j1:j2])))
    return pieces
