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
    them (punctuation and case are no difference): 'same' words, 'changed' words (in this wording, not
    the canonical), 'missing' words (the canonical's, left out here), and 'trimmed' (the canonical goes on
    before or after this wording). Joined with spaces, the 'same' and 'changed' parts are the wording."""
    ours, theirs = TOKEN.findall(wording), TOKEN.findall(canonical)
    # the tokens that hold a word, by position; punctuation alone ("--", "—") is compared with nothing
    our_words = [(i, " ".join(words(t))) for i, t in enumerate(ours) if words(t)]
    their_words = [(i, " ".join(words(t))) for i, t in enumerate(theirs) if words(t)]
    matcher = difflib.SequenceMatcher(None, [w for _, w in their_words], [w for _, w in our_words], autojunk=False)
    labels = ["same"] * len(ours)  # each of our tokens
    before: dict[int, list[tuple[str, str]]] = {}  # markers to put before our token i (len(ours): at the end)
    opcodes = matcher.get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        at = our_words[j1][0] if j1 < len(our_words) else len(ours)
        if op in ("delete", "replace"):
            left_out = " ".join(theirs[their_words[i1][0]:their_words[i2 - 1][0] + 1])
            trimmed = op == "delete" and n in (0, len(opcodes) - 1)
            before.setdefault(at, []).append(("trimmed" if trimmed else "missing", left_out))
        if op in ("insert", "replace"):
            for k in range(j1, j2):
                labels[our_words[k][0]] = "changed"
    pieces: list[tuple[str, str]] = []
    for i in range(len(ours) + 1):
        pieces.extend(before.get(i, []))
        if i < len(ours):
            if pieces and pieces[-1][0] == labels[i]:
                pieces[-1] = (labels[i], pieces[-1][1] + " " + ours[i])
            else:
                pieces.append((labels[i], ours[i]))
    return pieces
