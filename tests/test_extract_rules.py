"""Claim rules on short texts written for the purpose: what must be found, and what must not."""

import pytest


def only(claims):
    assert len(claims) == 1, claims
    return claims[0]


def test_direct_quote_with_cue_after(extract):
    text = '"We will not raise taxes this year," Governor Maria Lopez said on Monday.'
    claim = only(extract(text, "2023-05-10"))
    assert claim["quote"] == "We will not raise taxes this year"
    assert claim["kind"] == "direct"
    assert claim["speaker"] == "Maria Lopez" and claim["speaker_role"] == "Governor"
    assert claim["date"] == "2023-05-08" and claim["date_phrase"] == "on Monday"
    assert text[claim["start"]:claim["end"]] == claim["quote"]


def test_curly_quotes_and_inverted_cue(extract):
    text = "“The budget is balanced for the first time,” said Tom Hale, the city treasurer."
    claim = only(extract(text))
    assert claim["quote"] == "The budget is balanced for the first time"
    assert claim["speaker"] == "Tom Hale"
    assert claim["speaker_role"] == "city treasurer"


def test_cue_before_colon_and_quote(extract):
    text = 'The senator said: "This bill protects every family in the state."'
    claim = only(extract(text))
    assert claim["quote"] == "This bill protects every family in the state"
    assert claim["kind"] == "direct"


def test_indirect_speech_with_that(extract):
    claim = only(extract("Jane Fox said that the plant would close in March."))
    assert claim["quote"] == "the plant would close in March"
    assert claim["kind"] == "indirect" and claim["cue"] == "said" and claim["speaker"] == "Jane Fox"


def test_mixed_quote_keeps_the_whole_clause(extract):
    claim = only(extract('Lee argued that the plan was "a disaster waiting to happen" for farmers.'))
    assert claim["kind"] == "mixed"
    assert claim["quote"] == 'the plan was "a disaster waiting to happen" for farmers'


def test_directive_with_target(extract):
    claim = only(extract("The mayor urged residents to leave the coast before the storm."))
    assert claim["cue"] == "urged" and claim["target"] == "residents"
    assert claim["quote"] == "to leave the coast before the storm"


def test_called_on_takes_the_target_from_the_preposition(extract):
    claim = only(extract("France called on Germany to reopen the border."))
    assert claim["speaker"] == "France" and claim["target"] == "Germany" and claim["cue"] == "called on"


def test_told_reporters_is_the_venue_not_the_target(extract):
    claim = only(extract("Prime Minister Ana Silva told reporters that the talks had failed."))
    assert (claim["venue"], claim["target"], claim["speaker"]) == ("reporters", None, "Ana Silva")


def test_according_to(extract):
    claim = only(extract("The factory will cut 200 jobs, according to the union."))
    assert claim["cue"] == "according to" and claim["speaker"] == "union"
    assert claim["quote"] == "The factory will cut 200 jobs"


def test_pronoun_resolves_to_the_last_named_person(extract):
    text = ("Maria Lopez visited the port on Tuesday. She said that exports had doubled since 2020.")
    claim = only(extract(text))
    assert claim["speaker"] == "Maria Lopez" and claim["speaker_mention"] == "She"


def test_surname_resolves_to_the_full_name(extract):
    text = ("Finance Minister Karl Brandt met bankers in Berlin. "
            "Brandt said the banks were well capitalised.")
    claim = only(extract(text))
    assert claim["speaker"] == "Karl Brandt" and claim["speaker_mention"] == "Brandt"


def test_aside_between_speaker_and_cue_is_not_part_of_the_mention(extract):
    text = "Peter Smith, who replaced John Jones in July, said the company would expand."
    claim = only(extract(text))
    assert claim["speaker"] == "Peter Smith" and claim["speaker_mention"] == "Peter Smith"


def test_said_in_a_statement(extract):
    claim = only(extract("The ministry said in a statement that the vaccine was safe."))
    assert claim["quote"] == "the vaccine was safe"


def test_beliefs_and_plans_are_not_claims(extract):
    assert extract("The company wants to open a new factory. Ms. Green plans to run for office. "
                   "He believes the economy will grow. They hope that prices fall.") == []


def test_quote_continues_in_next_paragraph_with_the_same_speaker(extract):
    text = ('"We are ready to negotiate," the union leader Sam Ortiz said.\n\n'
            '"But we will not accept cuts to pensions for our members."')
    claims = extract(text)
    assert [c["speaker"] for c in claims] == ["Sam Ortiz", "Sam Ortiz"]
    assert claims[1]["quote"] == "But we will not accept cuts to pensions for our members"
    assert claims[1]["pattern"] == "continuation"


