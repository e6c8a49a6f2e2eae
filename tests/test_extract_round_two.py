"""Extraction, round two (issue 12): each error class on sentences written for it, with what must not happen."""


def only(claims):
    assert len(claims) == 1, claims
    return claims[0]


# -- 6. speaker phrases -----------------------------------------------------------------------------

def test_an_apposed_name_beats_the_role_it_follows(extract):
    claim = only(extract("The charity's chief executive, Jane Roe, said the closures would hurt families."))
    assert (claim["speaker"], claim["speaker_kind"]) == ("Jane Roe", "person")
    assert claim["speaker_role"] == "charity's chief executive"
    assert claim["speaker_mention"] == "The charity's chief executive, Jane Roe"
    claim = only(extract("The finance minister, Ana Silva, said taxes would rise next year."))
    assert (claim["speaker"], claim["speaker_role"]) == ("Ana Silva", "finance minister")


def test_a_place_in_the_role_is_not_the_speaker(extract):
    claim = only(extract("Our correspondent in Nairobi, John Doe, reported that the talks had stalled."))
    assert claim["speaker"] == "John Doe" and claim["speaker_role"] == "correspondent in Nairobi"


def test_a_role_without_a_name_stays_the_role(extract):
    """No apposition, or an aside that is not a name: nothing is invented."""
    claim = only(extract("The finance minister, who spoke in Lisbon, said taxes would rise next year."))
    assert claim["speaker"] != "Lisbon" and "minister" in claim["speaker"]
    claim = only(extract("Jane Roe, the charity's chief executive, said the closures would hurt families."))
    assert (claim["speaker"], claim["speaker_role"]) == ("Jane Roe", "charity's chief executive")


def test_a_dateline_never_hides_the_clause(extract):
    claim = only(extract("OTTAWA — Liberal leader Mark Carney says the budget will be balanced."))
    assert claim["speaker"] == "Mark Carney" and claim["quote"] == "the budget will be balanced"
    assert "OTTAWA" not in claim["quote"]


def test_a_dateline_the_parser_took_for_the_subject_is_never_the_speaker(extract):
    claims = extract("ORLANDO, Fla. (Reuters) — President Barack Obama met survivors on Thursday and said the "
                     "United States must act to control gun violence.")
    assert [(c["speaker"], c["quote"]) for c in claims] == [
        ("Barack Obama", "the United States must act to control gun violence")]
    claims = extract("LA CROSSE, Wis. — Mike Pence on Saturday slammed the media for making an issue out of the "
                     "claim, saying they were nitpicking at the wording.")
    assert {c["speaker"] for c in claims} == {"Mike Pence"}
    claims = extract("LA CROSSE, Wis. \u2014 Mike Pence on Saturday slammed the media, saying they were nitpicking.")
    assert [c["speaker"] for c in claims] == ["Mike Pence"]  # the parser gave "slammed" two subjects


def test_a_sentence_opening_adverb_is_not_the_speaker(extract):
    claim = only(extract("Still, Okafor said the deal was fair."))
    assert claim["speaker"] == "Okafor" and claim["quote"] == "the deal was fair"


# -- 3. pronoun and description speakers ------------------------------------------------------------

def test_it_refers_back_to_an_unnamed_company(extract):
    claims = extract("The company said it would cut 300 jobs. It stated that demand had collapsed.")
    assert [(c["speaker"], c["speaker_mention"]) for c in claims] == [("company", "The company"), ("company", "It")]


def test_it_refers_back_to_a_named_company(extract):
    claims = extract("Texaco Inc said it would sell two refineries. It reported that profits fell.")
    assert [(c["speaker"], c["speaker_mention"]) for c in claims] == [("Texaco", "Texaco Inc"), ("Texaco", "It")]


def test_a_pronoun_with_nothing_to_refer_to_is_kept_as_written(extract):
    claim = only(extract("He said the plan would fail."))
    assert (claim["speaker"], claim["speaker_mention"], claim["speaker_kind"]) == ("He", "He", "unnamed")
    assert claim["confidence"] < 0.85  # below a named speaker's


