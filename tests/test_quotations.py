"""Quotations across outlets (issue 16): the same words in many articles are one quotation, with who said
them first, how far they spread, and who they were given to."""

import json
import sqlite3

import pytest

from datasette_newsclaims import api, wording
from datasette_newsclaims.wording import differences, fingerprints, same_quotation, words

from .quotation_corpus import STATEMENTS, write_corpus

# -- the words compared (no model needed) ----------------------------------------------------------------

LONG = ("We will not raise taxes on working families while I am in this office, and the budget next month "
        "will prove it to every household in the country.")


def test_words_fold_quotation_marks_case_whitespace_and_punctuation():
    assert words("“We  WON’T” — go; back...") == ["we", "won't", "go", "back"]
    assert words(LONG) == words(LONG.upper().replace(",", " -- ").replace(".", "!"))


def test_a_trimmed_quotation_is_the_same_one_and_a_stock_phrase_is_not():
    trimmed = "We will not raise taxes on working families while I am in this office."
    assert same_quotation(words(LONG), True, words(trimmed), True)
    assert same_quotation(words(trimmed), True, words(LONG), True)  # whichever comes first
    other = ("We will not cut the money for our schools while I am in this office, whatever the opposition "
             "says about the deficit this year.")
    assert not same_quotation(words(LONG), True, words(other), True)
    assert not same_quotation(words(trimmed), True, words(other), True)


def test_a_word_changed_is_the_same_quotation_a_new_ending_is_not():
    changed = LONG.replace("will not", "won't").replace("country", "nation")
    assert same_quotation(words(LONG), True, words(changed), True)
    new_ending = ("We will not raise taxes on working families, but the rich will pay more from April under "
                  "the plan we publish today, the minister said.")
    assert not same_quotation(words(LONG), True, words(new_ending), True)


def test_reported_speech_matches_only_near_identical_words():
    trimmed = "We will not raise taxes on working families while I am in this office."
    # a quoted part of a long quotation is the same quotation; reported as a paraphrase of a part, it is not
    assert same_quotation(words(LONG), True, words(trimmed), True)
    assert not same_quotation(words(LONG), True, words(trimmed), False)
    assert same_quotation(words(LONG), False, words(LONG.replace("the country", "this country")), True)


def test_short_statements_never_match_even_when_identical():
    short = "We will not resign over this."
    assert len(words(short)) < wording.MIN_WORDS
    assert not same_quotation(words(short), True, words(short), True)
    assert fingerprints(words(short)) == set()


def test_a_part_shares_the_fingerprints_of_the_whole_inside_it():
    whole = words(LONG)
    part = whole[3:17]
    assert fingerprints(part)
    # winnowing: every window inside the part is a window of the whole, and picks the same least hash
    inner = fingerprints(part) - fingerprints(whole)
    assert not inner
    assert fingerprints(words("Nothing in this sentence is in the other one at all, not a single run."))\
        .isdisjoint(fingerprints(whole))


def test_differences_mark_changed_missing_and_trimmed_words():
    wording_ = "We won't raise taxes on working families while I am in this office."
    pieces = differences(LONG, wording_)
    assert ("changed", "won't") in pieces
    assert ("missing", "will not") in pieces
    assert pieces[-1][0] == "trimmed" and pieces[-1][1].startswith("and the budget")
    # the same and changed parts are this wording's own words, in order
    assert " ".join(t for p, t in pieces if p in ("same", "changed")) == wording_
    assert differences(LONG, LONG.upper()) == [("same", LONG.upper())]


# -- a corpus of repeated statements, loaded ----------------------------------------------------------------

def groups(path) -> dict:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("select article_id, quotation_id from claims").fetchall())
    finally:
        conn.close()


