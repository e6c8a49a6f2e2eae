"""The `newsclaims` spaCy component on the real model: what it sets on a Doc, its config, and that it
is what `newsclaims extract` runs."""

import json
import subprocess
import sys

import pytest
import spacy
from click.testing import CliRunner

from datasette_newsclaims.cli import cli
from datasette_newsclaims.extract import SPANS_KEY, Claim, Extractor, Fact
from datasette_newsclaims.loader import model

from .conftest import SEED


@pytest.fixture(scope="module")
def pipeline():
    """A pipeline of its own (load_model's is shared), with the component added the way users add it."""
    nlp = model.load_stock()
    nlp.add_pipe("newsclaims", config={"occasion_window": 4})
    return nlp


def seed_doc(nlp, seed_text):
    doc = nlp.make_doc(seed_text)
    doc._.published = "2021-11-14"
    return nlp(doc)


def test_add_pipe_sets_claims_facts_and_spans(pipeline, seed_text):
    doc = seed_doc(pipeline, seed_text)
    assert len(doc._.claims) == 9 and all(isinstance(c, Claim) for c in doc._.claims)
    assert doc._.facts and all(isinstance(f, Fact) for f in doc._.facts)
    spans = doc.spans[SPANS_KEY]
    assert len(spans) == 9
    assert {s.label_ for s in spans} == {"direct", "indirect", "mixed"} - {"direct"}
    for span, claim in zip(spans, doc._.claims):
        assert span.label_ == claim.kind
        assert span.start_char <= claim.start and span.end_char >= claim.end
    wang = [c for c in doc._.claims if c.speaker.name == "Wang Yi"]
    assert wang and all(c.said_on and c.said_on.day == "2021-11-13" for c in wang)


def test_without_a_publication_date_no_day_is_resolved(pipeline, seed_text):
    doc = pipeline(seed_text)
    assert len(doc._.claims) == 9
    assert all(c.said_on is None or c.said_on.day is None for c in doc._.claims)


def test_settings_are_the_factory_config(pipeline):
    config = pipeline.config["components"]["newsclaims"]
    assert config["factory"] == "newsclaims"
    assert config["occasion_window"] == 4 and config["min_quote_words"] == 4 and config["rules"] is None
    assert pipeline.get_pipe("newsclaims").settings.occasion_window == 4


def test_config_changes_what_is_found(seed_text):
    nlp = model.load_stock()
    nlp.add_pipe("newsclaims", config={"rules": ["complement", "quoted-complement"]})
    doc = nlp(seed_text)
    patterns = {c.pattern for c in doc._.claims}
    assert patterns == {"cue-clause"}  # the seed's directives (asked, urged, called on) are not found
    assert len(doc._.claims) == 6


def test_a_bad_topic_lexicon_is_named(tmp_path):
    bad = tmp_path / "topics.json"
    bad.write_text("[1, 2]", "utf-8")
    with pytest.raises(ValueError, match="topics.json"):
        Extractor(spacy.blank("en"), {"topics": str(bad)})


def test_extract_command_prints_what_the_component_finds(pipeline, seed_text):
    printed = json.loads(CliRunner().invoke(cli, ["extract", str(SEED)]).output)
    doc = seed_doc(pipeline, seed_text)
    assert printed["claims"] == [c.as_dict() for c in doc._.claims]


def test_the_factory_is_found_by_entry_point_without_importing_the_package():
    code = ("import spacy, sys; nlp = spacy.blank('en'); nlp.add_pipe('newsclaims'); "
            "print(nlp.pipe_names, 'datasette' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['newsclaims'] False"
