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
