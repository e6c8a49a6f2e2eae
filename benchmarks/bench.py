"""Throughput, memory and page-latency benchmarks for datasette-newsclaims.

    python benchmarks/bench.py ../shared/corpus/articles.jsonl --out benchmarks/REPORT.md

Runs, side by side and in one go:

1. loader throughput against raw `nlp.pipe` of the same model on the same texts:
   raw single process, raw with 2 processes, `newsclaims load --workers 1` and `--workers 2`;
2. peak memory (all processes of the load together) for two corpus sizes;
3. page latency (median, p95) of every plugin page and JSON twin, Datasette's claims table API
   with facets, and search, on a database of at least a million claims, built by loading the
   corpus and copying its rows under new ids; then again while a load writes to the same file;
4. reading web pages: the throughput articles saved as news pages (navigation, teasers, share
   buttons, footers around them), read and cleaned against parsing their text; how often the text
   read is exactly the article's; and the peak memory of streaming WARC archives of two sizes.

The corpus is read from the path given and never copied into the project.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWSCLAIMS = [sys.executable, "-m", "datasette_newsclaims.cli"]
RAW_PIPE = """
import json, sys, time
from datasette_newsclaims.loader import model
nlp = model.load_stock()  # the model exactly as installed
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64, n_process=int(sys.argv[2])))
print(json.dumps({"tokens": tokens}))
"""


# -- helpers ------------------------------------------------------------------------------------

def subset(corpus: Path, n: int, workdir: Path, seed: int = 13) -> Path:
    """The first n articles of a fixed shuffle of the corpus (both sources mixed)."""
    path = workdir / f"subset-{n}.jsonl"
    if not path.exists():
        lines = [line for line in corpus.read_text("utf-8").splitlines() if line.strip()]
        random.Random(seed).shuffle(lines)
        path.write_text("\n".join(lines[:n]) + "\n", "utf-8")
    return path


def tree_rss_kb(pid: int) -> int:
    """Proportional resident memory (PSS) of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):  # shared pages (a forked worker's model) counted once
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run_measured(cmd: list[str], interval: float = 0.2) -> dict:
    """Run a command; wall time, peak memory of its process tree (sampled every `interval` seconds: reading
    /proc/PID/smaps_rollup of big processes costs the kernel time, more for more processes), and its
    stdout/stderr."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, text=True)
    peak = 0
    samples = []

    def sample():
        nonlocal peak
        while process.poll() is None:
            rss = tree_rss_kb(process.pid)
            peak = max(peak, rss)
            samples.append(rss)
            time.sleep(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    sampler.join()
    elapsed = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err[-3000:]}")
    return {"seconds": elapsed, "peak_mb": peak / 1024, "stdout": out, "stderr": err}


def count_tokens(path: Path) -> int:
    result = run_measured([sys.executable, "-c", RAW_PIPE, str(path), "1"])
    return json.loads(result["stdout"].strip().splitlines()[-1])["tokens"]


# -- 1. throughput ------------------------------------------------------------------------------

def throughput(corpus: Path, n: int, workdir: Path) -> dict:
    texts = subset(corpus, n, workdir)
    rows = {}
    for label, procs in (("raw nlp.pipe, 1 process", "1"), ("raw nlp.pipe, n_process=2", "2")):
        r = run_measured([sys.executable, "-c", RAW_PIPE, str(texts), procs], interval=1.0)
        r["tokens"] = json.loads(r["stdout"].strip().splitlines()[-1])["tokens"]
        rows[label] = r
        print(f"  {label}: {r['seconds']:.1f} s", flush=True)
    tokens = rows["raw nlp.pipe, 1 process"]["tokens"]
    runs = [("--workers", "1"), ("--workers", "2")]
    if importlib.util.find_spec("distributed"):  # the [dask] extra: the same load on a LocalCluster
        runs.append(("--scheduler", "local:2"))
    for option, value in runs:
        db = workdir / f"throughput-{value.replace(':', '')}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        # sampled once a second: throughput, not memory, is measured here (the memory section samples finely)
        r = run_measured(NEWSCLAIMS + ["load", str(db), str(texts), option, value], interval=1.0)
        r["tokens"] = tokens
        rows[f"newsclaims load {option} {value}"] = r
        print(f"  load {option} {value}: {r['seconds']:.1f} s", flush=True)
    base = rows["raw nlp.pipe, 1 process"]["seconds"]
    for r in rows.values():
        r.pop("stdout", None)
        r.pop("stderr", None)
        r["articles_per_s"] = n / r["seconds"]
        r["tokens_per_s"] = r["tokens"] / r["seconds"]
        r["vs_raw"] = base / r["seconds"]
    return {"articles": n, "tokens": tokens, "rows": rows}


# -- 2. memory ----------------------------------------------------------------------------------

def memory(corpus: Path, sizes: list[int], workdir: Path, workers: int) -> dict:
    out = {}
    for n in sizes:
        texts = subset(corpus, n, workdir)
        db = workdir / f"memory-{n}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        r = run_measured(NEWSCLAIMS + ["load", str(db), str(texts), "--workers", str(workers)])
        summary = [line for line in r["stderr"].splitlines() if " loaded (" in line]
        out[n] = {"peak_mb": r["peak_mb"], "seconds": r["seconds"], "db": str(db),
                  "summary": summary[-1] if summary else ""}
        print(f"  {n} articles: peak {r['peak_mb']:.0f} MB in {r['seconds']:.0f} s", flush=True)
    return out


# -- 3. a big database and page latency ---------------------------------------------------------

def source_database(corpus: Path, workdir: Path, n: int, workers: int) -> Path:
    """The memory section's n-article load, loaded here when that section has not run in this workdir."""
    source = workdir / f"memory-{n}.db"
    if not source.exists():
        print(f"  loading {n:,} articles into {source.name}", flush=True)
        memory(corpus, [n], workdir, workers)
    return source


def large_database(corpus: Path, claims: int, workdir: Path, n: int, workers: int) -> dict:
    """A database of at least `claims` claims (`replicate` of the n-article load), built once per workdir
    and reused while its build record says it holds that many: the record keeps the build's figures."""
    folder = workdir / f"large-{claims}"
    record = folder / "build.json"
    if record.exists() and (folder / "news.db").exists():
        built = json.loads(record.read_text("utf-8"))
        if built["counts"]["claims"] >= claims:  # its size as it is now (an upgrade adds tables)
            return {**built, "reused": True, "size_mb": (folder / "news.db").stat().st_size / 1e6}
    source = source_database(corpus, workdir, n, workers)
    built = replicate(source, claims, folder)
    built["source_articles"] = n
    record.write_text(json.dumps(built, indent=1), "utf-8")
    return built


