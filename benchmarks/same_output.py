"""Does `newsclaims extract` still print exactly what it printed before a change?

Record the output once, before the change, then check after it:

    .venv/bin/python benchmarks/same_output.py record /tmp/extract-before
    .venv/bin/python benchmarks/same_output.py check /tmp/extract-before

Inputs: the seed folder, the PolNeAR dev set and the first 2,000 articles of the shared corpus
(read from ../shared; nothing from there is written into the project). `check` compares byte for
byte, reports the first lines that differ for each input, and exits 1 if any differ.
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
import tempfile
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
NEWSCLAIMS = [sys.executable, "-m", "datasette_newsclaims.cli"]
CORPUS_ARTICLES = 2000


def inputs(workdir: Path) -> dict[str, Path]:
    corpus = workdir / "corpus-2000.jsonl"
    with open(SHARED / "corpus" / "articles.jsonl", encoding="utf-8") as src:
        corpus.write_text("".join(islice(src, CORPUS_ARTICLES)), "utf-8")
    return {"seed": ROOT / "seeds", "polnear-dev": SHARED / "eval" / "dev" / "polnear-dev.jsonl", "corpus-2000": corpus}


def extract(path: Path) -> bytes:
    done = subprocess.run(NEWSCLAIMS + ["extract", str(path), "--format", "jsonl"], capture_output=True, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"newsclaims extract {path} failed:\n{done.stderr.decode(errors='replace')}")
    return done.stdout


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=["record", "check"])
    ap.add_argument("directory", type=Path, help="where the recorded output is kept")
    args = ap.parse_args(argv)
    args.directory.mkdir(parents=True, exist_ok=True)
    differ = False
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in inputs(Path(tmp)).items():
            output = extract(path)
            recorded = args.directory / f"{name}.jsonl"
            lines = output.count(b"\n")
            if args.action == "record":
                recorded.write_bytes(output)
                print(f"{name}: recorded {lines} articles, {len(output):,} bytes")
                continue
            before = recorded.read_bytes()
            if before == output:
                print(f"{name}: identical ({lines} articles, {len(output):,} bytes)")
                continue
            differ = True
            old, new = before.decode().splitlines(), output.decode().splitlines()
            changed = sum(1 for a, b in zip(old, new) if a != b) + abs(len(old) - len(new))
            print(f"{name}: DIFFERENT ({changed} of {len(old)} articles)")
            for line in islice(difflib.unified_diff(old, new, "before", "after", n=0, lineterm=""), 6):
                print("   ", line[:300])
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
