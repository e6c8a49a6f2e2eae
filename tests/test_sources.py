import io
import json

import pytest

from datasette_newsclaims.loader.sources import Article, ReadError, content_id, derive_title, read_paths, read_stream

from .conftest import SEED


def articles_and_errors(*paths, stdin=None):
    items = list(read_paths([str(p) for p in paths], stdin=stdin))
    return ([i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, ReadError)])


def test_seed_format_gives_date_and_keeps_text_unchanged():
    (article,), errors = articles_and_errors(SEED)
    assert errors == []
    assert article.published == "2021-11-14"
    assert article.text.startswith("Ahead of the virtual summit between Chinese President Xi Jinping")
    assert "date 2021" not in article.text
    assert article.text == SEED.read_text("utf-8")[len(" date 2021-11-14 "):]
    assert article.title.startswith("Ahead of the virtual summit")
    assert len(article.title) <= 91 and article.title.endswith("…")


def test_plain_text_has_no_date_and_a_content_id(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("The mayor said the bridge will reopen. More text follows here.", "utf-8")
    (article,), _ = articles_and_errors(path)
    assert article.published is None
    assert article.title == "The mayor said the bridge will reopen."
    assert article.id == content_id(article.text) and len(article.id) == 16


def test_same_text_gives_same_id_and_different_text_a_different_one():
    assert content_id("a text") == content_id("a text")
    assert content_id("a text") != content_id("a text.")


def test_jsonl_reads_fields_ignores_others_and_names_bad_lines(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "a1", "text": "First story.", "title": "One", "date": "2020-02-03",
                    "url": "https://example.org/1", "source": "wire", "category": "ignored"}),
        "{not json",
        json.dumps({"id": "a3", "title": "no text"}),
        json.dumps({"id": "a4", "text": "Fourth story.", "date": "2021-13-45"}),
        "",
        json.dumps({"text": "Story without id."}),
    ]), "utf-8")
    articles, errors = articles_and_errors(path)
    assert [a.id for a in articles] == ["a1", content_id("Story without id.")]
    first = articles[0]
    assert (first.title, first.published, first.url, first.source) == (
        "One", "2020-02-03", "https://example.org/1", "wire")
    assert [e.origin for e in errors] == [f"{path}:2", f"{path}:3", f"{path}:4"]
    assert "invalid JSON" in errors[0].reason
    assert "has no text" in errors[1].reason
    assert "2021-13-45" in errors[2].reason


def test_json_array(tmp_path):
    path = tmp_path / "news.json"
    path.write_text(json.dumps([{"id": "x", "text": "One."}, {"id": "y", "text": "Two."}]), "utf-8")
    articles, errors = articles_and_errors(path)
    assert [a.id for a in articles] == ["x", "y"] and errors == []


def test_csv_with_the_same_columns_and_line_numbers(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text('id,title,date,text\nc1,Hello,2019-05-06,"A story, with a comma\nand a newline."\nc2,Empty,,\n',
                    "utf-8")
    articles, errors = articles_and_errors(path)
    assert len(articles) == 1
    assert articles[0].text == "A story, with a comma\nand a newline."
    assert articles[0].published == "2019-05-06"
    assert errors[0].origin == f"{path}:4" and "has no text" in errors[0].reason


def test_folders_are_read_recursively_and_unknown_files_in_them_skipped(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("One story here.", "utf-8")
    (tmp_path / "a" / "b" / "two.txt").write_text("Two story here.", "utf-8")
    (tmp_path / "a" / "b" / "image.png").write_bytes(b"\x89PNG\x00\x00")
    articles, errors = articles_and_errors(tmp_path / "a")
    assert sorted(a.text for a in articles) == ["One story here.", "Two story here."]
    assert errors == []


@pytest.mark.parametrize("name,content,reason", [
    ("empty.txt", b"   \n", "empty file"),
    ("binary.txt", b"\x00\x01\x02abc", "binary"),
    ("latin1.txt", "caf\xe9 au lait".encode("latin-1"), "not valid UTF-8"),
    ("notes.docx", b"whatever", "unknown extension"),
    ("baddate.txt", b"date 2021-13-45 Text of the article.", "impossible date"),
])
def test_bad_files_are_named_with_a_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    articles, errors = articles_and_errors(path)
    assert articles == []
    assert len(errors) == 1 and str(path) in str(errors[0]) and reason in errors[0].reason


def test_missing_path_is_an_error():
    articles, errors = articles_and_errors("/nonexistent/file.txt")
    assert articles == [] and "no such file" in errors[0].reason


def test_stdin_text_and_jsonl():
    (article,) = list(read_stream(io.StringIO("date 2022-01-02\nThe minister said yes."), "<stdin>"))
    assert article.published == "2022-01-02" and article.text == "The minister said yes."
    items = list(read_stream(io.StringIO('{"id": "s1", "text": "One."}\n{"id": "s2", "text": "Two."}\n'), "<stdin>"))
    assert [a.id for a in items] == ["s1", "s2"]


def test_derived_title_is_the_first_sentence_shortened():
    assert derive_title("Short one. Second sentence.") == "Short one."
    long = "word " * 40
    title = derive_title(long)
    assert len(title) <= 91 and title.endswith("…") and " wor…" not in title
