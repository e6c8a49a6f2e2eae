"""datasette-newsclaims: who said what, to whom and when, in news articles.

The Python API, for scripts and notebooks (the `newsclaims` command calls the same functions):

    import datasette_newsclaims as nc
    report = nc.load("news.db", ["articles.jsonl"])      # -> LoadReport
    for result in nc.extract(["articles.jsonl"]):        # -> ArticleResult, in input order
        print(result.article.id, len(result.extraction.claims))

The parts are `extract` (the `newsclaims` spaCy component), `loader` (sources, pipeline, store)
and `web` (the Datasette plugin). Importing this package imports neither Datasette nor spaCy:
the API is loaded on first use.
"""

__all__ = ["load", "extract", "LoadReport", "ArticleResult", "ReadError", "LoadError"]


def __getattr__(name):
    if name in __all__:
        from .loader import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
