"""The extractor measured on annotated news: the script runs, and the rules keep what they reached."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT

POLNEAR = ROOT.parent / "shared" / "polnear-dev"


@pytest.mark.skipif(not (POLNEAR / "text").is_dir(), reason=f"the annotated news to measure on ({POLNEAR}) is not "
                    "beside this checkout: it comes with the team's shared folder and is kept out of the product")
def test_the_extractor_is_scored_on_annotated_news():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "extract_eval.py"), str(POLNEAR)],
                          capture_output=True, text=True, check=True)  # fmt: skip
    figures = {row[0]: row[1:] for row in re.findall(r"^\| ([a-z ,]+) \| ([\d.]+)% \(\d+/\d+\) \| ([\d.]+)% \(\d+/\d+\) \|$",
                                                     done.stdout, flags=re.M)}  # fmt: skip
    assert list(figures) == ["attributions found", "candidates that are real", "speaker right, of those found"]
    direct_found, all_found = map(float, figures["attributions found"])
    direct_real, _ = map(float, figures["candidates that are real"])
    assert direct_found >= 65 and direct_real >= 80 and all_found >= 20  # what the rules reached when last tuned


def test_the_script_names_a_folder_it_cannot_read(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "extract_eval.py"), str(tmp_path)],
                          capture_output=True, text=True)  # fmt: skip
    assert (done.returncode, done.stderr) == (1, f'"{tmp_path}" has no text/ folder: give a folder in PolNeAR\'s '
                                                 "layout (text/, attributions/, metadata.tsv)\n")