def replicate(source_db: Path, target_claims: int, folder: Path) -> dict:
    """Copy a loaded database and repeat its articles (with every row that hangs off them) under new
    ids until it holds at least target_claims claims."""
    folder.mkdir(parents=True, exist_ok=True)
    big = folder / "news.db"  # named news, as metadata.yml expects
    for suffix in ("", "-wal", "-shm"):
        Path(str(big) + suffix).unlink(missing_ok=True)
    shutil.copy(source_db, big)
    conn = sqlite3.connect(big)
    claims = conn.execute("select count(*) from claims").fetchone()[0]
    copies = max(1, -(-target_claims // claims))
    started = time.perf_counter()
    max_ids = {t: conn.execute(f"select max(id) from {t}").fetchone()[0] for t in ("sentences", "claims", "facts")}
    shifted = {  # table -> column -> how a copy's value is made; other columns are copied as they are
        "articles": {"id": "id || '~r' || :k"},
        "sentences": {"id": "id + :s", "article_id": "article_id || '~r' || :k"},
        "claims": {"id": "id + :c", "article_id": "article_id || '~r' || :k", "sentence_id": "sentence_id + :s"},
        "claim_topics": {"claim_id": "claim_id + :c"},
        "facts": {"id": "id + :f", "article_id": "article_id || '~r' || :k", "sentence_id": "sentence_id + :s"},
    }
    originals = {"articles": "id not like '%~r%'", "sentences": "id <= :ms", "claims": "id <= :mc",
                 "claim_topics": "claim_id <= :mc", "facts": "id <= :mf"}
    statements = []
    for table, made in shifted.items():
        columns = [f"[{row[1]}]" for row in conn.execute(f"pragma table_info([{table}])")]
        values = [made.get(column.strip("[]"), column) for column in columns]
        statements.append(f"insert into [{table}] ({', '.join(columns)}) select {', '.join(values)} "
                          f"from [{table}] where {originals[table]}")
    # indexes and triggers off while copying, made again once at the end: a sort beats ten million inserts
    # into every index
    conn.execute("pragma synchronous = off")
    conn.execute("pragma cache_size = -2000000")
    marks = ", ".join("?" for _ in shifted)
    saved = conn.execute(f"select type, name, sql from sqlite_master where type in ('index', 'trigger') and "
                         f"tbl_name in ({marks}) and sql is not null", list(shifted)).fetchall()
    for kind, name, _ in saved:
        conn.execute(f"drop {kind} [{name}]")
    for k in range(1, copies):
        params = {"k": k, "s": max_ids["sentences"] * k, "c": max_ids["claims"] * k, "f": max_ids["facts"] * k,
                  "ms": max_ids["sentences"], "mc": max_ids["claims"], "mf": max_ids["facts"]}
        with conn:
            for statement in statements:
                conn.execute(statement, {name: params[name] for name in re.findall(r":(\w+)", statement)})
        if k % 10 == 0:
            print(f"  {k} of {copies} copies", flush=True)
    print("  indexes, triggers and full-text indexes", flush=True)
    with conn:
        for _, _, sql in saved:
            conn.execute(sql)
        for fts in ("claims_fts", "sentences_fts"):
            conn.execute(f"insert into [{fts}] ([{fts}]) values ('rebuild')")
    import sqlite_utils

    from datasette_newsclaims.loader import store

    tables = sqlite_utils.Database(conn).table_names()  # (an older schema: `upgrade` makes them)
    with conn:
        if "claims_sample" in tables:
            store.fill_sample(sqlite_utils.Database(conn))
        if "claims_dated_fts" in tables:
            store.fill_dated(sqlite_utils.Database(conn))
        if "quotations" in tables:  # the copies share their originals' quotations: worked out again
            from datasette_newsclaims.loader import quotations
            conn.execute("insert or ignore into quotations_stale (quotation_id) select id from quotations")
            quotations.refresh(sqlite_utils.Database(conn))
    with conn:
        total = conn.execute("select count(*) from claims").fetchone()[0]
        conn.execute("update newsclaims_meta set value = ? where key = 'claim_count'", [str(total)])
        conn.execute("delete from kept_counts")
        conn.execute("delete from network_edges")
    from datasette_newsclaims.loader import counts

    kept_db = sqlite_utils.Database(conn)
    with kept_db.atomic():
        counts.fill(kept_db)  # the kept counts of the copies, as loads would have kept them
    conn.execute("analyze")
    conn.execute("pragma wal_checkpoint(truncate)")
    counts = {t: conn.execute(f"select count(*) from {t}").fetchone()[0]
              for t in ("articles", "sentences", "claims", "claim_topics", "facts", "speakers", "topics")}
    conn.close()
    return {"path": str(big), "copies": copies, "seconds": time.perf_counter() - started, "counts": counts,
            "size_mb": big.stat().st_size / 1e6, "when": datetime.datetime.now().isoformat(timespec="minutes")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVE_SETTINGS = ["--setting", "suggest_facets", "off", "--setting", "sql_time_limit_ms", "3000",
                  "--setting", "num_sql_threads", "4"]


def serve(db: Path, immutable: bool):
    port = free_port()
    cmd = [sys.executable, "-m", "datasette", "serve", "-p", str(port), "-m", str(ROOT / "metadata.yml")]
    cmd += (["-i", str(db)] if immutable else [str(db)]) + SERVE_SETTINGS
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(6000):  # an immutable database is hashed whole at startup: a minute at 20 GB
        try:
            urllib.request.urlopen(url + "/-/versions.json", timeout=2)
            return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("datasette did not start")


def pages(db: Path) -> list[tuple[str, str]]:
    """Every plugin page and JSON twin, and the requests users make that are hardest on a big database:
    searches for very common and rare words, one facet click, two and three filters together."""
    conn = sqlite3.connect(db)
    top_speaker = conn.execute(
        "select value from kept_counts where scope = '' and facet = 'speaker' order by count desc limit 1"
    ).fetchone()[0]
    top_topic = conn.execute(
        "select value from kept_counts where scope = '' and facet = 'topic' order by count desc limit 1"
    ).fetchone()[0]
    claim_id, article_id = conn.execute("select id, article_id from claims order by id desc limit 1").fetchone()
    month = conn.execute("select value from kept_counts where scope = '' and facet = 'month' "
                         "order by count desc limit 1").fetchone()[0]
    # a speaker's most frequent topic, and the months it spans: speaker + topic + date range
    first, last = conn.execute("select min(claim_date), max(claim_date) from claims where speaker_id = ? "
                               "and claim_date != ''", [top_speaker]).fetchone()
    target = conn.execute("select target_speaker_id from claims where target_speaker_id is not null "
                          "group by 1 order by count(*) desc limit 1").fetchone()[0]
    source = conn.execute("select value from kept_counts where scope = '' and facet = 'source' "
                          "order by count desc limit 1").fetchone()[0]
    widest = conn.execute("select id from quotations order by articles desc, id limit 1").fetchone()[0]
    conn.close()
    from urllib.parse import quote

    from datasette.utils import tilde_encode
    art = tilde_encode(article_id)
    span = f"date_from={(first or month)[:7]}&date_to={(last or month)[:7]}"
    out = []
    for name, path in [
        ("claims browser", "/news/-/claims"),
        ("claims browser, search", "/news/-/claims?q=oil+prices"),
        ("claims browser, search q=the", "/news/-/claims?q=the"),
        ("claims browser, search q=said", "/news/-/claims?q=said"),
        ("claims browser, search q=said, newest first", "/news/-/claims?q=said&_sort=newest"),
        ("claims browser, search q=oil", "/news/-/claims?q=oil"),
        ("claims browser, speaker", f"/news/-/claims?speaker={top_speaker}"),
        ("claims browser, topic", f"/news/-/claims?topic={top_topic}"),
        ("claims browser, target (also a speaker)", f"/news/-/claims?target={target}"),
        ("claims browser, source", f"/news/-/claims?source={quote(source)}"),
        ("claims browser, speaker kind", "/news/-/claims?speaker_kind=organisation"),
        ("claims browser, kind=indirect", "/news/-/claims?kind=indirect"),
        ("claims browser, one month", f"/news/-/claims?date_from={month}&date_to={month}"),
        ("claims browser, month + kind", f"/news/-/claims?date_from={month}&date_to={month}&kind=direct"),
        ("claims browser, speaker + topic + dates", f"/news/-/claims?speaker={top_speaker}&topic={top_topic}&{span}"),
        ("claims browser, kind + dates + q=said", f"/news/-/claims?kind=indirect&{span}&q=said"),
        ("claims browser, source + kind + speaker kind",
         f"/news/-/claims?source={quote(source)}&kind=direct&speaker_kind=person"),
        ("claims browser, first appearances", "/news/-/claims?first=1"),
        ("claims browser, most repeated", "/news/-/claims?_sort=repeated"),
        ("claims browser, most repeated, first appearances", "/news/-/claims?_sort=repeated&first=1"),
        ("claims browser, disputed attribution", "/news/-/claims?disputed=1"),
        ("quotation (in most articles)", f"/news/-/quotations/{widest}"),
        ("claim", f"/news/-/claims/{claim_id}"),
        ("article", f"/news/-/articles/{art}"),
        ("speaker (most claims)", f"/news/-/speakers/{top_speaker}"),
        ("topic (most claims)", f"/news/-/topics/{top_topic}"),
        ("network", "/news/-/network"),
    ]:
        out.append((name, path))
        base, _, query = path.partition("?")
        out.append((name + " .json", base + ".json" + ("?" + query if query else "")))
    out += [
        ("claims table API, metadata facets", "/news/claims.json?_extra=facet_results"),
        ("claims table API, facet topic (m2m)", "/news/claims.json?_facet_m2m=claim_topics&_extra=facet_results"),
        ("claims table API, _facet=speaker_id&_facet=kind",
         "/news/claims.json?_facet=speaker_id&_facet=kind&_extra=facet_results"),
        ("claims table page", "/news/claims"),
        ("claims table search", "/news/claims.json?_search=oil"),
    ]
    return out


def next_pages(url: str, probes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The second page of every claims list probed (from its JSON's `next`): paging must hold up too."""
    out = []
    for name, path in probes:
        if not path.startswith("/news/-/claims.json"):
            continue
        with urllib.request.urlopen(url + path, timeout=120) as response:
            token = json.load(response).get("next")
        if token:
            out.append((name + ", next page", path + ("&" if "?" in path else "?") + "_next=" + token))
    return out


def fetch(url: str) -> tuple[float, int]:
    """(milliseconds, status); a request unanswered after 30 s is status 0 (a timeout)."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as ex:
        status = ex.code
    except (TimeoutError, urllib.error.URLError):
        status = 0
    return (time.perf_counter() - started) * 1000, status


def default_facets() -> list[str]:
    """The claims table's facets in metadata.yml, by the names their results carry ('m2m: claim_topics' ->
    'claim_topics')."""
    import yaml

    facets = yaml.safe_load((ROOT / "metadata.yml").read_text("utf-8"))["databases"]["news"]["tables"]["claims"]
    return [f if isinstance(f, str) else next(iter(f.values())) for f in facets["facets"]]


def facets_timed_out(url: str) -> list:
    """Which of the claims table's default facets (metadata.yml) ran out of Datasette's facet time limit:
    1.0a lists them; 0.65 says nothing of them in JSON, they are just missing from its facet results."""
    with urllib.request.urlopen(url + "/news/claims.json?_extra=facet_results", timeout=60) as response:
        data = json.load(response)
    results = data.get("facet_results", {})
    if "results" in results:  # 1.0a: {"results": {...}, "timed_out": [...]}
        return list(results.get("timed_out", []))
    return [name for name in default_facets() if name not in results]


def latency(db: Path, repeats: int, immutable: bool) -> dict:
    """Median and p95 of every probe, and the peak resident memory of `datasette serve` meanwhile."""
    process, url = serve(db, immutable)
    peak, done = [0], threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_kb(process.pid))
            time.sleep(0.2)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        results = []
        timed_out = facets_timed_out(url)
        print(f"  claims table facets timed out: {timed_out or 'none'}", flush=True)
        probes = pages(db)
        probes += next_pages(url, probes)
        for name, path in probes:
            if fetch(url + path)[1] == 0:  # warm; a page that times out is timed once, not twenty times
                results.append({"page": name, "path": path, "median_ms": 30_000, "p95_ms": 30_000, "status": [0]})
                print(f"  {name}: timed out (30 s)", flush=True)
                continue
            times, statuses = [], set()
            for _ in range(repeats):
                ms, status = fetch(url + path)
                times.append(ms)
                statuses.add(status)
            times.sort()
            results.append({"page": name, "path": path, "median_ms": statistics.median(times),
                            "p95_ms": times[max(0, int(round(0.95 * len(times))) - 1)],
                            "status": sorted(statuses)})
            print(f"  {name}: median {results[-1]['median_ms']:.0f} ms, p95 {results[-1]['p95_ms']:.0f} ms",
                  flush=True)
        return {"rows": results, "facets_timed_out": timed_out, "server_peak_mb": peak[0] / 1024}
    finally:
        done.set()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # still in a query that went past its time limit
            process.kill()
            process.wait()


def latency_while_loading(db: Path, corpus: Path, workdir: Path, repeats: int) -> dict:
    """Readers hammer the pages while `newsclaims load` writes new articles into the same file."""
    fresh = workdir / "concurrent.jsonl"
    lines = subset(corpus, 1000, workdir, seed=99).read_text("utf-8").splitlines()
    fresh.write_text("".join(json.dumps({**json.loads(line), "id": "concurrent-" + json.loads(line)["id"]}) + "\n"
                             for line in lines[:400]), "utf-8")
    process, url = serve(db, immutable=False)
    errors, times = [], []
    try:
        loader = subprocess.Popen(NEWSCLAIMS + ["load", str(db), str(fresh), "--workers", "1", "--batch-size", "16"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, text=True)
        paths = [p for _, p in pages(db) if "q=the" not in p]
        while loader.poll() is None:
            for path in paths:
                ms, status = fetch(url + path)
                times.append(ms)
                if status >= 500:
                    errors.append((path, status))
        loader_err = loader.stderr.read()
    finally:
        process.terminate()
        process.wait(timeout=10)
    times.sort()
    return {"requests": len(times), "errors": errors, "median_ms": statistics.median(times) if times else None,
            "p95_ms": times[int(0.95 * len(times)) - 1] if times else None,
            "loader": [line for line in loader_err.splitlines() if " loaded (" in line]}


# -- 4. reading pages ----------------------------------------------------------------------------

FURNITURE_LINES = ["READ MORE: Minister slams rival over budget leak", "Story continues below advertisement",
                   "Share on Facebook", "Advertisement", "WATCH: The moment the vote was counted"]
READ_PAGES = """
import json, sys, time
from datasette_newsclaims.loader import model, sources
t = time.perf_counter()
articles = [a for a in sources.read_paths([sys.argv[1]]) if isinstance(a, sources.Article)]
read = time.perf_counter() - t
expected = json.load(open(sys.argv[2], encoding="utf-8"))
exact = sum(1 for a in articles if a.text == expected.get(a.url))
leaks = sum(1 for a in articles if any(line in a.text for line in json.loads(sys.argv[3])))
nlp = model.load_stock()
t = time.perf_counter()
tokens = sum(len(doc) for doc in nlp.pipe([a.text for a in articles], batch_size=64))
parse = time.perf_counter() - t
print(json.dumps({"pages": len(articles), "read_s": read, "parse_s": parse, "tokens": tokens, "exact": exact,
                  "furniture_leaks": leaks}))
"""
READ_WARC = """
import json, resource, sys, time
from datasette_newsclaims.loader import sources
t = time.perf_counter()
pages = sum(1 for a in sources.read_paths([sys.argv[1]]) if isinstance(a, sources.Article))
print(json.dumps({"pages": pages, "seconds": time.perf_counter() - t,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def big_article(workdir: Path, n_claims: int = 20_000, repeats: int = 5) -> dict:
    """An article with n_claims claims (one per paragraph, written straight into a seed database): how long
    its page takes, and how long a small request waits while the big page renders."""
    import sqlite_utils

    db_path = workdir / "big-article.db"
    db_path.unlink(missing_ok=True)
    subprocess.run(NEWSCLAIMS + ["load", str(db_path), str(ROOT / "seeds")], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = sqlite_utils.Database(db_path)
    speaker = db.execute("select speaker_id from claims limit 1").fetchone()[0]
    lines, claims, offset = [], [], 0
    for i in range(n_claims):
        quote = f"Point {i} stands,"
        lines.append(f'"{quote}" said the minister.')
        claims.append({"article_id": "big", "speaker_id": speaker, "quote": quote, "start": offset + 1,
                       "end": offset + 1 + len(quote), "kind": "direct", "cue": "said", "speaker_mention": "minister",
                       "claim_date": "2022-01-01", "topics": "[]"})
        offset += len(lines[-1]) + 2
    db["articles"].insert({"id": "big", "title": "A long one", "text": "\n\n".join(lines), "published": "2022-01-01"})
    db["claims"].insert_all(claims)
    db.conn.close()
    process, url = serve(db_path, immutable=True)
    url += "/" + db_path.stem

    def timed(path: str) -> float:
        ms, status = fetch(url + path)
        assert status == 200, (path, status)
        return ms

    try:
        page_ms = {fmt: sorted(timed(f"/-/articles/big{fmt}") for _ in range(repeats)) for fmt in ("", ".json")}
        waits = []
        for _ in range(repeats):
            big = threading.Thread(target=timed, args=("/-/articles/big",))
            big.start()
            time.sleep(0.02)
            waits.append(timed("/-/claims.json"))
            big.join()
    finally:
        process.terminate()
        process.wait(timeout=10)
    return {"claims": n_claims, "html_ms": page_ms[""], "json_ms": page_ms[".json"], "small_request_ms": waits}


def news_page(record: dict, index: int) -> tuple[str, str]:
    """A page like a news site's around one corpus article, and the text a reader should get from it."""
    from html import escape

    paragraphs = [p.strip() for p in record["text"].split("\n\n") if p.strip()]
    title = (record.get("title") or paragraphs[0]).strip()
    if paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    paragraphs = [" ".join(p.split()) for p in paragraphs]
    body = []
    for n, paragraph in enumerate(paragraphs):
        body.append(f"<p>{escape(paragraph)}</p>")
        if n % 3 == 1:
            body.append(f"<p>{escape(FURNITURE_LINES[(index + n) % len(FURNITURE_LINES)])}</p>")
    nav = " ".join(f'<a href="/section/{k}">Section {k}</a>' for k in range(30))
    related = "".join(f'<li><a href="/story/{index}-{k}">Related story number {k} about the news</a></li>'
                      for k in range(10))
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | Daily News</title>
<meta property="og:site_name" content="Daily News"><link rel="canonical" href="https://news.example/{index}">
<script>window.dataLayer = [{{"page": {index}}}];</script><style>body {{ font-family: serif; }}</style></head>
<body><header><nav>{nav}</nav></header><main><article><h1>{escape(title)}</h1>{"".join(body)}
<figure><figcaption>Photo: Agency</figcaption></figure><div class="share"><a href="#">Share on Twitter</a></div>
</article><aside><h2>Related</h2><ul>{related}</ul></aside></main>
<footer><p>Copyright 2024 Daily News. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"""
    return page, "\n\n".join(paragraphs)


def reading(corpus: Path, n: int, workdir: Path, warc_sizes: tuple[int, int] = (2000, 6000)) -> dict:
    pages_dir = workdir / f"pages-{n}"
    expected_path = workdir / f"pages-{n}-expected.json"
    records = [json.loads(line) for line in subset(corpus, n, workdir).read_text("utf-8").splitlines() if line]
    if not expected_path.exists():
        shutil.rmtree(pages_dir, ignore_errors=True)
        pages_dir.mkdir(parents=True)
        expected = {}
        for i, record in enumerate(records):
            page, text = news_page(record, i)
            (pages_dir / f"{i:05d}.html").write_text(page, "utf-8")
            expected[f"https://news.example/{i}"] = text
        expected_path.write_text(json.dumps(expected), "utf-8")
    r = run_measured([sys.executable, "-c", READ_PAGES, str(pages_dir), str(expected_path),
                      json.dumps(FURNITURE_LINES)])
    out = json.loads(r["stdout"].strip().splitlines()[-1])
    print(f"  {out['pages']} pages read in {out['read_s']:.1f} s, parsed in {out['parse_s']:.1f} s", flush=True)
    out["warc"] = {}
    for size in warc_sizes:
        path = workdir / f"pages-{size}.warc.gz"
        if not path.exists():
            write_warc(path, pages_dir, size)
        w = run_measured([sys.executable, "-c", READ_WARC, str(path)])
        w.update(json.loads(w.pop("stdout").strip().splitlines()[-1]))
        w.pop("stderr", None)
        w["size_mb"] = path.stat().st_size / 1e6
        out["warc"][str(size)] = w
        print(f"  WARC of {size} pages ({w['size_mb']:.0f} MB): peak {w['peak_mb']:.0f} MB", flush=True)
    return out


def write_warc(path: Path, pages_dir: Path, size: int) -> None:
    """A gzipped WARC of `size` HTML responses (the pages again under new URLs), each with its request."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = sorted(pages_dir.glob("*.html"))
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for k in range(size):
            body = pages[k % len(pages)].read_bytes()
            uri = f"https://news.example/{k}"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1")))
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))


def merging(source: Path, copies: int, workdir: Path) -> dict:
    """`newsclaims merge` of `copies` shards: copies of a loaded database under other article ids (so that
    every shard brings new articles), merged into an empty database; the rate is claims per second."""
    shards = []
    for k in range(copies):
        shard = workdir / f"merge-shard-{k}.db"
        shutil.copy(source, shard)
        db = sqlite3.connect(shard)
        for table, column in (("articles", "id"), ("sentences", "article_id"), ("claims", "article_id"),
                              ("facts", "article_id")):
            db.execute(f"update {table} set {column} = {column} || '-shard{k}'")
        db.commit()
        db.close()
        shards.append(shard)
    target = workdir / "merged.db"
    for stale in workdir.glob("merged.db*"):
        stale.unlink()
    r = run_measured(NEWSCLAIMS + ["merge", str(target), *map(str, shards)])
    db = sqlite3.connect(target)
    claims = db.execute("select count(*) from claims").fetchone()[0]
    db.close()
    return {"shards": copies, "claims": claims, "seconds": r["seconds"], "peak_mb": r["peak_mb"],
            "claims_per_s": claims / r["seconds"], "summary": r["stderr"].strip().splitlines()[-1]}


def writer_ceiling(corpus: Path, n: int, workdir: Path, rounds: int = 5) -> dict:
    """The single writer's own ceiling: n articles extracted once (not timed), then written `rounds` times
    under new ids into an empty database through `store.Writer` in the load's batches (kept counts,
    surnames, speakers' kinds and full-text triggers as a load keeps them), timed alone: the articles/s one
    writer stores when extraction is free."""
    import dataclasses

    from datasette_newsclaims import api
    from datasette_newsclaims.loader import DEFAULT_BATCH_SIZE, store

    extracted = [(r.article, r.extraction) for r in api.extract([str(subset(corpus, n, workdir))], workers=2)
                 if isinstance(r, api.ArticleResult) and r.error is None]
    path = workdir / "writer.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    writer = store.Writer(store.open_db(str(path)))
    writer.record_model("benchmark", "0")
    articles = claims = 0
    started = time.perf_counter()
    for k in range(rounds):
        copies = [(dataclasses.replace(article, id=f"{article.id}-{k}"), extraction)
                  for article, extraction in extracted]
        for start in range(0, len(copies), DEFAULT_BATCH_SIZE):
            counts, _ = writer.write_batch(copies[start:start + DEFAULT_BATCH_SIZE])
            articles += counts.articles
            claims += counts.claims
    writer.finish()
    seconds = time.perf_counter() - started
    return {"articles": articles, "claims": claims, "seconds": seconds, "articles_per_s": articles / seconds,
            "claims_per_s": claims / seconds, "batch": DEFAULT_BATCH_SIZE}


QUOTATIONS_RUN = r"""
import json, sys, time
import sqlite_utils
from datasette_newsclaims.loader import quotations, store
db = store.open_db(sys.argv[1])  # an older database is upgraded first (that groups it once, untimed)
with store.write_transaction(db):
    for table in ("quotations", "quotation_texts", "quotation_fingerprints", "quotations_stale"):
        db.execute(f"delete from {table}")
    db.execute("update claims set quotation_id = null")
started = time.perf_counter()
with store.write_transaction(db):
    assigned = quotations.assign_unassigned(db)
    matched = time.perf_counter()
    quotations.refresh(db)
done = time.perf_counter()
one = lambda sql: db.execute(sql).fetchone()[0]
sizes = {t: one(f"select coalesce(sum(pgsize), 0) from dbstat where name = '{t}' or name like 'idx_{t}%' "
                f"or name like 'sqlite_autoindex_{t}%'")
         for t in ("quotations", "quotation_texts", "quotation_fingerprints")}
print(json.dumps({"claims": one("select count(*) from claims"), "assigned": assigned,
                  "assign_seconds": matched - started, "refresh_seconds": done - matched,
                  "seconds": done - started, "quotations": one("select count(*) from quotations"),
                  "repeated": one("select count(*) from quotations where articles > 1"),
                  "claims_repeated": one("select coalesce(sum(claims), 0) from quotations where articles > 1"),
                  "disputed": one("select count(*) from quotations where speakers_disagree = 1"),
                  "largest": one("select max(articles) from quotations"), "bytes": sizes}))
"""


def quotation_cost(source: Path, workdir: Path) -> dict:
    """What grouping quotations costs: the claims of a loaded database (the memory section's) grouped again
    from nothing, as its load grouped them claim by claim (`Matcher.assign`, then `refresh`), timed alone,
    with the peak memory of the process and the size of the tables it keeps."""
    db = workdir / "quotations.db"
    for stale in workdir.glob("quotations.db*"):
        stale.unlink()
    shutil.copy(source, db)
    r = run_measured([sys.executable, "-c", QUOTATIONS_RUN, str(db)])
    out = json.loads(r["stdout"].strip().splitlines()[-1])
    out.update(peak_mb=r["peak_mb"], claims_per_s=out["assigned"] / out["seconds"], source=source.name)
    return out


def projection(results: dict, articles: int = 10_000_000, workers: int = 50) -> dict | None:
    """Ten million articles on 50 workers, from the measured figures: one worker's rate (`--workers 1`),
    the single writer's ceiling, claims per article and the merge rate."""
    t, w, mg = results.get("throughput"), results.get("writer"), results.get("merge")
    if not (t and w and mg):
        return None
    one = t["rows"]["newsclaims load --workers 1"]["articles_per_s"]
    extraction = workers * one
    claims = articles * w["claims"] / w["articles"]
    return {"articles": articles, "workers": workers, "worker_articles_per_s": one,
            "workers_per_writer": w["articles_per_s"] / one,
            "single_writer_hours": articles / min(extraction, w["articles_per_s"]) / 3600,
            "shards_extract_hours": articles / extraction / 3600, "claims": claims,
            "shards_merge_hours": claims / mg["claims_per_s"] / 3600}


# -- report -------------------------------------------------------------------------------------

def speakers(corpus: Path, n: int, workdir: Path, workers: int) -> dict:
    """Load n articles and measure what the database says about its speakers (benchmarks/speakers.py)."""
    from speakers import measure

    db = workdir / f"speakers-{n}.db"
    for stale in workdir.glob(f"speakers-{n}.db*"):
        stale.unlink()
    run_measured(NEWSCLAIMS + ["load", str(db), str(subset(corpus, n, workdir)), "--workers", str(workers)])
    return {"articles": n, **measure(db)}


def report(results: dict) -> str:
    lines = ["# Benchmark report", "",
             f"Run {results['when']} on {results['machine']} with `{results['command']}`."]
    for key, when in results.get("sections_from", {}).items():
        lines.append(f"The {key} figures are from the run of {when} (skipped in this one).")
    lines.append("")
    t = results.get("throughput")
    if t:
        lines += [f"## Loader throughput ({t['articles']:,} articles, {t['tokens']:,} tokens)", "",
                  "Wall time of the whole command, model loading included, for both raw and load (memory sampled "
                  "once a second only: sampling every 0.2 s cost up to a fifth of the time). Raw is the "
                  "model exactly as installed (`model.load_stock`, every component); the loader uses "
                  "`model.load_model`: the same model with its attribute ruler applied as a table, which gives "
                  "identical annotations (`tests/test_model.py`), then extracts and writes.", "",
                  "| run | seconds | articles/s | tokens/s | × raw single process |", "|---|---|---|---|---|"]
        for name, r in t["rows"].items():
            lines.append(f"| {name} | {r['seconds']:.1f} | {r['articles_per_s']:.1f} | {r['tokens_per_s']:,.0f} | "
                         f"{r['vs_raw']:.2f} |")
        lines.append("")
    m = results.get("memory")
    if m:
        lines += ["## Peak memory of a load (all processes together)", "",
                  f"`newsclaims load --workers {results['memory_workers']}`, proportional resident memory (PSS) of "
                  "the loader and its workers summed, sampled every 0.2 s.", "",
                  "| articles | peak MB | seconds | summary |", "|---|---|---|---|"]
        for n, r in m.items():
            lines.append(f"| {int(n):,} | {r['peak_mb']:.0f} | {r['seconds']:.0f} | {r['summary']} |")
        lines.append("")
    q = results.get("quotations")
    if q:
        loads = {int(n): r["seconds"] for n, r in (m or {}).items()}
        load_seconds = max(loads.items())[1] if loads else None
        share = (f", {100 * q['seconds'] / load_seconds:.1f}% of that load's {load_seconds:.0f} s"
                 if load_seconds else "")
        mb = {t: b / 1e6 for t, b in q["bytes"].items()}
        lines += ["## Quotations: the same words across articles", "",
                  f"The {q['claims']:,} claims of `{q['source']}` (the memory section's largest load) grouped into "
                  "quotations from nothing, claim by claim in id order as a load groups them "
                  "(`quotations.Matcher.assign`, then `refresh`), in one process, timed alone: "
                  f"{q['seconds']:.1f} s ({q['assign_seconds']:.1f} s matching, "
                  f"{q['refresh_seconds']:.1f} s working out the quotations), {q['claims_per_s']:,.0f} claims/s"
                  f"{share}; peak {q['peak_mb']:.0f} MB.", "",
                  f"{q['assigned']:,} claims in {q['quotations']:,} quotations (the others under eight words); "
                  f"{q['repeated']:,} quotations in more than one article, holding {q['claims_repeated']:,} claims; "
                  f"the widest in {q['largest']:,} articles; {q['disputed']:,} with a disputed attribution. "
                  f"Tables: quotations {mb['quotations']:.1f} MB, wordings {mb['quotation_texts']:.1f} MB, "
                  f"fingerprints {mb['quotation_fingerprints']:.1f} MB.", ""]
    for scale in sorted(results.get("scales", []), key=lambda s: s["claims"]):
        b = scale["build"]
        c = b["counts"]
        lines += [f"## The large database: {c['claims']:,} claims", "",
                  f"The {int(b['source_articles']):,}-article load above, copied {b['copies']} times under new ids "
                  f"(articles, sentences, claims, topic links and facts; speakers and topics shared; kept counts "
                  f"rebuilt) in {b['seconds']:,.0f} s on {b['when']}: {c['claims']:,} claims, {c['articles']:,} "
                  f"articles, {c['sentences']:,} sentences, {c['claim_topics']:,} topic links, {c['facts']:,} facts, "
                  f"{c['speakers']:,} speakers; {b['size_mb']:,.0f} MB on disk. Built (or reused) with "
                  f"`python benchmarks/bench.py CORPUS --build-large {scale['claims']} --workdir DIR`.", ""]
        runs = [("latency", "immutable (`-i`)")] + ([("latency_mutable", "mutable")] if "latency_mutable" in scale
                                                    else [])
        for key, title in runs:
            run = scale[key]
            lines += [f"### Page latency at {c['claims']:,} claims, {title}", "",
                      "Settings: " + " ".join(SERVE_SETTINGS) +
                      f"; {results['repeats']} requests each after one warm-up, over HTTP. Peak resident memory "
                      f"of `datasette serve`: {run['server_peak_mb']:,.0f} MB. Claims table facets "
                      f"(metadata.yml) that ran out of Datasette's facet time limit: "
                      f"{', '.join(run['facets_timed_out']) or 'none'}.", "",
                      "| page | median ms | p95 ms | status |", "|---|---|---|---|"]
            for r in run["rows"]:
                lines.append(f"| {r['page']} (`{r['path'][:70]}`) | {r['median_ms']:.0f} | {r['p95_ms']:.0f} | "
                             f"{','.join(map(str, r['status']))} |")
            lines.append("")
    rd = results.get("reading")
    if rd:
        share = rd["read_s"] / rd["parse_s"]
        lines += ["## Reading web pages", "",
                  f"The {rd['pages']:,} throughput articles saved as news pages (30 navigation links, teasers, "
                  "share buttons, captions, related links, a footer around each) and read with `newsclaims`' "
                  "HTML reader (trafilatura, then the furniture filter), against parsing the text read with raw "
                  "`nlp.pipe` in one process.", "",
                  "| pages | read and clean, s | parse, s | reading / parsing | text exactly the article's "
                  "| pages with furniture left |", "|---|---|---|---|---|---|",
                  f"| {rd['pages']:,} | {rd['read_s']:.1f} | {rd['parse_s']:.1f} | {share:.1%} | "
                  f"{rd['exact']:,} ({rd['exact'] / rd['pages']:.1%}) | {rd['furniture_leaks']:,} |", "",
                  "Streaming WARC archives (gzipped, a request and a response record per page), read whole:", "",
                  "| pages | MB | seconds | peak memory MB |", "|---|---|---|---|"]
        for size, w in rd["warc"].items():
            lines.append(f"| {int(size):,} | {w['size_mb']:.0f} | {w['seconds']:.0f} | {w['peak_mb']:.0f} |")
        lines.append("")
    b = results.get("big_article")
    if b:
        lines += [f"## An article with {b['claims']:,} claims", "",
                  f"Its page (its first 500 claims and the text they are in; the rest one link away): median "
                  f"{statistics.median(b['html_ms']):.0f} ms, worst {max(b['html_ms']):.0f} ms; its JSON median "
                  f"{statistics.median(b['json_ms']):.0f} ms. A small request (`/news/-/claims.json`) sent while the "
                  f"big page renders: median {statistics.median(b['small_request_ms']):.0f} ms, worst "
                  f"{max(b['small_request_ms']):.0f} ms.", ""]
    sp = results.get("speakers")
    if sp:
        lines += [f"## Speakers across {sp['articles']:,} articles", "",
                  f"`benchmarks/speakers.py` on a {sp['articles']:,}-article load ({sp['claims']:,} claims): "
                  f"{sp['unnamed_share']:.1%} of claims have an unnamed speaker ("
                  + ", ".join(f"{k} {n:,}" for k, n in sorted(sp["kinds"].items())) + "); "
                  f"{sp['headline_alias_speakers']} speakers with a capitalised headline alias; "
                  f"{sp['short_names']} empty or one-character names; {sp['target']['claims']:,} claims with a "
                  f"target and {sp['venue']['claims']:,} with a venue (most frequent: "
                  + ", ".join(f"{v} {n}" for v, n in sp["venue"]["top"][:5]) + "); "
                  f"{sp['surname_merges']} surnames joined to a full name across articles. A random sample of "
                  f"{len(sp['sample'])} of the {sp['merged_aliases']:,} merged aliases, for the hand check "
                  "(its verdict is in benchmarks/README.md):", ""]
        lines += [f"- {line}" for line in sp["sample"]] + [""]
    mg = results.get("merge")
    if mg:
        lines += ["## Merging shards", "",
                  f"`newsclaims merge` of {mg['shards']} shards ({mg['claims']:,} claims in all: the throughput "
                  f"section's `--workers 1` database under {mg['shards']} sets of article ids) into an empty "
                  f"database: {mg['seconds']:.1f} s, {mg['claims_per_s']:,.0f} claims/s, peak {mg['peak_mb']:.0f} "
                  f"MB (kept counts, kinds, surnames and full-text indexes of the result included).", ""]
    w = results.get("writer")
    if w:
        lines += ["## The single writer's ceiling", "",
                  f"{w['articles']:,} articles ({w['claims']:,} claims) written through `store.Writer` in batches of "
                  f"{w['batch']} into an empty database, their extraction done beforehand: {w['seconds']:.1f} s, "
                  f"{w['articles_per_s']:,.0f} articles/s, {w['claims_per_s']:,.0f} claims/s. This is what one "
                  "writer stores when parsing costs it nothing.", ""]
    pr = projection(results)
    if pr:
        lines += [f"## Projection: {pr['articles']:,} articles on {pr['workers']} workers", "",
                  f"From the figures above (one worker like one core here: {pr['worker_articles_per_s']:.1f} "
                  f"articles/s; {pr['claims'] / pr['articles']:.1f} claims an article): one writer keeps "
                  f"{pr['workers_per_writer']:.0f} workers busy. Through the one writer "
                  f"(`--scheduler`): {pr['single_writer_hours']:.1f} h, the writer the limit past "
                  f"{pr['workers_per_writer']:.0f} workers. With shards (`--scheduler ... --shards DIR`): "
                  f"{pr['shards_extract_hours']:.1f} h of extraction, then {pr['shards_merge_hours']:.1f} h to merge "
                  f"{pr['claims']:,.0f} claims at the measured rate (one process, one disk), "
                  f"{pr['shards_extract_hours'] + pr['shards_merge_hours']:.1f} h in all. These articles are short "
                  "(BBC and Reuters); today's web news is longer, and the hours grow with the tokens.", ""]
    c = results.get("concurrent")
    if c:
        lines += ["## Reading while a load writes", "",
                  f"{c['requests']:,} requests over all pages while `newsclaims load` added 400 articles to the "
                  f"same file: median {c['median_ms']:.0f} ms, p95 {c['p95_ms']:.0f} ms, "
                  f"{len(c['errors'])} errors (5xx). Loader: {'; '.join(c['loader'])}", ""]
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "REPORT.md")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/newsclaims-bench"))
    ap.add_argument("--throughput-articles", type=int, default=2000)
    ap.add_argument("--memory", default="2000,20000", help="corpus sizes for the memory runs")
    ap.add_argument("--memory-workers", type=int, default=2)
    ap.add_argument("--latency-claims", default="1000000,10000000",
                    help="sizes (claims) of the databases the latency section probes")
    ap.add_argument("--build-large", type=int, metavar="CLAIMS",
                    help="only build (or reuse) the large database of CLAIMS claims in --workdir and print its path")
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--skip", action="append", default=[],
                    choices=["throughput", "memory", "latency", "concurrent", "reading", "big_article", "speakers",
                             "merge", "writer", "quotations"])
    ap.add_argument("--merge-shards", type=int, default=8)
    ap.add_argument("--speakers-articles", type=int, default=5000)
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    sizes = [int(x) for x in args.memory.split(",")]
    if args.build_large:
        build = large_database(args.corpus, args.build_large, args.workdir, max(sizes), args.memory_workers)
        print(f"{build['counts']['claims']:,} claims, {build['size_mb']:,.0f} MB, built in {build['seconds']:,.0f} s"
              f"{' (reused)' if build.get('reused') else ''}", file=sys.stderr)
        print(build["path"])
        return
    results = {"when": datetime.datetime.now().isoformat(timespec="minutes"),
               "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
               "command": "python benchmarks/bench.py " + " ".join(argv if argv is not None else sys.argv[1:]),
               "repeats": args.repeats, "memory_workers": args.memory_workers}
    previous_path = args.out.with_suffix(".json")
    previous = json.loads(previous_path.read_text("utf-8")) if previous_path.exists() else {}
    results["sections_from"] = {}

    def carry(*keys):
        """A skipped section keeps the figures of the previous report, marked with that run's date."""
        for key in keys:
            if key in previous:
                results[key] = previous[key]
                results["sections_from"][key] = previous.get("sections_from", {}).get(key, previous["when"])

    if "throughput" not in args.skip:
        print("throughput", flush=True)
        results["throughput"] = throughput(args.corpus, args.throughput_articles, args.workdir)
    else:
        carry("throughput")
    if "reading" not in args.skip:
        print("reading", flush=True)
        results["reading"] = reading(args.corpus, args.throughput_articles, args.workdir)
    else:
        carry("reading")
    if "big_article" not in args.skip:
        print("big article", flush=True)
        results["big_article"] = big_article(args.workdir)
    else:
        carry("big_article")
    if "merge" not in args.skip:
        source = args.workdir / "throughput-1.db"
        if source.exists():  # the throughput section's single-process load
            print("merge", flush=True)
            results["merge"] = merging(source, args.merge_shards, args.workdir)
        else:
            carry("merge")
    else:
        carry("merge")
    if "writer" not in args.skip:
        print("writer", flush=True)
        results["writer"] = writer_ceiling(args.corpus, args.throughput_articles, args.workdir)
        print(f"  {results['writer']['articles_per_s']:.0f} articles/s", flush=True)
    else:
        carry("writer")
    if "speakers" not in args.skip:
        print("speakers", flush=True)
        results["speakers"] = speakers(args.corpus, args.speakers_articles, args.workdir, args.memory_workers)
    else:
        carry("speakers")
    if "memory" not in args.skip:
        print("memory", flush=True)
        results["memory"] = memory(args.corpus, sizes, args.workdir, args.memory_workers)
    else:
        carry("memory")
    if "quotations" not in args.skip:
        print("quotations", flush=True)
        source = source_database(args.corpus, args.workdir, max(sizes), args.memory_workers)
        results["quotations"] = quotation_cost(source, args.workdir)
        print(f"  {results['quotations']['seconds']:.1f} s", flush=True)
    else:
        carry("quotations")
    if "latency" not in args.skip:  # sizes not probed this time keep the previous report's figures
        results["scales"] = [s for s in previous.get("scales", []) if s["claims"] not in
                             {int(x) for x in args.latency_claims.split(",")}]
        for i, claims in enumerate(int(x) for x in args.latency_claims.split(",")):
            print(f"large database of {claims:,} claims", flush=True)
            build = large_database(args.corpus, claims, args.workdir, max(sizes), args.memory_workers)
            big = Path(build["path"])
            scale = {"claims": claims, "build": build}
            print("latency", flush=True)
            scale["latency"] = latency(big, args.repeats, immutable=True)
            if i == 0:  # the smallest size: mutable, and while a load writes (it adds rows to the file)
                scale["latency_mutable"] = latency(big, args.repeats, immutable=False)
                if "concurrent" not in args.skip:
                    print("while loading", flush=True)
                    results["concurrent"] = latency_while_loading(big, args.corpus, args.workdir, args.repeats)
                    (big.parent / "build.json").unlink()  # the load changed it: rebuilt next time
            results["scales"] = [s for s in results["scales"] if s["claims"] != claims] + [scale]
            write_report(args.out, results)  # each size as it is done: a later failure keeps it
    else:
        carry("scales", "concurrent")
    write_report(args.out, results)
    print(f"wrote {args.out}")


def write_report(out: Path, results: dict) -> None:
    out.write_text(report(results) + "\n", "utf-8")
    out.with_suffix(".json").write_text(json.dumps(results, indent=1, default=str), "utf-8")


if __name__ == "__main__":
    main()
