"""Loads on a real Dask cluster (issue 15): a LocalCluster of worker processes, and a `dask scheduler` with
a `dask worker` started as commands on 127.0.0.1; no mocks of Dask. Each distributed load is compared row
by row with `newsclaims load --workers 1` of the same input."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from datasette_newsclaims import api
from datasette_newsclaims.loader import cluster

from .conftest import ROOT
from .fixtures import ARTICLES

distributed = pytest.importorskip("distributed", reason="pip install 'datasette-newsclaims[dask]'")

TABLES = ("articles", "sentences", "claims", "facts", "speakers", "speaker_aliases", "topics", "claim_topics",
          "kept_counts", "network_edges", "quotations")
PEOPLE = ("Jane Fox", "Tom Hale", "Ana Silva", "Omar Reyes", "Lena Park")
SUBJECTS = ("the bridge", "the budget", "the new hospital", "the rail line", "the school plan")


def corpus(tmp_path, n: int = 60):
    """The fixture articles and `n` short ones written here, in one JSON lines file."""
    written = []
    for i in range(n):
        speaker, subject = PEOPLE[i % len(PEOPLE)], SUBJECTS[(i // 5) % len(SUBJECTS)]
        text = (f"{speaker} said on Monday that {subject} would open in {2020 + i % 7}.\n\n"
                f"\"We are ready to open {subject} on time and on budget,\" {speaker.split()[1]} told reporters. "
                f"Critics said {subject} cost too much.")  # the same words in five articles: one quotation
        written.append({"id": f"w-{i:03d}", "date": f"2022-0{1 + i % 9}-1{i % 10}", "title": f"Story {i}",
                        "text": text, "source": ("Wire", "Daily")[i % 2]})
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES + written), "utf-8")
    return path


def rows(path) -> dict:
    """Every row of every table the loader writes (the load's timestamp aside)."""
    db = sqlite3.connect(path)
    out = {}
    for table in TABLES:
        columns = [c[1] for c in db.execute(f"pragma table_info([{table}])") if c[1] != "loaded_at"]
        out[table] = sorted(db.execute(f"select {', '.join(f'[{c}]' for c in columns)} from [{table}]").fetchall(),
                            key=repr)
    db.close()
    return out


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    return corpus(tmp_path_factory.mktemp("cluster"))


@pytest.fixture(scope="module")
def clean_db(inputs, tmp_path_factory):
    """The reference: one process, one load."""
    path = tmp_path_factory.mktemp("clean") / "news.db"
    report = api.load(str(path), [str(ROOT / "seeds"), str(inputs)], workers=1)
    assert report.ok and report.articles == len(ARTICLES) + 61
    return path


@pytest.fixture(scope="module")
def clean(clean_db):
    return rows(clean_db)


@pytest.fixture
def small_tasks(monkeypatch):
    monkeypatch.setattr(cluster, "TASK_ARTICLES", 4)  # many tasks out of a small corpus


def test_a_local_cluster_load_equals_a_single_process_load(inputs, clean, tmp_path, small_tasks):
    path = tmp_path / "news.db"
    progress = []
    report = api.load(str(path), [str(ROOT / "seeds"), str(inputs)], scheduler="local:2",
                      on_progress=progress.append)
    assert report.ok and report.articles == len(ARTICLES) + 61 and sum(progress) == report.articles
    assert rows(path) == clean
    again = api.load(str(path), [str(ROOT / "seeds"), str(inputs)], scheduler="local:2")
    assert (again.articles, again.unchanged) == (0, len(ARTICLES) + 61)  # idempotent by id, as a local load
    assert rows(path) == clean


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(*command) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", *command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=dict(os.environ, DASK_DISTRIBUTED__WORKER__DAEMON="False"))


@pytest.fixture
def scheduler_and_worker():
    """`dask scheduler` and `dask worker` (one process, one thread) as a user starts them."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(port),
                      "--no-dashboard")
    worker = start("distributed.cli.dask_worker", address, "--nworkers", "1", "--nthreads", "1",
                   "--no-dashboard", "--host", "127.0.0.1")
    yield address, scheduler, worker
    for process in (worker, scheduler):
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_load_on_a_running_scheduler_equals_a_single_process_load(inputs, clean, tmp_path, scheduler_and_worker,
                                                                     small_tasks):
    address, _, _ = scheduler_and_worker
    path = tmp_path / "news.db"
    report = api.load(str(path), [str(ROOT / "seeds"), str(inputs)], scheduler=address)
    assert report.ok
    assert rows(path) == clean


def test_a_worker_killed_mid_task_loses_nothing(inputs, clean, tmp_path, small_tasks):
    """SIGKILL to a worker process while it parses: Dask runs its task again on another worker (the nanny
    starts a new one), and the database equals a clean load: nothing lost, nothing written twice."""
    from distributed import Client, LocalCluster

    path = tmp_path / "news.db"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        with Client(local) as client:
            pids = list(client.run(os.getpid).values())
        outcome = {}

        def run():
            outcome["report"] = api.load(str(path), [str(ROOT / "seeds"), str(inputs)],
                                         scheduler=local.scheduler_address)
        thread = threading.Thread(target=run)
        thread.start()
        deadline = time.monotonic() + 120
        while not written(path) and time.monotonic() < deadline:  # the workers are busy: one task is done
            time.sleep(0.2)
        os.kill(pids[0], signal.SIGKILL)
        thread.join(timeout=300)
    assert not thread.is_alive() and outcome["report"].ok
    assert rows(path) == clean


def written(path) -> bool:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return db.execute("select count(*) from articles").fetchone()[0] > 0
        finally:
            db.close()
    except sqlite3.Error:
        return False


def test_a_scheduler_that_goes_away_ends_the_load_clearly_and_a_rerun_finishes_it(inputs, clean, tmp_path,
                                                                                 scheduler_and_worker,
                                                                                 small_tasks):
    address, scheduler, worker = scheduler_and_worker
    path = tmp_path / "news.db"
    outcome = {}

    def run():
        try:  # written four articles at a time, so that the first write comes early
            outcome["report"] = api.load(str(path), [str(ROOT / "seeds"), str(inputs)], scheduler=address,
                                         batch_size=4)
        except api.LoadError as ex:
            outcome["error"] = str(ex)
    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 120
    while not written(path) and time.monotonic() < deadline:
        time.sleep(0.05)
    scheduler.kill()
    thread.join(timeout=300)
    assert not thread.is_alive()
    assert "went away" in outcome.get("error", "") and "run the same command again" in outcome["error"]
    assert written(path)  # what was written before stays
    # the scheduler is back (the worker reconnects, or a new one starts): the same command finishes the job
    port = address.rsplit(":", 1)[1]
    restarted = start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard")
    worker.kill()
    new_worker = start("distributed.cli.dask_worker", address, "--nworkers", "1", "--nthreads", "1",
                       "--no-dashboard", "--host", "127.0.0.1")
    try:
        finished = api.load(str(path), [str(ROOT / "seeds"), str(inputs)], scheduler=address)
    finally:
        for process in (new_worker, restarted):
            process.terminate()
            process.wait(timeout=20)
    assert finished.ok and finished.unchanged > 0
    assert rows(path) == clean


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "3s")
    port = free_port()  # nothing listens there
    with pytest.raises(api.LoadError, match=f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"):
        api.load(str(tmp_path / "news.db"), [str(ROOT / "seeds")], scheduler=f"tcp://127.0.0.1:{port}")


def test_workers_writing_their_own_shards_merge_into_what_one_load_writes(inputs, clean, clean_db, tmp_path,
                                                                         small_tasks):
    """--shards: no single writer; each worker writes a shard of its own, merged at the end. Row ids follow
    the shards' order, so claims and sentences are compared by what they are."""
    path, shards = tmp_path / "news.db", tmp_path / "shards"
    report = api.load(str(path), [str(ROOT / "seeds"), str(inputs)], scheduler="local:2", shards=str(shards))
    assert report.ok and report.articles == len(ARTICLES) + 61
    assert len(list(shards.glob("shard-*.db"))) == 2  # both workers wrote
    merged = rows(path)
    for table in TABLES:
        assert len(merged[table]) == len(clean[table]), table
    for table in ("articles", "speakers", "speaker_aliases", "topics", "kept_counts", "network_edges"):
        assert merged[table] == clean[table], table
    claims = ("select c.article_id, c.start, c.end, c.speaker_id, c.article_speaker_id, c.target_speaker_id, c.quote, "
              "c.kind, c.claim_date, c.topics, s.start, s.text from claims c join sentences s on s.id = c.sentence_id "
              "order by 1, 2, 3")
    assert sqlite3.connect(path).execute(claims).fetchall() == sqlite3.connect(clean_db).execute(claims).fetchall()
    with pytest.raises(api.LoadError, match="give --scheduler too"):
        api.load(str(path), [str(inputs)], shards=str(shards))


@pytest.fixture
def small_ranges(monkeypatch):
    from datasette_newsclaims.loader.sources import pieces

    monkeypatch.setattr(pieces, "BLOCK_BYTES", 1500)  # the JSON lines file cut into many ranges


def test_workers_read_ranges_of_a_file_themselves_and_name_its_lines_as_a_local_load_does(inputs, tmp_path,
                                                                                         small_ranges):
    """Ranges of about 1,500 bytes, each read by a worker (a line can straddle a range's end); bad lines and
    blank ones in later ranges: the errors name the file's own lines, the rows equal a local load's."""
    lines = inputs.read_text("utf-8").splitlines()
    for at in (5, 23, 47):
        lines[at:at] = ["{not json", ""]
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join(lines) + "\n", "utf-8")
    local = api.load(str(tmp_path / "local.db"), [str(broken)], workers=1)
    remote = api.load(str(tmp_path / "remote.db"), [str(broken)], scheduler="local:2")
    assert [str(e) for e in remote.errors] == [str(e) for e in local.errors]
    assert [str(e) for e in local.errors] == [f"{broken}:{n}: invalid JSON: Expecting property name enclosed "
                                              "in double quotes" for n in (6, 24, 48)]
    assert (remote.articles, remote.claims) == (local.articles, local.claims) and local.articles > 50
    assert rows(tmp_path / "remote.db") == rows(tmp_path / "local.db")


