"""The seed article's nine claims, pinned: speaker, quote, target, date, kind."""

import pytest

# (speaker, mention, role, cue, target, said_on, kind, quote opening, quote ending)
EXPECTED = [
    ("Beijing", "Beijing", None, "asked", "Washington", "2021-11-13", "indirect",
     "to stop supporting", "Taiwan's independence"),
    ("Beijing", "Beijing", None, "stating", None, "2021-11-13", "indirect",
     "the two countries should meet halfway", "repair the bilateral ties"),
    ("Wang Yi", "Chinese Foreign Minister Wang Yi", "Chinese Foreign Minister", "said", None, "2021-11-13",
     "indirect", "China and the US should meet", "restore bilateral ties"),
    ("Wang Yi", "Wang", None, "said", None, "2021-11-13", "mixed",
     "the history and the reality have proven", "stability of the region"),
    ("Wang Yi", "he", None, "said", None, "2021-11-13", "mixed",
     'Any support to "Taiwan independence"', "cause damage to itself"),
    ("Wang Yi", "Wang", None, "urged", "US", "2021-11-13", "mixed",
     "to state its opposition", "three China-US joint communique"),
    ("Wang Yi", "He", None, "called on", "US", "2021-11-13", "mixed",
     "to stick to its one-China policy", '"Taiwan independence" forces'),
    ("Antony Blinken", "Blinken", None, "stated", None, None, "indirect",
     "both sides are fully prepared", "great attention around the world"),
    ("Jen Psaki", "White House Press Secretary Jen Psaki", "White House Press Secretary", "said", None,
     "2021-11-12", "indirect", "President Biden will discuss", "where our interests align"),
]


@pytest.fixture(scope="module")
def seed_extraction(nlp, extractor, seed_text):
    return extractor(nlp(seed_text), "2021-11-14")


def test_seed_has_exactly_the_nine_gold_claims(seed_extraction):
    assert len(seed_extraction.claims) == 9


@pytest.mark.parametrize("index", range(len(EXPECTED)))
def test_seed_claim(seed_extraction, seed_text, index):
    speaker, mention, role, cue, target, said_on, kind, opening, ending = EXPECTED[index]
    claim = seed_extraction.claims[index].as_dict()
    assert claim["speaker"] == speaker
    assert claim["speaker_mention"] == mention
    assert seed_text[claim["speaker_start"]:claim["speaker_end"]] == mention
    assert claim["speaker_role"] == role
    assert claim["cue"] == cue and seed_text[claim["cue_start"]:claim["cue_end"]] == cue
    assert claim["target"] == target
    assert claim["date"] == said_on
    assert claim["kind"] == kind
    assert claim["quote"].startswith(opening) and claim["quote"].endswith(ending)
    assert seed_text[claim["start"]:claim["end"]] == claim["quote"]


def test_seed_dates_keep_the_phrase_they_came_from(seed_extraction):
    by_source = {(c.speaker.name, c.said_on.source, c.said_on.phrase) for c in seed_extraction.claims
                 if c.said_on and c.said_on.day}
    assert ("Beijing", "cue", "on Saturday") in by_source
    assert ("Wang Yi", "occasion", "on Saturday") in by_source  # "Wang made the remarks ... on Saturday"
    assert ("Jen Psaki", "cue", "On Friday") in by_source


def test_seed_next_week_is_not_taken_as_the_date_of_speech(seed_extraction):
    assert all(c.said_on is None or c.said_on.phrase != "next week" for c in seed_extraction.claims)


def test_seed_facts(seed_extraction):
    facts = {f.text[:40]: f for f in seed_extraction.facts}
    meeting = next(f for f in seed_extraction.facts if f.text.startswith("Xi is set to hold a virtual meeting"))
    assert meeting.date == "2021-11-16"  # "on Tuesday", forward from a Sunday article: the meeting is ahead
    assert "Xi Jinping" in meeting.entities and "Joe Biden" in meeting.entities
    emitters = next(f for f in seed_extraction.facts if "40%" in f.text)
    assert "about 40%" in emitters.value
    assert not any("said" in text for text in facts)  # reported speech is a claim, not a fact


def test_seed_topics(seed_extraction):
    topics = [set(c.as_dict()["topics"]) for c in seed_extraction.claims]
    assert {"Taiwan", "sovereignty"} <= topics[0]
    assert {"Joe Biden", "Xi Jinping"} <= topics[8]
    assert "climate" not in set().union(*topics)
