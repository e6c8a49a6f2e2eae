"""More claim behaviour on short texts: speakers, targets, dates, topics, quote forms."""

import json

from click.testing import CliRunner

from datasette_newsclaims.cli import cli


def only(claims):
    assert len(claims) == 1, claims
    return claims[0]


def test_multi_sentence_quote_is_one_claim(extract):
    text = '"Prices went up. Wages did not. That is the problem," said Ana Silva.'
    claim = only(extract(text))
    assert claim["quote"] == "Prices went up. Wages did not. That is the problem"


def test_quote_inside_a_quote(extract):
    text = "“He told me ‘never again’ and I believed him,” Maria Lopez said."
    claim = only(extract(text))
    assert claim["quote"] == "He told me ‘never again’ and I believed him" and claim["speaker"] == "Maria Lopez"


def test_they_resolves_to_an_organisation(extract):
    text = ("The United Auto Workers met on Monday. They said that the strike would continue.")
    claim = only(extract(text, "2023-09-20"))
    assert claim["speaker"] == "United Auto Workers" and claim["speaker_mention"] == "They"


def test_places_and_institutions_speak(extract):
    text = "The White House said the sanctions would stay. Moscow warned that it would respond."
    claims = extract(text)
    assert [c["speaker"] for c in claims] == ["White House", "Moscow"]
    assert [c["speaker_kind"] for c in claims] == ["organisation", "place"]


def test_the_ministry_is_the_ministry_named_earlier(extract):
    text = ("Officials from the Foreign Ministry met the envoy. "
            "The ministry said the talks were constructive.")
    claim = only(extract(text))
    assert claim["speaker"] == "Foreign Ministry" and claim["speaker_mention"] == "The ministry"


def test_warned_x_takes_x_as_target(extract):
    claim = only(extract("Germany warned Russia that new sanctions were ready."))
    assert claim["target"] == "Russia" and claim["quote"] == "new sanctions were ready"


def test_accused_x_of_y(extract):
    claim = only(extract("The senator accused the agency of hiding the report."))
    assert claim["target"] == "agency" and claim["quote"] == "hiding the report" and claim["cue"] == "accused"


def test_criticized_x_for_y(extract):
    claim = only(extract("Mayor Jane Fox criticized the utility for raising prices again."))
    assert claim["target"] == "utility" and claim["quote"] == "raising prices again"


def test_in_a_letter_to_x(extract):
    claim = only(extract("In a letter to Congress, the governor wrote that the funds had run out."))
    assert claim["target"] == "Congress" and claim["quote"] == "the funds had run out"


def test_no_target_when_none_is_named(extract):
    claim = only(extract("Jane Fox said the plant would close."))
    assert claim["target"] is None


def test_last_friday_and_march_3(extract):
    text = "Jane Fox said last Friday that the plant would close. Tom Hale said on March 3 that it would not."
    claims = extract(text, "2023-05-10")
    assert [c["date"] for c in claims] == ["2023-05-05", "2023-03-03"]
    assert [c["date_phrase"] for c in claims] == ["last Friday", "on March 3"]


def test_vague_time_gives_no_date(extract):
    claim = only(extract("Jane Fox said last year that the plant would close.", "2023-05-10"))
    assert claim["date"] is None


def test_topics_come_from_entities_and_the_lexicon(extract):
    claim = only(extract("Jane Fox said that NATO must cut carbon emissions before the Paris summit."))
    assert "NATO" in claim["topics"] and "climate" in claim["topics"]


def test_topic_lexicon_can_be_replaced(tmp_path):
    lexicon = tmp_path / "topics.json"
    lexicon.write_text(json.dumps({"bridges": ["bridge", "bridges"]}), "utf-8")
    src = tmp_path / "a.txt"
    src.write_text("Jane Fox said the bridge and the carbon tax would both be delayed.", "utf-8")
    result = CliRunner().invoke(cli, ["extract", str(src), "--topics", str(lexicon)])
    (record,) = [json.loads(line) for line in result.output.splitlines()]
    topics = record["claims"][0]["topics"]
    assert "bridges" in topics and "climate" not in topics


def test_a_broken_topic_lexicon_is_named(tmp_path):
    lexicon = tmp_path / "topics.json"
    lexicon.write_text('{"bridges": "bridge"}', "utf-8")
    result = CliRunner().invoke(cli, ["extract", "-", "--topics", str(lexicon)], input="Text.")
    assert result.exit_code == 1 and str(lexicon) in result.output and "list of strings" in result.output


def test_facts_need_a_quantity_or_a_day(nlp, extractor):
    doc = nlp("Unemployment fell to 3.4% in January. The weather was pleasant. "
              "The council will vote on Thursday.")
    facts = extractor(doc, "2023-02-05").facts
    assert [f.text for f in facts] == ["Unemployment fell to 3.4% in January",
                                       "The council will vote on Thursday"]
    assert facts[0].value == "3.4%" and facts[1].date == "2023-02-09"


