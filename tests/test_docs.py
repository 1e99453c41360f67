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
HASH = re.compile(r"\b[0-9a-f]{32}\b")


def fenced(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", README, flags=re.S)


def test_the_first_two_commands_are_the_demo_and_the_tests():
    demo, tests = fenced("bash")[:2]
    assert "pip install ." in demo and "timeline import events/" in demo and "timeline stance" in demo
    assert tests.strip() == "pip install -e '.[test]' && pytest"


def test_ci_runs_the_readmes_test_command():
    assert fenced("bash")[1].strip() in (ROOT / ".ci" / "run").read_text().splitlines()


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_documented(name):
    assert f"`{name}" in README


def transcript() -> list[tuple[str, str]]:
    """Each `$ timeline …` line of the README's console blocks, with the output shown under it."""
    steps = []
    for block in fenced("console"):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            if command.startswith("timeline "):
                steps.append((command, output))
    return steps


def normalise(text: str) -> list[str]:
    return [HASH.sub("<hash>", line.rstrip()) for line in text.strip("\n").splitlines()]


def test_transcripts_are_what_the_tool_prints(tmp_path):
    shutil.copytree(ROOT / "events", tmp_path / "events")
    steps = transcript()
    assert len(steps) >= 7
    for command, shown in steps:
        args = [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', command)][1:]
        done = run_timeline(*args, cwd=tmp_path)
        assert normalise(done.stdout + done.stderr) == normalise(shown), command


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