def test_pieces_already_loaded_are_settled_before_they_are_parsed(inputs, clean_db, tmp_path, small_ranges,
                                                                  monkeypatch):
    """A rerun reads on the workers but parses nothing: every article is settled from its id and hash."""
    path = tmp_path / "news.db"
    path.write_bytes(clean_db.read_bytes())
    monkeypatch.setattr(cluster, "extract_task", parse_nothing)  # an article sent to be parsed fails the test
    again = api.load(str(path), [str(ROOT / "seeds"), str(inputs)], scheduler="local:2")
    assert again.ok and (again.articles, again.unchanged) == (0, len(ARTICLES) + 61)


def parse_nothing(batch, *args):
    articles = [item for item in batch if isinstance(item, api.Article)]
    assert not articles, f"{len(articles)} articles parsed again"
    return batch


def test_an_fsspec_url_is_read_by_the_workers_and_by_a_local_load(inputs, clean, tmp_path, small_ranges):
    url = inputs.resolve().as_uri()  # file:///…: the same code path as s3:// with s3fs installed
    remote = api.load(str(tmp_path / "remote.db"), [str(ROOT / "seeds"), url], scheduler="local:2")
    local = api.load(str(tmp_path / "local.db"), [str(ROOT / "seeds"), url], workers=1)
    assert remote.ok and local.ok
    assert rows(tmp_path / "remote.db") == rows(tmp_path / "local.db") == clean
    missing = api.load(str(tmp_path / "missing.db"), [url + ".missing.jsonl"], workers=1)
    assert [str(e) for e in missing.errors] == [f"{url}.missing.jsonl: no such file or directory"]


