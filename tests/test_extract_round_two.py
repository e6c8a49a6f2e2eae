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


def test_a_sentence_opening_adverb_is_not_the_speaker(extract):
    claim = only(extract("Still, Okafor said the deal was fair."))
    assert claim["speaker"] == "Okafor" and claim["quote"] == "the deal was fair"
