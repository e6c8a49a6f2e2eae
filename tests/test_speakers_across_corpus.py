"""Speakers and targets that hold across a corpus (issue 13): one speaker per real person, organisation
and place; kinds; no headline debris; venues apart from targets. Articles written for the tests."""

import json

import pytest
import sqlite_utils
from datasette.app import Datasette

from datasette_newsclaims.canonical import canonical_name, topic_name
from datasette_newsclaims.loader.identity import surname

from .conftest import load
from .test_load import kept_counts_match


def only(claims):
    assert len(claims) == 1, claims
    return claims[0]


def write(path, *articles):
    path.write_text("".join(json.dumps({"id": i, "title": t, "text": x, "date": "1987-04-0" + str(n % 9 + 1),
                                        "source": ("wire", "paper")[n % 2]}) + "\n"
                            for n, (i, t, x) in enumerate(articles)), "utf-8")
    return path


# the articles share a named thing (Moscow): the context a merge across articles needs
RONALD = ("ronald", "Summit", "Ronald Reagan said the summit in Moscow would go ahead as planned next month.")
PRESIDENT = ("president", "Budget", "President Reagan said the talks in Moscow would cut the deficit by next year.")
SURNAME = ("surname", "Trade", "Reagan told Congress that the trade bill would hurt exports to Moscow.")
NANCY = ("nancy", "Schools", "Nancy Reagan said the drug education programme would reach every school.")


def speakers_of(path):
    db = sqlite_utils.Database(path)
    return {r["article_id"]: (r["speaker_id"], r["article_speaker_id"])
            for r in db.query("select article_id, speaker_id, article_speaker_id from claims")}


# -- 1. identity across articles ------------------------------------------------------------------

def test_a_surname_joins_the_one_full_name_the_corpus_has(tmp_path):
    path = tmp_path / "news.db"
    assert load(path, write(tmp_path / "a.jsonl", RONALD, PRESIDENT, SURNAME)).exit_code == 0
    assert speakers_of(path) == {"ronald": ("ronald-reagan", "ronald-reagan"),
                                 "president": ("ronald-reagan", "reagan"), "surname": ("ronald-reagan", "reagan")}
    db = sqlite_utils.Database(path)
    assert db["speakers"].get("reagan")["merged_into"] == "ronald-reagan"
    claim = db.execute("select speaker_role from claims where article_id = 'president'").fetchone()
    assert claim[0] == "President"  # the title is the role, never part of the name
    assert kept_counts_match(db)
    counts = dict(db.execute("select value, count from kept_counts where scope = '' and facet = 'speaker'").fetchall())
    assert counts == {"ronald-reagan": 3}


def test_merges_follow_the_corpus_as_it_grows_whatever_the_order(tmp_path):
    """The surname first, its full name later, then a second full name: the same rows as one load."""
    grown = tmp_path / "grown.db"
    for n, article in enumerate((PRESIDENT, SURNAME, RONALD)):
        assert load(grown, write(tmp_path / f"{n}.jsonl", article)).exit_code == 0
        assert kept_counts_match(sqlite_utils.Database(grown))
    assert speakers_of(grown)["president"] == ("ronald-reagan", "reagan")
    assert load(grown, write(tmp_path / "nancy.jsonl", NANCY)).exit_code == 0
    # two Reagans now: "President Reagan" is not for us to guess, and goes back to "Reagan"
    assert speakers_of(grown) == {
        "ronald": ("ronald-reagan", "ronald-reagan"), "president": ("reagan", "reagan"),
        "surname": ("reagan", "reagan"), "nancy": ("nancy-reagan", "nancy-reagan")}
    db = sqlite_utils.Database(grown)
    assert db["speakers"].get("reagan")["merged_into"] is None
    assert kept_counts_match(db)
    once = tmp_path / "once.db"
    assert load(once, write(tmp_path / "all.jsonl", NANCY, SURNAME, RONALD, PRESIDENT)).exit_code == 0
    assert speakers_of(once) == speakers_of(grown)


def test_a_target_by_surname_follows_its_speaker(tmp_path):
    path = tmp_path / "news.db"
    urged = ("urged", "Plea", "The senator urged Reagan to veto the trade bill before the Moscow summit.")
    assert load(path, write(tmp_path / "a.jsonl", RONALD, urged)).exit_code == 0
    db = sqlite_utils.Database(path)
    row = db.execute("select target, target_speaker_id from claims where article_id = 'urged'").fetchone()
    assert row == ("Reagan", "ronald-reagan")
    assert kept_counts_match(db)