def test_a_quote_far_from_any_attribution_is_not_given_a_speaker(extract):
    text = ('"We are ready," Sam Ortiz said.\n\nThe talks resumed.\n\nMarkets rose.\n\n'
            'Officials met again.\n\n"Nobody expected the deal to hold this long at all."')
    claims = extract(text)
    assert [c["quote"] for c in claims] == ["We are ready"]


def test_stray_quotation_mark_does_not_lose_the_article(extract):
    text = ('The report called the plan "bold.\n\n'
            '"We will build the road by 2025," the mayor said. Jane Fox said the road was too expensive.')
    claims = extract(text)
    quotes = [c["quote"] for c in claims]
    assert "We will build the road by 2025" in quotes
    assert "the road was too expensive" in quotes


def test_scare_quotes_are_not_claims(extract):
    assert extract('The so-called "peace plan" was published on Monday.') == []


def test_quoted_speech_inside_a_quote_is_not_a_separate_speaker(extract):
    text = '"My father always said we should save money," Anna Berg said.'
    claim = only(extract(text))
    assert claim["speaker"] == "Anna Berg"


def test_no_date_when_the_text_gives_none(extract):
    claim = only(extract("Jane Fox said the plant would close.", "2023-05-10"))
    assert claim["date"] is None and claim["date_phrase"] is None


def test_yesterday_resolves_against_the_article_date(extract):
    claim = only(extract("Jane Fox said yesterday that the plant would close.", "2023-05-10"))
    assert claim["date"] == "2023-05-09"


def test_offsets_point_into_the_text_as_given(extract):
    text = "  Intro line.\n\n“Prices will fall soon,” Jane Fox said.\n"
    claim = only(extract(text))
    assert text[claim["start"]:claim["end"]] == claim["quote"]
    assert text[claim["speaker_start"]:claim["speaker_end"]] == claim["speaker_mention"]


@pytest.mark.parametrize("text", [
    "", " ", '"', '""', '" " "', "“”‘’", "said said said", "He said.", "\x00\x01 control", "a" * 5000,
    '"unclosed quote and more text, he said', 'x "' * 200,
])
def test_odd_text_never_crashes(extract, text):
    claims = extract(text)
    for c in claims:
        assert text[c["start"]:c["end"]] == c["quote"]


def test_quotation_split_by_its_attribution_is_one_claim_with_two_segments(extract):
    text = '"We are ready to talk," Sam Ortiz said, "but we will not give up our pensions."'
    claim = only(extract(text))
    assert claim["segments"] == [[1, 21], [text.index("but"), text.index("pensions") + len("pensions")]]
    assert claim["quote"].startswith("We are ready to talk") and claim["quote"].endswith("our pensions")
    assert text[claim["start"]:claim["end"]] == claim["quote"]


def test_quotation_continued_after_the_attribution_sentence_joins_the_claim(extract):
    text = '"We are ready to talk," Sam Ortiz said. "But we will not give up our pensions."'
    claim = only(extract(text))
    assert len(claim["segments"]) == 2 and claim["speaker"] == "Sam Ortiz"


def test_bare_attribution_after_a_closed_quotation(extract):
    text = '“I hope you are able to find the missing emails.” Trump said.'
    claim = only(extract(text))
    assert claim["quote"] == "I hope you are able to find the missing emails" and claim["speaker"] == "Trump"


def test_called_y_z_is_a_claim_about_y(extract):
    claim = only(extract("Senator Lee called the tax plan a gift to the rich."))
    assert claim["quote"] == "a gift to the rich" and claim["target"] == "tax plan"
    assert extract("The chairman called a meeting for Friday.") == []


def test_headline_colon_names_the_speaker(extract):
    claim = only(extract("Bernie Sanders: I Am Not Much Of A Socialist\n\nThe senator spoke in Iowa."))
    assert claim["speaker"] == "Bernie Sanders" and claim["quote"] == "I Am Not Much Of A Socialist"
    assert all(c["quote"] != "11:40 am" for c in extract("11:40 am: Police announce a road closure downtown."))


def test_dateline_is_not_part_of_the_statement(extract):
    text = "WASHINGTON (AP) — The economy grew by 3 percent last year, the Commerce Department said."
    claim = only(extract(text))
    assert claim["quote"] == "The economy grew by 3 percent last year"


def test_statement_never_runs_into_the_next_paragraph(extract):
    text = "Jane Fox said the plant would close\n\nand other news followed in a new paragraph."
    claim = only(extract(text))
    assert "\n" not in claim["quote"] and claim["quote"] == "the plant would close"
