"""Speakers an article refers back to: "the company", "the bank", "a Texaco spokesman"; organisation
names without their legal form; names cleaned of wire-copy debris."""

import sqlite3

from datasette_newsclaims.extract.speakers import clean_name

from .conftest import load


def by_mention(claims):
    return {c["speaker_mention"]: c for c in claims}


def test_the_company_is_the_company_the_article_is_about(extract):
    text = ("Texaco Inc said on Monday it would cut crude oil prices by 50 cents a barrel. "
            "The company said the cut was effective immediately.")
    claims = by_mention(extract(text))
    assert claims["Texaco Inc"]["speaker"] == "Texaco"
    company = claims["The company"]
    assert company["speaker"] == "Texaco" and company["speaker_kind"] == "organisation"
    assert text[company["speaker_start"]:company["speaker_end"]] == "The company"


def test_the_company_is_not_a_lender_the_article_only_mentions(extract):
    text = ("Kapok Corp said it was in technical default on its loans from Southeast Banking Corp. "
            "The company said talks with its lenders would continue next week.")
    claims = by_mention(extract(text))
    assert claims["The company"]["speaker"] == "Kapok"


def test_the_company_is_never_a_public_body(extract):
    text = ("The Commerce Department said on Tuesday that exports rose sharply in March. "
            "The company said profits fell.")
    claims = by_mention(extract(text))
    assert claims["The Commerce Department"]["speaker"] == "Commerce Department"
    assert claims["The company"]["speaker"] == "company"
    assert claims["The company"]["speaker_kind"] == "unnamed"


def test_indefinite_or_contrasted_descriptions_stay_unresolved(extract):
    text = ("Texaco Inc said on Monday it would cut prices. A company said it would hire 200 workers. "
            "The other company said it would not follow.")
    claims = by_mention(extract(text))
    assert claims["A company"]["speaker"] == "company"
    assert claims["The other company"]["speaker"] != "Texaco"


def test_the_bank_is_the_bank_named_earlier(extract):
    text = ("The Bank of Japan will intervene if the yen rises further, dealers said. "
            "The bank said it was watching markets closely.")
    claims = by_mention(extract(text))
    assert claims["The bank"]["speaker"] == "Bank of Japan"
    assert claims["dealers"]["speaker"] == "dealers"


def test_a_spokesman_speaks_for_the_organisation(extract):
    text = ("Texaco Inc said on Monday it would cut crude oil prices. A Texaco spokesman said more cuts were "
            "possible. A company spokesman said demand was weak. A spokesman for Mobil Corp said Mobil would wait.")
    claims = by_mention(extract(text))
    for mention in ("A Texaco spokesman", "A company spokesman"):
        assert claims[mention]["speaker"] == "Texaco", mention
        assert claims[mention]["speaker_role"] == "spokesman", mention
    assert claims["A spokesman for Mobil Corp"]["speaker"] == "Mobil"


def test_legal_forms_are_dropped_from_organisation_names_only():
    assert clean_name("Texaco Inc", organisation=True) == "Texaco"
    assert clean_name("General Motors Corp.", organisation=True) == "General Motors"
    assert clean_name("Morgan Stanley & Co", organisation=True) == "Morgan Stanley"
    assert clean_name("Siemens AG", organisation=True) == "Siemens"
    assert clean_name("Inc", organisation=True) == "Inc"  # nothing left: kept as it is
    assert clean_name("British Broadcasting Corporation", organisation=True) == "British Broadcasting Corporation"
    assert clean_name("Jim Co") == "Jim Co"  # a person's name is never cut


def test_names_are_cleaned_of_wire_copy_debris():
    assert clean_name("NCR Corp <NCR>", organisation=True) == "NCR"
    assert clean_name("Benetton Group SpA <BTOM.MI", organisation=True) == "Benetton Group"
    assert clean_name("COMPONENTS\n\nMicrosemi Corp", organisation=True) == "Microsemi"
    assert clean_name("a company spokesman", indefinite=True) == "company spokesman"
    assert clean_name("a company spokesman") == "a company spokesman"


def test_descriptions_are_not_stored_as_aliases(tmp_path):
    src = tmp_path / "texaco.txt"
    src.write_text("Texaco Inc said on Monday it would cut crude oil prices by 50 cents a barrel. "
                   "The company said the cut was effective immediately. A Texaco spokesman said more cuts "
                   "were possible.", "utf-8")
    db = tmp_path / "news.db"
    assert load(db, src).exit_code == 0
    conn = sqlite3.connect(db)
    aliases = {a for (a,) in conn.execute("select alias from speaker_aliases where speaker_id = 'texaco'")}
    assert "Texaco Inc" in aliases and "Texaco" in aliases
    assert not aliases & {"The company", "A Texaco spokesman"}
    assert conn.execute("select count(*) from claims where speaker_id = 'texaco'").fetchone()[0] == 3
    assert conn.execute("select count(*) from speakers where id in ('company', 'texaco-inc')").fetchone()[0] == 0