def test_one_full_name_with_nothing_in_common_is_no_evidence(tmp_path):
    """A common surname: the Nelson of a Toronto video firm is not Glen Nelson of Medtronic."""
    path = tmp_path / "news.db"
    videos = ("videos", "Vending", "Nelson said the company would open video machines in Toronto next year.")
    medtronic = ("medtronic", "Growth", "Glen Nelson said Medtronic would grow earnings by 15 pct a year.")
    assert load(path, write(tmp_path / "a.jsonl", videos, medtronic)).exit_code == 0
    assert speakers_of(path) == {"videos": ("nelson", "nelson"), "medtronic": ("glen-nelson", "glen-nelson")}
    assert sqlite_utils.Database(path)["speakers"].get("nelson")["merged_into"] is None


def test_surnames_ignore_suffixes():
    assert surname("Sammy Davis Jr") == "davis" and surname("Reagan") == "reagan"
    assert surname("Pope") is None and surname("John Labatt Ltd") is None  # a title, a legal form


# -- places and bodies: one name for their common variants -------------------------------------------

def test_country_variants_are_one_place_but_a_capital_keeps_its_own():
    for variant in ("U.S.", "US", "United States", "America", "the United States", "USA"):
        assert canonical_name(variant) == "United States", variant
    assert canonical_name("us") == "us"  # the pronoun is no country
    assert canonical_name("Washington") == "Washington"
    assert canonical_name("Britain") == canonical_name("UK") == canonical_name("BRITAIN") == "United Kingdom"
    assert topic_name("Japanese") == "Japan" and topic_name("OPEC") == topic_name(
        "Organisation of Petroleum Exporting Countries") == "OPEC"


def test_place_speakers_and_targets_are_stored_canonical(extract, tmp_path):
    claim = only(extract("The U.S. said it would impose tariffs on Japanese electronics next month."))
    assert (claim["speaker"], claim["speaker_kind"]) == ("U.S.", "place")  # extract: as the article names it
    path = tmp_path / "news.db"
    articles = [("a", "Tariffs", "The U.S. said it would impose tariffs on Japanese electronics next month."),
                ("b", "Reply", "Japan urged the United States to drop the tariffs on its electronics."),
                ("c", "Talks", "America said the talks with Japan would resume in May, after the elections."),
                ("d", "Capital", "Washington said the tariffs were a warning to Tokyo and Seoul.")]
    assert load(path, write(tmp_path / "a.jsonl", *articles)).exit_code == 0
    db = sqlite_utils.Database(path)
    rows = {r[0]: r[1:] for r in db.execute("select article_id, speaker_id, target, target_speaker_id from claims")}
    assert rows["a"][0] == rows["c"][0] == "united-states"
    assert rows["b"] == ("japan", "United States", "united-states")
    assert rows["d"][0] == "washington"  # the capital keeps its own page
    aliases = {r[0] for r in db.execute("select alias from speaker_aliases where speaker_id = 'united-states'")}
    assert {"U.S.", "United States", "America"} <= aliases
    assert kept_counts_match(db)


# -- 2. kinds ---------------------------------------------------------------------------------------

def test_a_firm_is_an_organisation_whatever_the_tagger_said(extract):
    claims = extract("Allegheny International Inc said it sold three units. The company said the sale "
                     "would raise 40 mln dlrs.")
    assert [(c["speaker"], c["speaker_kind"]) for c in claims] == [
        ("Allegheny International", "organisation"), ("Allegheny International", "organisation")]


def test_described_sources_are_unnamed(extract):
    for text in ("U.S. officials said the talks would resume on Monday.",
                 "A senior Japanese trade official said the talks would resume on Monday.",
                 "A team of California researchers said the test was faster than existing ones.",
                 "Western business sources in Shanghai said the talks would resume on Monday.",
                 "The ABN economist said interest rates would fall before the summer."):
        claim = only(extract(text))
        assert claim["speaker_kind"] == "unnamed", (text, claim["speaker"])
    claim = only(extract("The Japanese trade ministry said the talks would resume on Monday."))
    assert claim["speaker_kind"] == "organisation"
    claim = only(extract("A spokesman for Mobil Corp said the refinery would reopen on Monday."))
    assert (claim["speaker"], claim["speaker_kind"]) == ("Mobil", "organisation")


def test_unnamed_sources_are_never_one_speaker_across_articles(tmp_path):
    path = tmp_path / "news.db"
    a = ("a", "Oil", "Analysts said oil prices would rise further in the coming weeks.")
    b = ("b", "Gold", "Analysts said gold prices would fall further in the coming weeks.")
    assert load(path, write(tmp_path / "a.jsonl", a, b)).exit_code == 0
    db = sqlite_utils.Database(path)
    rows = db.execute("select speaker_id, speaker_kind from claims order by article_id").fetchall()
    assert len({r[0] for r in rows}) == 2 and {r[1] for r in rows} == {"unnamed"}


