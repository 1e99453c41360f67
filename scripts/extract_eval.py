"""Score the extractor on news annotated for attribution, in PolNeAR's layout (text/, attributions/, metadata.tsv).

    python scripts/extract_eval.py FOLDER

An attribution is found when a candidate's content and the annotated content overlap by at least half of each; a
candidate is real when it finds one; its speaker is right when its span overlaps the annotated source. Each figure is
given for direct quotations (annotated content that is a quotation; candidates marked direct) and for all.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from timeline.extract import candidates

QUOTE_MARKS = "\u201c\"\u2018'"


@dataclass
class Gold:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]]
    direct: bool


def spans(text: str) -> list[tuple[int, int]]:
    return [tuple(map(int, part.split())) for part in text.split(";")]


def gold(path: Path, text: str) -> list[Gold]:
    """The annotated attributions of one article: content spans, source spans, and whether the content is quoted."""
    found, relations = {}, []
    for line in path.read_text().splitlines():
        if line.startswith("T"):
            name, kind_spans, _ = line.split("\t", 2)
            kind, _, where = kind_spans.partition(" ")
            found[name] = (kind, spans(where))
        elif line.startswith("E"):
            relations.append(dict(part.split(":") for part in line.split("\t")[1].split()))
    out = []
    for relation in relations:
        if "Content" not in relation:
            continue
        content = found[relation["Content"]][1]
        source = found[relation["Source"]][1] if "Source" in relation else []
        words = text[content[0][0]:content[-1][1]].strip()
        out.append(Gold(content, source, len(words) > 2 and words[0] in QUOTE_MARKS))
    return out


def overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def size(a: list[tuple[int, int]]) -> int:
    return sum(e - s for s, e in a)


def matches(candidate, g: Gold) -> bool:
    mine = [(candidate.content_start, candidate.content_end)]
    common = overlap(mine, g.content)
    return common * 2 >= size(g.content) and common * 2 >= size(mine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    if not (args.folder / "text").is_dir():
        sys.exit(f'"{args.folder}" has no text/ folder: give a folder in PolNeAR\'s layout (text/, attributions/, '
                 "metadata.tsv)")
    published = {row["filename"]: date.fromisoformat(row["publication_date"])
                 for row in csv.DictReader((args.folder / "metadata.tsv").open(), delimiter="\t")}  # fmt: skip
    totals = dict.fromkeys(("gold", "gold_direct", "found", "found_direct", "cands", "cands_direct", "real",
                            "real_direct", "speaker", "speaker_direct"), 0)  # fmt: skip
    words = seconds = 0.0
    for path in sorted((args.folder / "text").glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        annotations = sorted((args.folder / "attributions").glob(f"{path.stem}_*.ann"))
        if not annotations:
            continue
        golds = gold(annotations[0], text)
        began = time.perf_counter()
        found = candidates(text, basis=published.get(path.stem))
        seconds += time.perf_counter() - began
        words += len(text.split())
        totals["gold"] += len(golds)
        totals["gold_direct"] += sum(g.direct for g in golds)
        totals["cands"] += len(found)
        totals["cands_direct"] += sum(c.direct for c in found)
        totals["real"] += sum(any(matches(c, g) for g in golds) for c in found)
        totals["real_direct"] += sum(any(matches(c, g) for g in golds) for c in found if c.direct)
        for g in golds:
            hit = next((c for c in found if matches(c, g)), None)
            if hit is None:
                continue
            right = bool(g.source) and overlap([(hit.speaker_start, hit.speaker_end)], g.source) > 0
            totals["found"] += 1
            totals["speaker"] += right
            if g.direct:
                totals["found_direct"] += 1
                totals["speaker_direct"] += right

    def share(part: str, whole: str) -> str:
        return f"{100 * totals[part] / totals[whole]:.1f}% ({totals[part]}/{totals[whole]})" if totals[whole] else "n/a"

    print("| figure | direct quotations | all attributions |\n|---|---|---|")
    print(f"| attributions found | {share('found_direct', 'gold_direct')} | {share('found', 'gold')} |")
    print(f"| candidates that are real | {share('real_direct', 'cands_direct')} | {share('real', 'cands')} |")
    print(f"| speaker right, of those found | {share('speaker_direct', 'found_direct')} | {share('speaker', 'found')} |")
    print(f"\nspeed: {1000 * seconds / max(words / 1000, 1e-9):.1f} ms per 1,000 words ({int(words):,} words)")


if __name__ == "__main__":
    main()