def test_he_after_a_described_person_is_that_person(extract):
    claims = extract("A spokesman for the ministry said the talks would resume. He said no date had been set.")
    assert [(c["speaker"], c["speaker_mention"]) for c in claims] == [
        ("spokesman for the ministry", "A spokesman for the ministry"), ("spokesman for the ministry", "He")]
    claims = extract("A senior official said the talks would resume. She added that no date had been set.")
    assert claims[1]["speaker"] == "senior official"


def test_a_pronoun_never_takes_a_speaker_of_the_wrong_kind(extract):
    claims = extract("Analysts said the bank would cut rates. She said the dollar would fall.")
    assert claims[1]["speaker"] == "She"  # not "Analysts": she is one person


# -- 2. follow-on quotations ------------------------------------------------------------------------

def test_a_follow_on_quotation_after_someone_else_comes_in_is_theirs_or_no_ones(extract):
    text = ('Senator Amy Fox spoke first. "We will fight this bill," she said.\n\n'
            'The governor disagreed. "This bill is good for the state and its farmers."')
    claims = extract(text)
    assert [(c["speaker"], c["quote"]) for c in claims] == [
        ("Amy Fox", "We will fight this bill"), ("governor", "This bill is good for the state and its farmers")]
    # someone else came in, but not right before the quotation: nobody's, rather than the wrong one's
    text = ('"We will fight this bill," Amy Fox said. Governor Tom Hale signed it on Monday. The vote was close.\n\n'
            '"This bill is good for the state and its farmers."')
    assert [c["speaker"] for c in extract(text)] == ["Amy Fox"]
    # a thing as subject is nobody coming in: the quotation stays hers
    text = ('"We will fight this bill," Amy Fox said. The bill passed by two votes.\n\n'
            '"It is a sad day for the state and its farmers."')
    assert [c["speaker"] for c in extract(text)] == ["Amy Fox", "Amy Fox"]


def test_an_organisation_or_a_quoted_sentence_is_nobody_coming_in(extract):
    # the organisation is what the story is about: its spokeswoman's next words stay hers
    text = ('"We will appeal," said Ana Silva, a spokeswoman for Acme. Acme is the largest employer in the town.\n\n'
            '"The ruling will cost hundreds of jobs here."')
    assert [c["speaker"] for c in extract(text)] == ["Ana Silva", "Ana Silva"]
    # a person named inside a quotation that runs on is no one coming in
    text = ('Tom Hale said: "This is enormously damaging. Gordon Brown knows it as well as anyone. '
            '"The relationship is very poor indeed and it will not get better."')
    assert {c["speaker"] for c in extract(text)} == {"Tom Hale"}


def test_an_inverted_attribution_after_a_quotation_keeps_the_quotation_after_it(extract):
    text = '"Nobody saw this coming at all," added Karl Weber. "It is a shock to the market."'
    claim = only(extract(text))
    assert claim["speaker"] == "Karl Weber"
    assert [text[a:b] for a, b in claim["segments"]] == ["Nobody saw this coming at all", "It is a shock to the market"]


# -- 9. generic sources -------------------------------------------------------------------------------

def test_generic_sources_are_unnamed_speakers(extract):
    claims = extract("Analysts said the bank would cut rates. Dealers said the dollar would fall. "
                     "A senior official said the talks would resume.")
    assert [(c["speaker"], c["speaker_kind"]) for c in claims] == [
        ("Analysts", "unnamed"), ("Dealers", "unnamed"), ("senior official", "unnamed")]
    named = only(extract("Jane Fox said the bank would cut rates."))
    assert named["speaker_kind"] == "person"