def pair_scores(records, assigned) -> tuple[float, float]:
    """Precision and recall of the grouping over pairs of articles (one claim each)."""
    truth = {r["id"]: r["statement"] for r in records}
    ids = sorted(truth)
    same_true = {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if truth[a] == truth[b]}
    same_found = {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]
                  if assigned.get(a) is not None and assigned.get(a) == assigned.get(b)}
    precision = len(same_true & same_found) / len(same_found) if same_found else 1.0
    recall = len(same_true & same_found) / len(same_true)
    return precision, recall


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    directory = tmp_path_factory.mktemp("quotations")
    records = write_corpus(directory / "repeated.jsonl")
    path = directory / "news.db"
    assert api.load(str(path), [str(directory / "repeated.jsonl")], workers=1).ok
    return records, path


def test_one_claim_per_article_and_every_one_in_a_quotation(loaded):
    records, path = loaded
    assigned = groups(path)
    assert sorted(assigned) == sorted(r["id"] for r in records)
    assert all(assigned.values())


def test_the_grouping_finds_every_repeat_and_keeps_distinct_statements_apart(loaded):
    records, path = loaded
    precision, recall = pair_scores(records, groups(path))
    assert precision == 1.0 and recall == 1.0
    assigned = groups(path)
    # her two statements share "We will not ... while I am in this office": two quotations
    taxes = {assigned[r["id"]] for r in records if r["statement"] == "taxes"}
    schools = {assigned[r["id"]] for r in records if r["statement"] == "schools"}
    assert len(taxes) == 1 and len(schools) == 1 and taxes != schools


def test_a_quotation_knows_its_text_first_appearance_spread_and_speaker(loaded):
    records, path = loaded
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    taxes = conn.execute("select q.* from quotations q join claims c on c.quotation_id = q.id "
                         "where c.article_id = 'q00'").fetchone()
    assert taxes["claims"] == 6 and taxes["articles"] == 6 and taxes["outlets"] == 6
    assert taxes["first_article_id"] == "q00" and taxes["first_date"] == "2024-03-01"
    assert taxes["first_source"] == "Wire"
    assert words(taxes["text"]) == words(STATEMENTS["taxes"])  # the longest wording, without attribution
    assert "said" not in taxes["text"]
    assert taxes["speaker_id"] == "maria-lopez"  # five articles of six
    # misattributed once: flagged; "Lopez" alone is not a second speaker
    assert taxes["speakers_disagree"] == 1 and taxes["speakers"] == 2
    assert conn.execute("select count(*) from quotations where speakers_disagree = 1").fetchone()[0] == 1
    bridge = conn.execute("select q.* from quotations q join claims c on c.quotation_id = q.id "
                          "where c.article_id = 'q11'").fetchone()
    assert bridge["claims"] == 2 and bridge["speakers_disagree"] == 0
    conn.close()


def test_loading_more_joins_existing_quotations_and_the_same_load_twice_changes_nothing(tmp_path):
    records = write_corpus(tmp_path / "all.jsonl")
    lines = (tmp_path / "all.jsonl").read_text("utf-8").splitlines(keepends=True)
    (tmp_path / "early.jsonl").write_text("".join(lines[::2]), "utf-8")
    (tmp_path / "late.jsonl").write_text("".join(lines[1::2]), "utf-8")
    path = tmp_path / "news.db"
    assert api.load(str(path), [str(tmp_path / "late.jsonl")], workers=1).ok
    assert api.load(str(path), [str(tmp_path / "early.jsonl")], workers=1).ok
    before = quotation_table(path)
    assert pair_scores(records, groups(path)) == (1.0, 1.0)
    assert api.load(str(path), [str(tmp_path / "early.jsonl")], workers=1).ok
    assert quotation_table(path) == before
    conn = sqlite3.connect(path)
    # the first appearance is the earliest article, though it was loaded last
    assert conn.execute("select first_article_id from quotations q join claims c on c.quotation_id = q.id "
                        "where c.article_id = 'q03'").fetchone()[0] == "q00"
    assert conn.execute("select count(*) from quotations_stale").fetchone()[0] == 0
    conn.close()


