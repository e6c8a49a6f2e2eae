"""Articles in, database out: readers (sources), the spaCy model (model), batching and worker
processes (pipeline), the database (store, counts), the Python API (api) and the `newsclaims`
command (cli).

Only the defaults live here, so that `newsclaims --help` and the option defaults need no spaCy.
"""

import os

DEFAULT_MODEL = "en_core_web_sm"
DEFAULT_BATCH_SIZE = 64  # articles per spaCy batch and per database transaction


def default_workers() -> int:
    """One parser process per core, up to four (beyond that the writer becomes the bottleneck)."""
    return max(1, min(4, os.cpu_count() or 1))