def test_unnamed_speakers_are_never_one_speaker_across_articles(tmp_path):
    import json

    import sqlite_utils

    from .conftest import load

    src = tmp_path / "two.jsonl"
    src.write_text("".join(json.dumps({"id": f"a{i}", "text": text}) + "\n" for i, text in enumerate([
        "Analysts said the bank would cut rates. Jane Fox said the dollar would fall.",
        "Analysts said the oil price would rise. Jane Fox said the plant would close."])), "utf-8")
    assert load(tmp_path / "news.db", src).exit_code == 0
    db = sqlite_utils.Database(tmp_path / "news.db")
    rows = db.execute("select s.id, s.name, s.kind, count(*) from claims c join speakers s on s.id = c.speaker_id "
                      "group by s.id order by s.id").fetchall()
    analysts = [r for r in rows if r[1] == "Analysts"]
    assert len(analysts) == 2 and all(r[2] == "unnamed" and r[3] == 1 for r in analysts)  # one per article
    assert [r for r in rows if r[1] == "Jane Fox"] == [("jane-fox", "Jane Fox", "person", 2)]  # named: one


def test_an_unnamed_speakers_page_is_its_articles_own(tmp_path):
    import asyncio
    import json

    from datasette.app import Datasette

    from .conftest import load

    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps({"id": "a0", "text": "Analysts said the bank would cut rates."}) + "\n", "utf-8")
    assert load(tmp_path / "news.db", src).exit_code == 0

    async def pages():
        datasette = Datasette([str(tmp_path / "news.db")])
        claim = (await datasette.client.get("/news/-/claims.json")).json()["claims"][0]
        assert claim["speaker_kind"] == "unnamed" and "~" in claim["speaker_id"]
        page = await datasette.client.get(claim["speaker_url"] + ".json")
        assert page.status_code == 200 and page.json()["speaker"]["name"] == "Analysts"

    asyncio.run(pages())


# -- 4. cues that are not a reporting verb with a clause ----------------------------------------------

def test_a_parenthetical_attribution_is_one_claim_whose_segments_skip_it(extract):
    text = "The plan, Jane Fox said, would cost jobs across the region."
    claim = only(extract(text))
    assert claim["speaker"] == "Jane Fox" and claim["pattern"] == "cue-parenthetical"
    assert [text[a:b] for a, b in claim["segments"]] == ["The plan", "would cost jobs across the region"]
    text = "Prices will rise, Jane Fox says, and wages will not."
    claim = only(extract(text))
    assert [text[a:b] for a, b in claim["segments"]] == ["Prices will rise", "and wages will not"]


def test_an_attribution_at_the_end_is_not_parenthetical(extract):
    claim = only(extract("Prices will rise, Jane Fox said."))
    assert claim["quote"] == "Prices will rise" and len(claim["segments"]) == 1


def test_a_relative_pronoun_alone_is_never_a_statement(extract):
    assert not [c for c in extract("The plan, which Jane Fox said was costly, would cost jobs.")
                if c["quote"] in ("which", "The plan")]


def test_reporting_verbs_beyond_say(extract):
    for text, cue in [("Jane Fox pointed out that the budget was balanced.", "pointed out"),
                      ("Pointing out that the budget was balanced, Jane Fox urged calm.", "Pointing out"),
                      ("Analysts forecast that growth would slow this year.", "forecast"),
                      ("Tom Hale confessed that he had taken the money.", "confessed"),
                      ("The judge ruled that the law was invalid.", "ruled"),
                      ('"We won the cup at last," crowed Bill Hale.', "crowed"),
                      ('"That is plainly absurd," sniffed Tom Reed.', "sniffed"),
                      ('"Not true, not true at all," interjected Maria Diaz.', "interjected")]:
        claim = only(extract(text))
        assert claim["cue"] == cue, text
    # "point" and "talk" are cues only with their particle
    assert extract("Jane Fox pointed at the chart that showed the deficit.") == []
    assert extract("Tom Hale talks immigration at every rally he holds.") == []


def test_after_a_quotation_the_name_after_the_cue_is_the_speaker(extract):
    claim = only(extract('"We won the cup at last," crowed the coach, Bill Hale.'))
    assert (claim["speaker"], claim["quote"]) == ("Bill Hale", "We won the cup at last")
    claim = only(extract('"I am the best actor here," joked the actor, Tim Bold.'))
    assert claim["speaker"] == "Tim Bold"