def test_the_plan_gives_the_workers_what_they_can_read_and_keeps_the_rest(tmp_path):
    from datasette_newsclaims.loader.sources import PassedOver, pieces

    (tmp_path / "pages").mkdir()
    for i in range(3):
        (tmp_path / "pages" / f"{i}.html").write_text("<html><body><p>Text.</p></body></html>", "utf-8")
    (tmp_path / "pages" / "notes.pdf").write_bytes(b"%PDF")
    big = tmp_path / "big.jsonl"
    big.write_text('{"text": "x"}\n' * 300, "utf-8")  # 4,200 bytes: three ranges of 1,500
    (tmp_path / "small.jsonl").write_text('{"text": "x"}\n', "utf-8")
    (tmp_path / "packed.jsonl.gz").write_bytes(b"")
    passed = PassedOver()
    units = list(pieces.plan([str(tmp_path / "pages"), str(big), str(tmp_path / "small.jsonl"),
                              str(tmp_path / "packed.jsonl.gz"), "-", str(tmp_path / "hidden.txt")],
                             workers_see=lambda path: "hidden" not in path, passed_over=passed, block_bytes=1500))
    assert [len(units[0].parts)] == [3] and {p.length for p in units[0].parts} == {None}  # pages, whole, together
    assert [(u.range.start, u.range.origin) for u in units[1:4]] == [(0, str(big)), (1500, str(big)),
                                                                    (3000, str(big))]
    assert units[4:] == [str(tmp_path / "small.jsonl"), str(tmp_path / "packed.jsonl.gz"), "-",
                         str(tmp_path / "hidden.txt")]  # read by the loading machine
    assert dict(passed) == {".pdf": 1}
    read = [pieces.read_piece(u) for u in units[1:4]]
    assert sum(len(r.items) for r in read) == 300 and sum(r.lines for r in read) == 300
