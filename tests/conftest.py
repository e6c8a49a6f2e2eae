import pathlib

import pytest
from click.testing import CliRunner

from datasette_newsclaims.cli import cli
from datasette_newsclaims.extract import Extractor
from datasette_newsclaims.loader import model, pipeline

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_0d0119a68e08a160.txt"


@pytest.fixture(scope="session")
def nlp():
    return model.load_model()


@pytest.fixture(scope="session")
def extractor(nlp):
    return Extractor(nlp)


@pytest.fixture(scope="session")
def extract(nlp, extractor):
    """Extract from a short text written for a test: extract(text, date=None) -> list of claim dicts."""
    def run(text, published=None):
        doc = next(pipeline.parse(nlp, [text], 1))  # as `load` parses: paragraph by paragraph
        return extractor(doc, published).claims_as_dicts()
    return run


@pytest.fixture(scope="session")
def seed_text():
    raw = SEED.read_text("utf-8")
    return raw[raw.index("2021-11-14") + len("2021-11-14 "):]


def load(db_path, *args, input=None):
    """Run `newsclaims load DB ARGS...` in-process and return click's Result."""
    return CliRunner().invoke(cli, ["load", str(db_path), *map(str, args)], input=input, catch_exceptions=False)


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("seed") / "news.db"
    result = load(path, ROOT / "seeds")
    assert result.exit_code == 0, result.output
    return path


def build_news_db(directory: pathlib.Path) -> pathlib.Path:
    """news.db in `directory`: the seed article, the articles of fixtures.py and the hostile one."""
    import json

    from .fixtures import ARTICLES, HOSTILE

    path = directory / "news.db"
    src = directory / "articles.jsonl"
    src.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES + [HOSTILE]), "utf-8")
    result = load(path, ROOT / "seeds", src)
    assert result.exit_code == 0, result.output
    return path