def test_a_noun_phrase_that_says_what_was_said(extract):
    cases = [("The company announced a $40 million settlement with regulators.", "announced",
              "a $40 million settlement with regulators"),
             ("The senator warned of Russian interference in the election.", "warned",
              "Russian interference in the election"),
             ("The firm estimated the cost at $2 billion.", "estimated", "the cost at $2 billion"),
             ("The union described the offer as an insult.", "described", "the offer as an insult"),
             ("The panel recommended a ban on the drug.", "recommended", "a ban on the drug"),
             ("Tom Hale talked about his plans for the port.", "talked about", "his plans for the port")]
    for text, cue, quote in cases:
        claim = only(extract(text))
        assert (claim["cue"], claim["quote"], claim["kind"]) == (cue, quote, "indirect"), text
    # a pronoun, a bare noun of saying or a narrative "described" says nothing a reader could check
    assert extract("The company announced it.") == []
    assert extract("Jane Fox repeated the warning.") == []
    assert extract("Jane Fox described her visit to the border.") == []


def test_a_passive_cue_with_its_agent(extract):
    text = "The protests were described by officials as peaceful."
    claim = only(extract(text))
    assert claim["speaker"] == "officials" and claim["speaker_kind"] == "unnamed"
    assert [text[a:b] for a, b in claim["segments"]] == ["The protests", "as peaceful"]


def test_participles_say_what_their_subject_says(extract):
    claim = only(extract("The minister spoke for an hour before noting that the deficit had grown."))
    assert (claim["speaker"], claim["quote"]) == ("minister", "the deficit had grown")
    claim = only(extract("Oil prices rose on Monday, with analysts saying supply was tight."))
    assert (claim["speaker"], claim["quote"]) == ("analysts", "supply was tight")


def test_a_question_put_to_the_speaker_is_not_their_claim(extract):
    claims = extract("When asked whether he would resign, Tom Hale said he would stay until the election.")
    assert [(c["cue"], c["quote"]) for c in claims] == [("said", "he would stay until the election")]
    assert extract("Asked about the deficit, the minister smiled.") == []


# -- 11. dates ----------------------------------------------------------------------------------------

PUBLISHED = "2021-05-05"  # a Wednesday


def said_on(extract, text):
    return only(extract(text, PUBLISHED))["date"]


def test_times_of_day_name_a_day(extract):
    assert said_on(extract, "Jane Fox said last night that the plant would close.") == "2021-05-04"
    assert said_on(extract, "Jane Fox told reporters this morning that the plant would close.") == "2021-05-05"
    assert said_on(extract, "Jane Fox said tonight that the plant would close.") == "2021-05-05"
    assert said_on(extract, "Jane Fox said yesterday afternoon that the plant would close.") == "2021-05-04"


def test_the_date_of_the_speech_act_wherever_it_attaches(extract):
    assert said_on(extract, "Commenting last night, Jane Fox said the plant would close.") == "2021-05-04"
    assert said_on(extract, "Speaking on Sunday, Jane Fox said the plant would close.") == "2021-05-02"
    assert said_on(extract, "Today's statement from Jane Fox said the plant would close.") == "2021-05-05"
    assert said_on(extract, "In a statement on Sunday, the ministry said the border would stay closed.") == "2021-05-02"


def test_never_a_date_from_inside_the_statement_or_after_the_article(extract):
    assert said_on(extract, "Prices fell yesterday, Jane Fox said.") is None
    assert said_on(extract, "Jane Fox said the talks scheduled for Friday would fail.") is None
    assert said_on(extract, "Jane Fox will say tomorrow that the plant will close.") is None
    assert said_on(extract, "Jane Fox said on Thursday that the plant would close.") == "2021-04-29"  # the last one