def test_poll_respondents_speak_but_clock_times_do_not(extract):
    claim = only(extract("In the survey, 47 percent said they would vote for the mayor again."))
    assert claim["speaker"] == "47 percent"
    claims = extract("12:15 p.m.\n\nRepublican hopefuls said the governor had not been tested.")
    assert [c["speaker"] for c in claims] == ["Republican hopefuls"]


def test_a_date_right_after_the_cue_is_when_it_was_said_not_part_of_the_statement(extract):
    claim = only(extract("Texaco Inc said on Monday it would cut crude oil prices by 50 cents a barrel.",
                         "2024-03-07"))
    assert claim["quote"] == "it would cut crude oil prices by 50 cents a barrel"
    assert claim["date"] == "2024-03-04"
    claim = only(extract("Smith said yesterday afternoon that the plan was dead.", "2024-03-07"))
    assert claim["quote"] == "the plan was dead" and claim["date"] == "2024-03-06"


def test_a_date_inside_the_statement_stays_there(extract):
    claim = only(extract("Smith said on Friday he would resign on Monday.", "2024-03-07"))
    assert claim["quote"] == "he would resign on Monday"
    assert claim["date"] == "2024-03-01"  # said on Friday; Monday is what he said
    claim = only(extract("The minister said the vote would take place on Monday.", "2024-03-07"))
    assert claim["quote"] == "the vote would take place on Monday" and claim["date"] is None


def test_a_failing_rule_fails_one_article_and_verbose_shows_its_traceback(tmp_path, monkeypatch):
    from datasette_newsclaims.extract import rules

    def broken(self, cue):
        if "plant" in cue.sent.text:
            raise RuntimeError("rule tripped")
        return original(self, cue)

    original = rules.Complement.find
    monkeypatch.setattr(rules.Complement, "find", broken)
    src = tmp_path / "two.jsonl"
    src.write_text('{"id": "a", "text": "Jane Fox said that the plant would close in March."}\n'
                   '{"id": "b", "text": "Tom Hale said that the budget was balanced."}\n', "utf-8")
    quiet = CliRunner().invoke(cli, ["load", str(tmp_path / "q.db"), str(src), "--workers", "1"])
    assert quiet.exit_code == 1
    assert f"{src}:1: extraction failed: RuntimeError: rule tripped" in quiet.output
    assert "1 article loaded" in quiet.output and "Traceback" not in quiet.output
    loud = CliRunner().invoke(cli, ["load", str(tmp_path / "v.db"), str(src), "--workers", "1", "--verbose"])
    assert loud.exit_code == 1 and "Traceback (most recent call last)" in loud.output
    assert "in broken" in loud.output and "RuntimeError: rule tripped" in loud.output


FURNISHED = (
    "The finance minister Ana Silva said on Monday that the plan would cut hospital waiting times by half.\n\n"
    "READ MORE: Minister slams rival over budget leak\n\n"
    '"We will not raise taxes this year," Silva told reporters.\n\n'
    "Story continues below advertisement\n\n"
    '"The budget is balanced for the first time in a decade and it will stay balanced."\n\n'
    "Article Continued Below\n\n"
    "Share this article\n\n"
    "Tom Hale said the figures did not add up and called for an inquiry into the budget.")


def test_page_furniture_gives_no_speaker_cue_quote_or_fact(extract):
    claims = extract(FURNISHED, "2023-05-10")
    speakers = {c["speaker"] for c in claims}
    assert {"Ana Silva", "Tom Hale"} <= speakers
    assert not speakers & {"Minister", "Story", "Article", "rival"}
    assert not any(c["cue"] in ("slams", "continues", "Continued") for c in claims)
    for claim in claims:
        assert "READ MORE" not in claim["quote"] and "advertisement" not in claim["quote"]
    balanced = [c for c in claims if c["quote"].startswith("The budget is balanced")]
    assert balanced and balanced[0]["speaker"] == "Ana Silva"  # the continuation past the furniture line


def test_a_teaser_for_another_story_is_no_claim_even_with_its_attribution(extract):
    text = ('Jane Fox said that the plant would close in March.\n\n'
            'WATCH: "We are closing the plant for good and moving the jobs abroad," the manager says\n\n'
            'Workers said they had not been told.')
    claims = extract(text)
    assert not any("closing the plant for good" in c["quote"] for c in claims)
    assert {c["speaker"] for c in claims} >= {"Jane Fox"} and "manager" not in {c["speaker"] for c in claims}


def test_photo_credits_and_timestamps_name_no_one_and_say_nothing(extract):
    text = ("Photo: Jane Fox / Reuters\n\nUpdated 10:32 AM EST, Tue March 12, 2024\n\n"
            "Jane Fox said the plant would close in June.")
    claim = next(c for c in extract(text, "2024-03-12"))
    assert claim["speaker"] == "Jane Fox"  # not "Jane Fox / Reuters", the credit line's name
    assert only_quotes(extract(text, "2024-03-12")) == ["the plant would close in June"]
    # a sentence that starts like a timestamp is still a sentence
    assert only_quotes(extract("Published on Monday, the report said prices would rise.")) == ["prices would rise"]


def only_quotes(claims):
    return [c["quote"] for c in claims]