def quotation_table(path) -> list:
    """The quotations as sets of their claims' articles with what they say of themselves, ids aside."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    out = []
    for q in conn.execute("select * from quotations order by id"):
        members = sorted(r[0] for r in conn.execute("select article_id from claims where quotation_id = ?",
                                                    [q["id"]]))
        row = {k: q[k] for k in q.keys() if k not in ("id", "claim_id", "first_claim_id")}
        out.append(json.dumps([members, row], sort_keys=True))
    conn.close()
    return sorted(out)


def test_replacing_an_article_moves_its_claim_and_splits_what_it_joined(tmp_path):
    """A quotation joined through one wording falls apart when that wording goes: the long one joined the
    two trimmed halves, which share no words."""
    first_half = "The new line will carry trains from the airport to the old harbour every ten minutes"
    second_half = "and the fares will stay at the level the council promised in its manifesto last year"
    rows = [
        {"id": "a", "date": "2024-01-01", "source": "Wire",
         "text": f'"{first_half} {second_half}," Mayor Ana Silva said.'},
        {"id": "b", "date": "2024-01-02", "source": "Post", "text": f'"{first_half}," Ana Silva said.'},
        {"id": "c", "date": "2024-01-03", "source": "Herald",
         "text": f'"{second_half[4:].capitalize()}," Ana Silva said.'},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    path = tmp_path / "news.db"
    assert api.load(str(path), [str(source)], workers=1).ok
    assigned = groups(path)
    assert assigned["a"] == assigned["b"] == assigned["c"]
    rows[0]["text"] = "The railway to the old harbour opened on Monday."
    source.write_text(json.dumps(rows[0]) + "\n", "utf-8")
    assert api.load(str(path), [str(source)], workers=1, replace=True).ok
    assigned = groups(path)
    assert assigned.get("a") is None
    assert assigned["b"] != assigned["c"]
    conn = sqlite3.connect(path)
    counts = dict(conn.execute("select c.article_id, q.claims from claims c join quotations q "
                               "on q.id = c.quotation_id").fetchall())
    assert counts == {"b": 1, "c": 1}
    assert conn.execute("select count(*) from quotation_texts").fetchone()[0] == 2
    conn.close()


def test_short_statements_belong_to_no_quotation(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"s{n}", "date": f"2024-01-0{n}", "text": text}) + "\n"
                              for n, text in enumerate([
                                  '"We will not resign," Maria Lopez said.',
                                  '"We will not resign," John Carter said.'], 1)), "utf-8")
    path = tmp_path / "news.db"
    assert api.load(str(path), [str(source)], workers=1).ok
    assigned = groups(path)
    assert len(assigned) == 2 and set(assigned.values()) == {None}  # both claims, in no quotation
    assert sqlite3.connect(path).execute("select count(*) from quotations").fetchone()[0] == 0


# -- the pages ---------------------------------------------------------------------------------------------

HOSTILE_REPEAT = {
    "id": "hostile", "date": "2024-03-10", "source": "<b>Bad Outlet</b>", "title": "<script>alert('t')</script>",
    "text": ('"We will not raise taxes on working <script>alert(1)</script> families while I am in this office, '
             'and the budget next month will prove it," Maria Lopez said.'),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from datasette.app import Datasette

    directory = tmp_path_factory.mktemp("quotation-pages")
    records = write_corpus(directory / "repeated.jsonl")
    with open(directory / "repeated.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(HOSTILE_REPEAT) + "\n")
    path = directory / "news.db"
    assert api.load(str(path), [str(directory / "repeated.jsonl")], workers=1).ok
    conn = sqlite3.connect(path)
    taxes = conn.execute("select quotation_id from claims where article_id = 'q00'").fetchone()[0]
    conn.close()
    return Datasette([str(path)]), records, taxes


@pytest.mark.asyncio
async def test_the_quotation_page_lists_appearances_in_date_order_with_their_differences(served):
    datasette, records, taxes = served
    data = (await datasette.client.get(f"/news/-/quotations/{taxes}.json")).json()
    quotation = data["quotation"]
    assert quotation["articles"] == 7 and quotation["speakers_disagree"] == 1
    assert quotation["first_article_id"] == "q00" and quotation["first_source"] == "Wire"
    dates = [c["claim_date"] for c in data["appearances"]]
    assert dates == sorted(dates) and len(dates) == 7
    by_article = {c["article_id"]: c for c in data["appearances"]}
    assert ["changed", "won't"] in by_article["q04"]["differences"]
    assert by_article["q03"]["differences"][-1][0] == "trimmed"  # "while I am in this office." and no more
    assert all(part == "same" for part, _ in by_article["q00"]["differences"])
    speakers = {a["speaker_id"]: a["articles"] for a in data["attributions"]}
    assert speakers["maria-lopez"] == 5 and speakers["john-carter"] == 1 and speakers["lopez"] == 1
    html = (await datasette.client.get(f"/news/-/quotations/{taxes}")).text
    assert "Disputed attribution" in html and '<ins class="wording-changed"' in html
    # article text, titles and outlets are escaped: no tag of theirs reaches the page
    assert "<script>alert" not in html and "<b>Bad Outlet</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.asyncio
async def test_a_claim_says_where_else_its_words_appear(served):
    datasette, records, taxes = served
    conn_claims = (await datasette.client.get("/news/-/claims.json?_size=max")).json()["claims"]
    q03 = next(c for c in conn_claims if c["article_id"] == "q03")
    page = (await datasette.client.get(f"/news/-/claims/{q03['id']}.json")).json()
    assert page["quotation"]["articles"] == 7 and page["quotation"]["first_source"] == "Wire"
    html = (await datasette.client.get(f"/news/-/claims/{q03['id']}")).text
    assert "Also in 6 articles, first on" in html and f"/news/-/quotations/{taxes}" in html
    rates = next(c for c in conn_claims if c["article_id"] == "q15")  # said once: nothing to say
    assert "Also in" not in (await datasette.client.get(f"/news/-/claims/{rates['id']}")).text


@pytest.mark.asyncio
async def test_the_claims_browser_lists_first_appearances_and_disputed_attributions(served):
    datasette, records, taxes = served
    first = (await datasette.client.get("/news/-/claims.json?first=1&_size=max")).json()
    # one claim per statement: the six statements' first appearances, the hostile repeat not among them
    assert sorted(c["article_id"] for c in first["claims"]) == ["q00", "q06", "q08", "q11", "q13", "q15"]
    assert first["count"] == 6
    disputed = (await datasette.client.get("/news/-/claims.json?disputed=1&_size=max")).json()
    assert {c["quotation_id"] for c in disputed["claims"]} == {taxes} and disputed["count"] == 7
    both = (await datasette.client.get("/news/-/claims.json?disputed=1&first=1")).json()
    assert [c["article_id"] for c in both["claims"]] == ["q00"]
    bad = await datasette.client.get("/news/-/claims.json?first=yes")
    assert bad.status_code == 400 and "first must be 1" in bad.text
    # Datasette's table cannot say "first appearances": no link that would list something else
    assert "Open in table" in (await datasette.client.get("/news/-/claims?kind=direct")).text
    assert "Open in table" not in (await datasette.client.get("/news/-/claims?first=1")).text


@pytest.mark.asyncio
async def test_most_repeated_first_pages_through_every_claim_of_a_quotation(served):
    datasette, records, taxes = served
    path, seen = "/news/-/claims.json?_sort=repeated&_size=2", []
    while path:
        data = (await datasette.client.get(path)).json()
        seen += data["claims"]
        path = f"/news/-/claims.json?_sort=repeated&_size=2&_next={data['next']}" if data["next"] else None
    spreads = [c["quotation_articles"] for c in seen]
    assert spreads == sorted(spreads, reverse=True) and spreads[0] == 7
    assert [c["quotation_id"] for c in seen[:7]] == [taxes] * 7
    assert len({c["id"] for c in seen}) == len(seen) == 17  # every claim once, none of them short
    firsts = (await datasette.client.get("/news/-/claims.json?_sort=repeated&first=1")).json()["claims"]
    assert [c["article_id"] for c in firsts][:1] == ["q00"] and len(firsts) == 6
    html = (await datasette.client.get("/news/-/claims?_sort=repeated")).text
    assert "in 7 articles" in html and "(attribution disputed)" in html


@pytest.mark.asyncio
async def test_a_quotation_that_is_not_there_is_a_404(served):
    datasette, records, taxes = served
    for path in ("/news/-/quotations/999999", "/news/-/quotations/abc", "/news/-/quotations/-1",
                 "/news/-/quotations/" + "9" * 40):
        assert (await datasette.client.get(path)).status_code == 404, path


def test_re_extracting_every_article_gives_the_quotations_of_a_clean_load(loaded, tmp_path):
    records, clean = loaded
    path = tmp_path / "news.db"
    path.write_bytes(clean.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("update articles set extractor_version = 'an older one'")
    conn.commit()
    conn.close()
    source = tmp_path / "again.jsonl"
    write_corpus(source)
    report = api.load(str(path), [str(source)], workers=1, reextract=True)
    assert report.ok and report.replaced == len(records)
    assert quotation_table(path) == quotation_table(clean)


def test_an_older_database_is_grouped_when_upgraded(tmp_path):
    """Claims written before quotations existed (schema 10) get theirs from `newsclaims upgrade`."""
    import sqlite_utils

    from datasette_newsclaims.loader.store import migrations, open_db

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m011_quotations")
    long = STATEMENTS["bridge"]
    for n, (article, speaker, quote) in enumerate([("a", "ana-silva", long), ("b", "ana-silva", long.upper()),
                                                   ("c", "tom-hale", STATEMENTS["strike"])], 1):
        db["articles"].insert({"id": article, "text": quote, "published": f"2024-01-0{n}"})
        db["speakers"].insert({"id": speaker, "name": speaker.replace("-", " ").title(), "kind": "person"},
                              ignore=True)
        db["claims"].insert({"id": n, "article_id": article, "speaker_id": speaker, "speaker_kind": "person",
                             "quote": quote, "start": 0, "end": len(quote), "kind": "direct",
                             "article_published": f"2024-01-0{n}", "claim_date": f"2024-01-0{n}"})
    db.close()
    open_db(str(path)).close()
    assigned = dict(sqlite3.connect(path).execute("select article_id, quotation_id from claims").fetchall())
    assert assigned["a"] == assigned["b"] != assigned["c"] and None not in assigned.values()
    row = sqlite3.connect(path).execute("select claims, first_article_id, first_date from quotations where id = ?",
                                        [assigned["a"]]).fetchone()
    assert row == (2, "a", "2024-01-01")


def claim(speaker_id, name, article, kind="person"):
    return {"speaker_id": speaker_id, "speaker_name": name, "article_id": article, "speaker_kind": kind,
            "kind_of_speaker": kind}


def test_a_dispute_is_between_articles_not_inside_one():
    from datasette_newsclaims.loader.quotations import attributions, disputed

    # one article gives the words to her and to the minister quoting her: no dispute
    inside = [claim("maria-lopez", "Maria Lopez", "a"), claim("john-carter", "John Carter", "a"),
              claim("maria-lopez", "Maria Lopez", "b")]
    assert not disputed(attributions(inside))
    # another article gives them to him alone: disputed
    assert disputed(attributions(inside + [claim("john-carter", "John Carter", "c")]))
    # "Lopez" and "Maria Lopez" are one attribution; "Carter" joins "John Carter"
    named = attributions([claim("lopez", "Lopez", "a"), claim("maria-lopez", "Maria Lopez", "b")])
    assert named == {"maria-lopez": {"a", "b"}} and not disputed(named)
    # a surname two full names end with stays apart; unnamed sources attribute nothing
    named = attributions([claim("lopez", "Lopez", "a"), claim("maria-lopez", "Maria Lopez", "b"),
                          claim("ana-lopez", "Ana Lopez", "c"), claim("analysts~1", "analysts", "d", "unnamed")])
    assert set(named) == {"lopez", "maria-lopez", "ana-lopez"} and disputed(named)


def test_punctuation_is_no_difference_between_wordings():
    dashed = LONG.replace(",", " --").replace(".", "!")
    assert all(part == "same" for part, _ in differences(LONG, dashed))