def test_what_a_speaker_commits_to_is_the_claim(extract):
    claim = only(extract("Jane Fox vowed to close the plant by June."))
    assert (claim["quote"], claim["cue"], claim["pattern"]) == ("to close the plant by June", "vowed", "commissive")
    assert only(extract("The rebels threatened to attack the capital."))["quote"] == "to attack the capital"
    claim = only(extract("Jane Fox urged the council to act."))
    assert claim["pattern"] == "directive" and claim["target"] == "council"  # directives stay directives


def test_quoted_as_saying_is_the_subjects_claim(extract):
    claim = only(extract("Jane Fox was quoted by the newspaper as saying that taxes would rise."))
    assert (claim["speaker"], claim["quote"]) == ("Jane Fox", "taxes would rise")
    assert extract("It was said that the plant would close.") == []  # no one is named: no claim


def test_a_statement_noun_with_its_owner(extract):
    claim = only(extract("The senator's allegation that the mayor lied drew protests."))
    assert (claim["speaker"], claim["cue"], claim["quote"]) == ("senator", "allegation", "the mayor lied")
    claim = only(extract("Jane Fox repeated her warning that prices would rise."))
    assert (claim["speaker"], claim["quote"]) == ("Jane Fox", "prices would rise")


def test_a_statement_noun_without_an_owner_or_of_someone_else_is_not_the_subjects(extract):
    assert extract("The claim that the bill would raise taxes was false.") == []
    claims = extract("The mayor rejected their claim that the budget was short.")
    # rejecting a claim is not making it: what the mayor did is reject it, the claim whole
    assert [(c["cue"], c["quote"]) for c in claims if c["speaker"] == "mayor"] == [
        ("rejected", "their claim that the budget was short")]


# -- 5. nested attribution ----------------------------------------------------------------------------

def test_the_outermost_speech_act_owns_the_statement(extract):
    claim = only(extract("Aides could not tell the donors how much to give, Jane Fox stressed."))
    assert (claim["speaker"], claim["cue"]) == ("Jane Fox", "stressed")
    assert claim["quote"] == "Aides could not tell the donors how much to give"


def test_an_inner_claim_of_a_named_source_stands_on_its_own(extract):
    claims = extract("Jane Fox said that Tom Hale told her the plant would close.")
    assert [(c["speaker"], c["quote"]) for c in claims] == [
        ("Jane Fox", "Tom Hale told her the plant would close"), ("Tom Hale", "the plant would close")]
    claim = only(extract("Jane Fox said that aides told her the plant would close."))  # unnamed: hers alone
    assert claim["speaker"] == "Jane Fox"


def test_an_attribution_inside_a_quotation_stays_the_quoted_speakers(extract):
    claim = only(extract('"When the council said it would act, nobody believed it," Jane Fox said.'))
    assert claim["speaker"] == "Jane Fox" and claim["quote"].startswith("When the council said")


# -- 7. statement boundaries --------------------------------------------------------------------------

def test_a_colon_quotation_is_taken_whole(extract):
    claim = only(extract('Jane Fox said: "The vote was rigged. We have evidence. We will go to court."'))
    assert claim["quote"] == "The vote was rigged. We have evidence. We will go to court"


def test_two_cues_give_two_claims_that_do_not_run_into_each_other(extract):
    claims = extract("Jane Fox said prices would rise but noted that wages would not.")
    assert [(c["cue"], c["quote"]) for c in claims] == [("said", "prices would rise"), ("noted", "wages would not")]


def test_the_complementiser_is_never_part_of_the_statement(extract):
    claim = only(extract("Jane Fox told the paper that she would resign."))
    assert claim["quote"] == "she would resign"
    claim = only(extract("Jane Fox said that was wrong."))
    assert claim["quote"] == "that was wrong"  # a demonstrative subject stays


# -- 10. targets --------------------------------------------------------------------------------------

def test_a_relative_clauses_object_is_the_noun_it_describes(extract):
    claims = extract("The regulator, which the union has blamed for the delays, said the plan was safe.")
    blame = next(c for c in claims if c["cue"] == "blamed")
    assert blame["target"] == "regulator" and blame["quote"] == "the delays"


