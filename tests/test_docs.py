"""The README's commands are the ones CI and users run."""

import re
import subprocess
import sys

from click.testing import CliRunner

from datasette_newsclaims.cli import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def setup_commands():
    section = README.split("## Set-up: two commands", 1)[1].split("\n## ", 1)[0]
    return [line.strip() for line in section.splitlines() if line.startswith("    ")]


def test_readme_has_the_two_setup_commands():
    main, tests = setup_commands()
    assert main.startswith("python3 -m venv .venv") and "newsclaims load news.db seeds/" in main
    assert "datasette serve news.db" in main
    assert tests == "./scripts/test"


def test_ci_runs_the_readme_test_command_against_both_datasette_lines():
    _, tests = setup_commands()
    ci = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    assert tests in ci
    assert any("datasette>=1.0a0" in line and tests in line for line in ci)
    script = (ROOT / "scripts" / "test").read_text("utf-8")
    assert "apt-get install -y -q chromium" in script and "pytest" in script


def test_every_documented_option_exists():
    for command in ("load", "extract"):
        help_text = CliRunner().invoke(cli, [command, "--help"]).output
        usage = next(line for line in README.splitlines() if line.strip().startswith(f"newsclaims {command} "))
        for option in re.findall(r"--[a-z-]+", usage):
            assert option in help_text, (command, option)


def test_the_python_examples_run(tmp_path):
    section = README.split("### From Python", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 3
    (tmp_path / "seeds").symlink_to(ROOT / "seeds")
    for block in blocks:
        done = subprocess.run([sys.executable, "-c", block], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, (block, done.stderr)
        comments = re.findall(r"print\(.*?#\s*(.+)$", block, re.M)
        for expected in comments:
            fragment = expected.split("…")[0].strip().strip('"')
            assert fragment in done.stdout, (fragment, done.stdout)
