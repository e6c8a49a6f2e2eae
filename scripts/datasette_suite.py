"""Datasette's own test suite, with this plugin installed and without it: the plugin must change nothing.

    .venv/bin/python scripts/datasette_suite.py

Downloads the sdist of the Datasette installed in this interpreter's environment, installs the packages its
tests use, and runs its tests twice: with the installed plugins loaded (as Datasette loads them when it
serves), and with none (as Datasette's own test run does). A test that fails only with the plugin fails
this script, unless scripts/datasette-suite-expected.txt lists it with its reason.

Datasette's sdists ship its test modules but not `tests/conftest.py` or `tests/fixtures.py`, so the tests
that need those fixtures cannot run from them: they error in both runs and are counted, not compared.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "datasette-suite-expected.txt"
TEST_PACKAGES = ["pytest-xdist", "pytest-asyncio", "pytest-timeout", "beautifulsoup4", "trustme", "cogapp"]
NO_PLUGINS = '''import sys


def pytest_configure(config):
    sys._called_from_test = True  # what Datasette's own conftest.py does: load no installed plugins
'''


def expected() -> dict[str, str]:
    """test id -> why it fails with the plugin installed."""
    out = {}
    for line in EXPECTED.read_text("utf-8").splitlines():
        test, _, reason = line.partition("#")
        if test.strip():
            out[test.strip()] = reason.strip()
    return out


def failures(junit: Path) -> tuple[set[str], dict[str, int]]:
    failed, counts = set(), {"passed": 0, "failed": 0, "skipped": 0}
    for case in ET.parse(junit).iter("testcase"):
        test = f"{case.get('classname')}::{case.get('name')}"
        if case.find("failure") is not None or case.find("error") is not None:
            failed.add(test)
            counts["failed"] += 1
        elif case.find("skipped") is not None:
            counts["skipped"] += 1
        else:
            counts["passed"] += 1
    return failed, counts


def run(source: Path, junit: Path, plugins: bool, workdir: Path) -> None:
    args = [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider", "-n", "2",
            "--timeout", "300", f"--junitxml={junit}"]
    env = None
    if not plugins:
        (workdir / "no_installed_plugins.py").write_text(NO_PLUGINS, "utf-8")
        args += ["-p", "no_installed_plugins"]
        env = {**os.environ, "PYTHONPATH": str(workdir)}
    subprocess.run(args, cwd=source, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def main() -> int:
    version = importlib.metadata.version("datasette")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", *TEST_PACKAGES], check=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        "-d", str(workdir), f"datasette=={version}"], check=True)
        archive = next(workdir.glob("datasette-*.tar.gz"))
        with tarfile.open(archive) as tar:
            tar.extractall(workdir, filter="data")
        source = workdir / archive.name.removesuffix(".tar.gz")
        results = {}
        for plugins in (True, False):
            junit = workdir / f"{'with' if plugins else 'without'}.xml"
            run(source, junit, plugins, workdir)
            results[plugins] = failures(junit)
    (with_failed, with_counts), (without_failed, without_counts) = results[True], results[False]
    allowed = expected()
    only_with = with_failed - without_failed
    unexpected = sorted(only_with - set(allowed))
    print(f"Datasette {version}'s own tests from its sdist, with the installed plugins: {with_counts}; "
          f"without: {without_counts} (failures in both: tests the sdist lacks the fixtures for)")
    for test in sorted(only_with & set(allowed)):
        print(f"  expected with the plugin: {test} ({allowed[test]})")
    for test in unexpected:
        print(f"  FAILS ONLY WITH THE PLUGIN: {test}")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