def test_a_pronoun_object_resolves_like_a_pronoun_speaker(extract):
    claim = only(extract("Tom Hale spoke first. Jane Fox accused him of lying."))
    assert (claim["target"], claim["target_kind"]) == ("Tom Hale", "person")
    assert only(extract("Jane Fox accused him of lying."))["target"] is None  # nothing to refer to: no guess
    assert only(extract("Jane Fox told us that prices would rise."))["target"] is None


def test_the_paper_told_is_the_outlet_the_article_named(extract):
    claims = extract("Jane Fox gave an interview to The Washington Post. She told the paper that taxes would rise.")
    claim = next(c for c in claims if c["cue"] == "told")
    assert (claim["venue"], claim["target"]) == ("Washington Post", None)  # where it was said, never a target
    assert only(extract("Jane Fox told the paper that taxes would rise."))["venue"] == "paper"  # none named: as written


def test_a_speech_prepared_for_delivery_addresses_its_audience(extract):
    claim = only(extract("In a speech prepared for delivery to the Chamber of Commerce, Jane Fox said taxes "
                         "would rise."))
    assert claim["target"] == "Chamber of Commerce"
    assert only(extract("In a speech on Monday, Jane Fox said taxes would rise."))["target"] is None


# -- 4. noun cues with a colon, light verbs -------------------------------------------------------------

def test_an_answer_and_a_colon(extract):
    claim = only(extract('Tom Hale spoke last. His answer was simple: "We will not pay the ransom."'))
    assert (claim["speaker"], claim["cue"], claim["quote"], claim["kind"]) == (
        "Tom Hale", "answer", "We will not pay the ransom", "direct")
    claim = only(extract("Jane Fox's message to voters: the party will cut taxes next year."))
    assert (claim["speaker"], claim["quote"]) == ("Jane Fox", "the party will cut taxes next year")
    # no owner, or the colon is not the answer's: nothing
    assert extract('The answer was simple: "We will not pay the ransom."') == []
    assert extract("His answer came late, after the vote: the party had lost.") == []


def test_an_allegation_made_is_the_subjects(extract):
    claim = only(extract("The senator made an allegation that the agency had lied."))
    assert (claim["speaker"], claim["cue"], claim["quote"]) == ("senator", "allegation", "the agency had lied")


# -- 11. the date of a speech event carries to the same speaker's next claims -----------------------------

def test_the_day_a_speaker_spoke_carries_to_their_next_claims_only(extract):
    claims = extract("The ministry said on Sunday that the talks had failed. It said no new date had been set.",
                     PUBLISHED)
    assert [(c["speaker"], c["date"]) for c in claims] == [("ministry", "2021-05-02"), ("ministry", "2021-05-02")]
    claims = extract("The statement said on Sunday that the talks had failed. It said no new date had been set.",
                     PUBLISHED)
    assert [(c["speaker"], c["speaker_mention"], c["date"]) for c in claims] == [
        ("statement", "The statement", "2021-05-02"), ("statement", "It", "2021-05-02")]
    claims = extract("The ministry said on Sunday that the talks had failed. Tom Hale said no new date was set.",
                     PUBLISHED)
    assert [(c["speaker"], c["date"]) for c in claims] == [("ministry", "2021-05-02"), ("Tom Hale", None)]
    claims = extract("The ministry said on Sunday that the talks had failed. Tom Hale said he was sad. "
                     "The ministry said no new date was set.", PUBLISHED)
    assert claims[2]["date"] is None  # someone else spoke in between: not the same event


# -- 8. headlines ------------------------------------------------------------------------------------