# -- 3. headline debris ---------------------------------------------------------------------------

HEADLINE = ("LAWSON SAYS HE WILL NOT CUT INTEREST RATES\n\nChancellor of the Exchequer Nigel Lawson said he "
            "would not cut interest rates this year.")


def test_a_name_in_a_capitals_headline_is_taken_as_the_article_writes_it(extract):
    claims = extract(HEADLINE)
    assert [c["speaker"] for c in claims] == ["Nigel Lawson", "Nigel Lawson"]
    assert claims[1]["speaker_mention"] == "Chancellor of the Exchequer Nigel Lawson"


def test_headline_words_are_never_a_speaker(extract):
    claims = extract("TEHRAN WITHDRAWS MORE DIPLOMATS FROM BRITAIN\n\nTehran Radio said all but one Iranian "
                     "diplomat in London would return home within two weeks.")
    assert [c["speaker"] for c in claims] == ["Tehran Radio"]  # the headline is no subject of "said"
    claims = extract("FASTER TEST FOR SICKLE CELL ANEMIA DEVELOPED\n\nThe test will be sold next year, "
                     "the report said.")
    assert all(c["speaker"] not in ("DEVELOPED", "FASTER TEST") for c in claims)


def test_a_capitals_name_found_nowhere_else_is_no_speaker(extract):
    claims = extract("GENERAL SAYS PROFITS WILL RISE SHARPLY\n\nShares of the carmaker rose on Tuesday.")
    assert claims == []
    claims = extract("GENERAL SAYS PROFITS WILL RISE SHARPLY\n\nGeneral Corp said profits would rise sharply.")
    assert {(c["speaker"], c["speaker_kind"]) for c in claims} == {("General", "organisation")}


def test_no_capitals_alias_and_no_empty_name_is_stored(tmp_path):
    path = tmp_path / "news.db"
    assert load(path, write(tmp_path / "a.jsonl", ("lawson", "Sterling", HEADLINE))).exit_code == 0
    db = sqlite_utils.Database(path)
    aliases = [r[0] for r in db.execute("select alias from speaker_aliases")]
    assert aliases and not [a for a in aliases if a.isupper() and len(a) > 3]
    assert not db.execute("select 1 from speakers where length(name) < 2").fetchall()


# -- 4. venue apart from target -------------------------------------------------------------------

def test_the_medium_or_occasion_is_the_venue_not_the_target(extract):
    for text, venue in (("The minister told Reuters the plan would be dropped.", "Reuters"),
                        ("The minister told reporters the plan would be dropped.", "reporters"),
                        ("The minister told a news conference the plan would be dropped.", "news conference"),
                        ("The minister said at a news conference that the plan would be dropped.", "news conference"),
                        ("The minister told the BBC that the plan would be dropped.", "BBC")):
        claim = only(extract(text))
        assert (claim["venue"], claim["target"]) == (venue, None), text
    claim = only(extract("The minister told the unions that the plan would be dropped."))
    assert (claim["target"], claim["venue"]) == ("unions", None)
    claim = only(extract("The minister urged Germany to cut interest rates."))
    assert (claim["target"], claim["venue"]) == ("Germany", None)


def test_an_outlet_told_is_a_venue_whatever_its_name(extract):
    """Sports desks, programmes, papers and agencies by their names: where it was said, never whom to (the
    network of who addresses whom was full of "BBC Sport" and "Daily Mail")."""
    for text, venue in (
            ("Gerrard told BBC Sport that the club would fight on.", "BBC Sport"),
            ("The coach told BBC Radio Five Live that the team was tired.", "BBC Radio Five Live"),
            ("The singer told the Sunday Mirror that she would tour again.", "Sunday Mirror"),
            ("The minister told the Czech newspaper Daily Sport that he would resign.", "Czech newspaper"),
            ("Baka told the official news agency PAP that prices would rise.", "official news agency PAP"),
            ("The manager told the Evening Standard that the deal was off.", "Evening Standard"),
            ("The chairman told the Financial Times that profits would fall.", "Financial Times"),
            ("The producer told the BBC's Today programme that the film was finished.", "BBC's Today programme"),
            ("Mr Byers told BBC Radio 4 that the plan would fail.", "BBC Radio 4")):
        claim = only(extract(text))
        assert (claim["venue"], claim["target"]) == (venue, None), text
    # bodies and people are still whom it was said to
    for text, target in (("The minister told the International Energy Agency that output would rise.",
                          "International Energy Agency"),
                         ("The minister told Congress that the plan would work.", "Congress"),
                         ("The chancellor told the Standards Board that the rules were clear.", "Standards Board")):
        claim = only(extract(text))
        assert (claim["target"], claim["venue"]) == (target, None), text


