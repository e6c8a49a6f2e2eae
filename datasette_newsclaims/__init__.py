"""datasette-newsclaims: who said what, to whom and when, in news articles.

The parts: `extract` (the `newsclaims` spaCy component), `loader` (sources, pipeline, store, the
`newsclaims` command), `web` (the Datasette plugin) and `api`, the Python API the command calls:

    from datasette_newsclaims.api import load, extract
    report = load("news.db", ["articles.jsonl"])        # -> LoadReport
    for result in extract(["articles.jsonl"]):          # -> ArticleResult or ReadError, in input order
        ...

Importing this package imports neither Datasette nor spaCy.
"""
