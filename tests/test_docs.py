"""The README's commands are the ones CI and users run."""

import re

from click.testing import CliRunner

from datasette_newsclaims.cli import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def indented_commands():
    return [line.strip() for line in README.splitlines() if line.startswith("    python3 -m venv")]


def test_readme_has_the_two_setup_commands():
    main, tests = indented_commands()
    assert "newsclaims load news.db seeds/" in main and "datasette serve news.db" in main
    assert tests.endswith("pytest")


def test_ci_runs_the_readme_test_command():
    _, tests = indented_commands()
    assert tests in (ROOT / ".ci" / "run").read_text("utf-8")


def test_every_documented_option_exists():
    for command in ("load", "extract"):
        help_text = CliRunner().invoke(cli, [command, "--help"]).output
        usage = next(line for line in README.splitlines() if line.strip().startswith(f"newsclaims {command} "))
        for option in re.findall(r"--[a-z-]+", usage):
            assert option in help_text, (command, option)