def test_the_that_clause_after_an_addressee_is_what_was_said(extract):
    """The parser reads "warned the board that costs would rise" as a relative clause of "board"; with
    "tell", "warn" and the like it is what was said. A real relative clause ("that approved it", no
    subject of its own) is not."""
    claim = only(extract("Jane Fox warned the board that costs would rise."))
    assert (claim["speaker"], claim["target"], claim["quote"]) == ("Jane Fox", "board", "costs would rise")
    assert extract("Jane Fox met the board that approved the plan.") == []


def test_a_speaker_is_never_their_own_target(extract):
    claims = extract("Cate Blanchett won the award. Blanchett also paid tribute to the film's director Martin "
                     "Scorsese, telling him: \"I hope my son will marry your daughter.\"")
    assert [(c["speaker"], c["target"]) for c in claims] == [("Cate Blanchett", None)]  # "him" is not herself
    from datasette_newsclaims.extract.claims import is_same_name

    assert is_same_name("Kilroy-Silk", "Robert Kilroy-Silk") and is_same_name("China", "china")
    assert not is_same_name("Gordon Brown", "Tony Blair") and not is_same_name("Brown", "Brownlow")


def test_a_venue_inside_a_quote_is_cut_from_the_shown_quote(extract):
    from datasette_newsclaims.web.render import shown_quote

    claim = only(extract('"We will not give in," he told reporters. "The strike goes on."'))
    assert claim["venue"] == "reporters" and shown_quote(claim) == "We will not give in … The strike goes on"


# -- 6. topics and statements ---------------------------------------------------------------------

def test_topics_are_canonical_and_lower_case_debris_is_none(extract):
    claim = only(extract("The minister said U.S. and Japanese exporters would gain from the new OPEC accord."))
    assert "United States" in claim["topics"] and "US" not in claim["topics"] and "U.S." not in claim["topics"]
    assert "Japan" in claim["topics"] and "Japanese" not in claim["topics"]
    assert all(any(ch.isupper() for ch in t) for t in claim["topics"] if t not in ("economy", "energy", "trade"))
    from datasette_newsclaims.extract.topics import is_topic_name

    assert is_topic_name("EU") and is_topic_name("OPEC")
    assert not is_topic_name("cts") and not is_topic_name("Co") and not is_topic_name("X")


def test_one_or_two_word_statements_are_not_claims(extract):
    assert extract("Asked about the report, the minister said no.") == []
    assert extract('"Not yet," the minister said.') == []
    assert len(extract('"Not before the election in May," the minister said.')) == 1


# -- the pages: filters by speaker kind and venue, a target by any of its names, a merged surname's page --

@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    directory = tmp_path_factory.mktemp("corpus")
    path = directory / "news.db"
    articles = [RONALD, PRESIDENT,
                ("tariffs", "Tariffs", "The U.S. said it would impose tariffs on Japanese electronics next month."),
                ("reply", "Reply", "Japan urged the United States to drop the tariffs on its electronics."),
                ("analysts", "Oil", "Analysts said oil prices would rise further in the coming weeks."),
                ("reuters", "Strike", "The union leader told Reuters the strike would go on until Christmas."),
                ("reporters", "Strike", "The union leader told reporters the strike would go on until Christmas.")]
    assert load(path, write(directory / "a.jsonl", *articles)).exit_code == 0
    return path


async def listed(datasette, path) -> tuple[int, list[dict]]:
    data = (await datasette.client.get(path)).json()
    return data["count"], data["claims"]


