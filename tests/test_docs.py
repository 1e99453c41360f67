"""The README stays true: its commands are the ones CI runs, and its transcripts are what the tool prints."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, run_timeline

from timeline.cli import main

README = (ROOT / "README.md").read_text()
DOCS = sorted((ROOT / "docs").glob("*.md"))
HASH = re.compile(r"\b[0-9a-f]{32}\b")


def fenced(kind: str, text: str = README) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", text, flags=re.S)


def test_the_first_two_commands_are_the_demo_and_the_tests():
    demo, tests = fenced("bash")[:2]
    assert "pip install ." in demo and "timeline import events/" in demo and "timeline stance" in demo
    assert tests.strip() == "pip install -e '.[test]' && pytest"


def test_ci_runs_the_readmes_test_command():
    assert fenced("bash")[1].strip() in (ROOT / ".ci" / "run").read_text().splitlines()


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_documented(name):
    assert f"`{name}" in README


def transcript(text: str = README) -> list[tuple[str, str]]:
    """Each `$ timeline …` line of a page's console blocks, with the output shown under it."""
    steps = []
    for block in fenced("console", text):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            if command.startswith("timeline "):
                steps.append((command, output))
    return steps


def normalise(text: str) -> list[str]:
    return [HASH.sub("<hash>", line.rstrip()) for line in text.strip("\n").splitlines()]


def test_transcripts_are_what_the_tool_prints(tmp_path):
    assert len(transcript()) >= 7
    replay(transcript(), tmp_path)


@pytest.mark.parametrize("page", DOCS, ids=lambda p: p.name)
def test_transcripts_in_docs_are_what_the_tool_prints(tmp_path, page):
    """Each page of docs/ starts from the sample's events/ and no store, as the README does."""
    replay(transcript(page.read_text()), tmp_path)


def replay(steps: list[tuple[str, str]], folder) -> None:
    shutil.copytree(ROOT / "events", folder / "events")
    for command, shown in steps:
        args = [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', command)][1:]
        done = run_timeline(*args, cwd=folder)
        assert normalise(done.stdout + done.stderr) == normalise(shown), command


def test_the_readme_is_short_and_links_every_page_of_docs():
    assert len(README.splitlines()) <= 150
    assert all(f"docs/{page.name}" in README for page in DOCS)


def test_each_guarantee_names_a_test_that_exists():
    named = re.findall(r"`(tests/test_\w+\.py)::(test_\w+)`", README)
    assert len(named) >= 9
    for path, test in named:
        assert f"def {test}(" in (ROOT / path).read_text(), f"{path}::{test}"


def test_docs_sql_lists_every_public_object_with_its_columns(tmp_path):
    """docs/sql.md documents exactly what the main schema holds, column by column."""
    from timeline import Store

    store = Store.open(tmp_path / "t.duckdb")
    page = (ROOT / "docs" / "sql.md").read_text()
    rows = re.findall(r"^\| `(\w+)(?:\([^`]*\))?` \| ([\w, ]+) \|", page, flags=re.M)
    documented = {name: columns.split(", ") for name, columns in rows}
    listed = store.sql(
        "select table_name from duckdb_tables() where schema_name = 'main' and table_name not in"
        " ('schema_migrations', 'store_meta') union all select view_name from duckdb_views() where schema_name = 'main'"
        " and not internal union all select function_name from duckdb_functions() where schema_name = 'main'"
        " and function_type = 'table_macro' and database_name = current_database()"
    ).tuples()
    assert sorted(documented) == sorted(name for (name,) in listed)
    for name, columns in documented.items():
        source = f"{name}('2024-03-10')" if name.endswith("_as_of") else name
        assert store.sql(f"select * from {source} limit 0").columns == columns, name


def test_chart_in_docs_is_committed():
    assert (ROOT / "docs" / "france-ground-troops.png").stat().st_size > 10_000
    assert "docs/france-ground-troops.png" in README


def test_example_script_runs(tmp_path):
    from timeline import Store

    Store.open(tmp_path / "ex.duckdb").import_paths([ROOT / "events"])
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "append_example.py"), str(tmp_path / "ex.duckdb")],
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert done.stdout.splitlines()[0] == "appended 1, already present 0"
    assert "sebastien-lecornu    open       since 2024-02-26 (2 sources)" in done.stdout
    assert "thierry-burkhard     supports   since an unknown day (1 sources)" in done.stdout