def test_a_wire_headline_in_capitals_is_a_claim_of_the_speaker_the_article_names(extract):
    text = "OPEC REJECTS PRICE CUT\n\nOPEC said on Monday it had rejected calls for a cut in oil prices."
    claims = extract(text, PUBLISHED)
    headline = claims[0]
    assert (headline["speaker"], headline["cue"], headline["quote"]) == ("OPEC", "REJECTS", "PRICE CUT")
    assert headline["date"] == claims[1]["date"] == "2021-05-03"  # dated like the lead claim it restates
    # a speaker only the headline names is no one; a headline noun is no cue
    assert extract("LAWSON SAYS STERLING COMMENTS INSIGNIFICANT\n\nThe pound fell on Monday.", PUBLISHED) == []
    assert extract("NEW YORK STATE BUDGET GAP WIDENS\n\nNew York's budget gap widened.", PUBLISHED) == []


def test_a_headline_in_words_is_dated_like_its_lead(extract):
    text = ("MPs demand inquiry into hospital deaths\n\n"
            "MPs on Tuesday demanded an independent inquiry into the deaths, saying the ministry had failed.")
    claims = extract(text, PUBLISHED)
    assert [(c["speaker"], c["cue"], c["date"]) for c in claims][:2] == [
        ("MPs", "demand", "2021-05-04"), ("MPs", "demanded", "2021-05-04")]
    assert claims[0]["target"] is None  # what was demanded is no addressee
    text = "Minister: we will not resign over the report\n\nThe minister said on Monday she would not resign."
    claims = extract(text, PUBLISHED)
    assert [(c["speaker"].lower(), c["date"]) for c in claims] == [("minister", "2021-05-03")] * 2
    # a first paragraph that ends like a sentence is no headline: not dated from what follows
    text = "MPs demand an inquiry into the deaths.\n\nMPs said on Tuesday the ministry had failed."
    assert extract(text, PUBLISHED)[0]["date"] is None


def test_a_headline_passive_or_noun_is_no_cue(extract):
    text = "WHEAT CROP THREATENED BY PESTS\n\nThe wheat crop was threatened by pests, the ministry said on Monday."
    assert not [c for c in extract(text, PUBLISHED) if c["pattern"] == "headline-cue"]
    text = "EARLY WARNING SEEKS OMEGA UNIT\n\nEarly Warning Inc said it would buy Omega Ballistics."
    assert not [c for c in extract(text, PUBLISHED) if c["pattern"] == "headline-cue"]


# -- 4. a name, a colon and what they said ------------------------------------------------------------

def test_a_name_a_colon_and_a_quotation(extract):
    text = ("The timing does not surprise the pollster Daron Shaw: \u201cLesser-known candidates have seen "
            "the biggest boost.\u201d")
    claim = only(extract(text))
    assert (claim["speaker"], claim["cue"], claim["kind"]) == ("Daron Shaw", ":", "direct")
    claim = only(extract('Rep. Trey Gowdy (R-S.C.): "I have not heard anyone other than you cite that figure."'))
    assert claim["speaker"] == "Trey Gowdy"
    # a colon after a name that opens no quotation is no attribution
    assert [c["cue"] for c in extract("He met Tom Hale: they talked for an hour about the plan.")] == []


def test_a_transcripts_labels_speak_as_the_article_names_them(extract):
    text = ("CNN's Jake Tapper spoke to the governor on Sunday.\n\n"
            "TAPPER: And obviously, you are supporting Donald Trump in this race.\n\n"
            "Q: Did the service take care of you?\n\nA: No, no one did. No one checked up on me at all.")
    claims = extract(text)
    assert [(c["speaker"], c["speaker_mention"], c["quote"]) for c in claims] == [
        ("Jake Tapper", "TAPPER", "And obviously, you are supporting Donald Trump in this race")]


def test_a_quotation_after_anothers_short_attributed_words_is_theirs(extract):
    # "The bullying" is too short to be a claim, but Wallace has come in: the quotation after is his
    text = ('Romney listed his qualities. "He is a fraud and a phony and a bully," Romney said.\n\n'
            '"The bullying," Fox\'s Chris Wallace said, as the crowd cheered. '
            '"The greed. The showing off. The misogyny."')
    claims = extract(text)
    assert [(c["speaker"], c["cue"]) for c in claims] == [("Romney", "said"), ("Chris Wallace", "said")]