@pytest.mark.asyncio
async def test_speaker_kind_and_venue_filter_facet_and_count(corpus_db):
    datasette = Datasette([str(corpus_db)])
    db = corpus_db.stem
    data = (await datasette.client.get(f"/{db}/-/claims.json")).json()
    kinds = {r["value"]: r["count"] for r in data["facets"]["speaker_kind"]["results"]}
    assert kinds == {"person": 2, "place": 2, "unnamed": 3}
    venues = {r["value"]: r["count"] for r in data["facets"]["venue"]["results"]}
    assert venues == {"Reuters": 1, "reporters": 1}
    sources = {r["value"]: r["count"] for r in data["facets"]["source"]["results"]}
    assert sources == {"wire": 4, "paper": 3}
    for query, expected in (("speaker_kind=person", {"ronald", "president"}),
                            ("source=paper", {"president", "reply", "reuters"}),
                            ("speaker_kind=unnamed", {"analysts", "reuters", "reporters"}),
                            ("speaker_kind=named", {"ronald", "president", "tariffs", "reply"}),
                            ("venue=Reuters", {"reuters"}), ("target=US", {"reply"}),
                            ("target=America", {"reply"}), ("target=united-states", {"reply"})):
        count, claims = await listed(datasette, f"/{db}/-/claims.json?{query}")
        assert {c["article_id"] for c in claims} == expected, query
        assert count == len(claims), query  # the count is the list's
    response = await datasette.client.get(f"/{db}/-/claims.json?speaker_kind=robot")
    assert response.status_code == 400 and "speaker_kind must be one of" in response.text
    html = (await datasette.client.get(f"/{db}/-/claims")).text
    assert 'name="speaker_kind" value="named"' in html  # "named speakers only": one click


@pytest.mark.asyncio
async def test_a_merged_surname_leads_to_its_full_name(corpus_db):
    datasette = Datasette([str(corpus_db)])
    db = corpus_db.stem
    response = await datasette.client.get(f"/{db}/-/speakers/reagan")
    assert response.status_code == 302 and response.headers["location"].endswith("/-/speakers/ronald-reagan")
    data = (await datasette.client.get(f"/{db}/-/speakers/ronald-reagan.json")).json()
    assert {"Ronald Reagan", "President Reagan"} <= set(data["speaker"]["aliases"])
    assert data["speaker"]["claim_count"] == 2
    merged = (await datasette.client.get(f"/{db}/-/claims.json?speaker=reagan")).json()
    assert merged["count"] == 2 and merged["filters"]["speaker"] == "ronald-reagan"  # an old link still lists them
    network = (await datasette.client.get(f"/{db}/-/network.json")).json()
    assert all("reporters" not in json.dumps(e) and "Reuters" not in json.dumps(e) for e in network["edges"])


def test_a_speakers_kind_is_what_most_articles_say(tmp_path):
    """The tagger calls a footballer a firm in one article; the two that call him a person win, and a
    tie keeps the kind first stored. Written through the loader's writer with records made by hand."""
    from datasette_newsclaims.extract.records import Claim, Cue, Extraction, Speaker
    from datasette_newsclaims.loader.sources import Article
    from datasette_newsclaims.loader.store import Writer, open_db

    def article(n, kind):
        text = f"Safin said the final was the hardest match of his life, number {n}."
        claim = Claim(start=11, end=len(text) - 1, quote=text[11:-1], cue=Cue(text="said", start=6, end=10),
                      speaker=Speaker(name="Safin", mention="Safin", start=0, end=5, kind=kind),
                      kind="indirect", pattern="cue-clause", confidence=0.85, sentence_index=0)
        return Article(text=text, id=f"a{n}"), Extraction(claims=[claim])

    db = open_db(str(tmp_path / "news.db"))
    writer = Writer(db)
    writer.write_batch([article(1, "organisation")])
    assert db["speakers"].get("safin")["kind"] == "organisation"
    writer.write_batch([article(2, "person")])
    assert db["speakers"].get("safin")["kind"] == "organisation"  # one each: the kind stays
    writer.write_batch([article(3, "person")])
    assert db["speakers"].get("safin")["kind"] == "person"
    assert db["speakers"].get("safin")["surname"] == "safin"
    assert kept_counts_match(db)


def test_topics_that_differ_only_in_case_are_linked_and_counted_once(tmp_path):
    from datasette_newsclaims.extract.records import Claim, Cue, Extraction, Speaker
    from datasette_newsclaims.loader.sources import Article
    from datasette_newsclaims.loader.store import Writer, open_db

    text = "Ana Silva said Energy prices and energy bills would rise this winter."
    claim = Claim(start=15, end=len(text) - 1, quote=text[15:-1], cue=Cue(text="said", start=10, end=14),
                  speaker=Speaker(name="Ana Silva", mention="Ana Silva", start=0, end=9, kind="person"),
                  kind="indirect", pattern="cue-clause", confidence=0.85, sentence_index=0,
                  topics=[("Energy", "organisation"), ("energy", "subject")])
    db = open_db(str(tmp_path / "news.db"))
    Writer(db).write_batch([(Article(text=text, id="a"), Extraction(claims=[claim]))])
    assert db.execute("select count(*) from claim_topics").fetchone()[0] == 1
    assert db.execute("select count from kept_counts where scope = '' and facet = 'topic'").fetchall() == [(1,)]
    assert kept_counts_match(db)
