"""The published site: a stance board that moves through time in the page, a page per actor, a chart per topic, and
the provenance that lets a reader check it. Static files, no server, nothing loaded from elsewhere."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from importlib import resources
from pathlib import Path

from jinja2 import Environment, FunctionLoader, select_autoescape

from .errors import InputError
from .files import Folder, write_out
from .store import Store

ASSETS = ("site.js", "site.css")
COLORS = {-2: "#8e1520", -1: "#b2402f", 0: "#595959", 1: "#1f5f8b", 2: "#0d3a63"}
SITE = Folder("site", "a directory of pages", lambda entry: entry.name in ("index.html", "actors", "charts", *ASSETS))
LANE_LABEL, CHART_WIDTH = 190, 900
MAX_SPANS = 20_000
"""The most spans of stance one page carries: about 10 MB of data, which Chromium opens in under 3 s here."""
MAX_ACTOR_PAGES = 400
"""The most actor pages one site holds: beyond it, only actors on the board. At the cap of statements a page is
about 180 KB, so 400 pages are about 73 MB (the benchmark's 1M store)."""
MAX_STATEMENTS = 500
"""The most statements an actor page lists, and the most changes, the latest; the page says how many more statements
the store holds."""


class _Pages(Environment):
    """Jinja's environment, looking a row's fields up as keys first: `e.quote` on a dict otherwise raises and catches
    an AttributeError before it tries the key, which made up a third of rendering 400 actor pages."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def build(store: Store, out: str | Path, *, topics: list[str] | None = None, title: str = "Stance timeline",
          now: datetime | None = None) -> tuple[int, dict[str, int]]:  # fmt: skip
    """Write the site into `out`, beside it first and in its place once whole. Returns how many pages it holds and,
    by topic, how many actors a page too large to open quickly had to leave out."""
    with store.reading():  # one connection for all of its reads: on a file, no write lands between them
        return _build(store, out, topics, title, now)


def _build(store: Store, out: str | Path, topics: list[str] | None, title: str,
           now: datetime | None) -> tuple[int, dict[str, int]]:  # fmt: skip
    topics = topics or [t["topic_id"] for t in store.table("topics").dicts()]
    if not topics:
        raise InputError("the store holds no topics, so the site would be empty. Import events first.")
    pairs, left_out = _within_budget(store.span_counts(topics).dicts(), topics)  # refuses a topic it does not hold
    spans = store.stance_spans(pairs).dicts()
    outcome = store.verify()
    made = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M")
    provenance = {"events": outcome.count, "head": outcome.head_hash, "texts": outcome.texts,
                  "texts_head": outcome.texts_head, "made_at": made}  # fmt: skip
    env = _Pages(loader=FunctionLoader(_template), autoescape=select_autoescape(["html", "svg"]))
    common = {"title": title, "provenance": provenance, "left_out": left_out}
    shown = {s["actor_id"] for s in spans}

    def write(part: Path) -> int:
        (part / "actors").mkdir(parents=True)
        (part / "charts").mkdir()
        for asset in ASSETS:
            (part / asset).write_text(_template(asset), encoding="utf-8")
        index = _index(store, topics, spans, shown)
        (part / "index.html").write_text(env.get_template("index.html").render(root="", **common, **index), "utf-8")
        for topic in topics:
            chart = env.get_template("chart.svg").render(**_chart(topic, [s for s in spans if s["topic_id"] == topic]))
            (part / "charts" / f"{topic}.svg").write_text(chart, encoding="utf-8")
        actors = store.table("actors").dicts()  # every actor gets a page, or on a large store those on the board
        actors = actors if len(actors) <= MAX_ACTOR_PAGES else [a for a in actors if a["actor_id"] in shown]
        actors = actors[:MAX_ACTOR_PAGES]
        for actor, lists in zip(actors, _actor_pages(store, actors)):
            page = env.get_template("actor.html").render(root="../", **common, actor=actor, **lists)
            (part / "actors" / f"{actor['actor_id']}.html").write_text(page, encoding="utf-8")
        return 1 + len(actors)

    pages = write_out(Path(out), write, folder=SITE)
    return pages, left_out


def _within_budget(counts: list[dict], topics: list[str]) -> tuple[list[dict], dict[str, int]]:
    """The (actor_id, topic_id) pairs whose spans a page can carry, weighed on their `counts` (Store.span_counts): on
    a topic with more than its share of MAX_SPANS, the busiest actors that fit in the share, taken from the busiest
    down; one with more spans than the share has left is passed over (at 10M events the busiest actor alone held more
    than the share, and the board showed no one). Returns the pairs kept and, by topic, how many actors were left
    out."""
    share, kept, left_out = MAX_SPANS // len(topics), [], {}
    for topic in topics:
        mine = sorted((c for c in counts if c["topic_id"] == topic), key=lambda c: (-c["spans"], c["actor_id"]))
        total, chosen = 0, []
        for c in mine:
            if total + c["spans"] <= share:
                chosen.append({"actor_id": c["actor_id"], "topic_id": topic})
                total += c["spans"]
        kept += chosen
        if len(chosen) < len(mine):
            left_out[topic] = len(mine) - len(chosen)
    return kept, left_out


def _index(store: Store, topics: list[str], spans: list[dict], shown: set[str]) -> dict:
    """The board's data: spans, claims and memberships for the page's script, and the days it can move through."""
    days = sorted(s["valid_from"] for s in spans if s["valid_from"][:1].isdigit())
    last = max([*days, *(s["occurred_to"] for s in spans)], default=date.today().isoformat())
    claims = store.table("claims", topic_id=topics, subject_id=sorted(shown)).dicts()
    data = {
        "topics": store.table("topics", topic_id=topics).dicts(),
        "spans": spans,
        "claims": claims,
        "memberships": store.table("memberships").dicts(),
        "default_day": last,
    }
    text = json.dumps(data, ensure_ascii=False, default=str).replace("</", "<\\/")  # a quote cannot end the script
    return {"topics": data["topics"], "data_json": text, "default_day": last, "first_day": days[0] if days else last,
            "last_day": last}  # fmt: skip


def _actor_pages(store: Store, actors: list[dict]) -> list[dict]:
    """Each actor page's lists, read for every page at once: its latest statements by or about it, dated as honestly
    as written, how many earlier ones the store holds, its latest changes, and its groups."""
    ids = [actor["actor_id"] for actor in actors]
    pages = {i: {"history": [], "earlier": 0, "changes": [], "groups": set()} for i in ids}
    for e in store.latest_statements(ids, MAX_STATEMENTS).dicts():
        e["when"] = _written(e["occurred_from"], e["occurred_to"], e["date_precision"])
        pages[e["page_actor"]]["history"].append(e)
        pages[e["page_actor"]]["earlier"] = e["earlier"]
    for c in store.latest_changes(ids, MAX_STATEMENTS).dicts():
        c["when"] = _written(c["changed_on"], c["changed_by"], c["date_precision"])
        pages[c["actor_id"]]["changes"].append(c)
    for m in store.table("memberships", actor_id=ids).dicts():
        pages[m["actor_id"]]["groups"].add(m["group_id"])
    return [{**pages[i], "groups": sorted(pages[i]["groups"])} for i in ids]


def _chart(topic: str, spans: list[dict]) -> dict:
    """A lane per actor, a bar per span of stance, faint where its start is undated."""
    dated = [date.fromisoformat(s[k]) for s in spans for k in ("valid_from", "occurred_to") if s[k][:1].isdigit()
             and s[k] != "1000-01-01"]  # fmt: skip
    start, end = (min(dated), max(dated) + timedelta(days=30)) if dated else (date.today(), date.today())
    scale = (CHART_WIDTH - LANE_LABEL - 10) / max((end - start).days, 1)

    def x(day: str) -> float:
        when = start if not day[:1].isdigit() or day == "1000-01-01" else min(date.fromisoformat(day), end)
        return LANE_LABEL + (max(when, start) - start).days * scale

    lanes = {}
    for s in spans:
        lane = lanes.setdefault(s["actor_id"], {"name": s["actor_name"] or s["actor_id"], "periods": []})
        left, right = x(s["valid_from"]), x(s["valid_to"]) if s["valid_to"] != "infinity" else x(end.isoformat())
        if right > left:
            lane["periods"].append({"x": round(left, 1), "w": round(right - left, 1), "color": COLORS[s["score"]],
                                    "stance": s["stance"], "undated": s["since"] is None,
                                    "label": s["since"] or "an undated start"})  # fmt: skip
    months = [date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1) for i in range(0, 48, 3)]
    ticks = [{"x": round(x(m.isoformat()), 1), "label": m.strftime("%b %Y")} for m in months if start <= m <= end]
    ordered = [lanes[k] for k in sorted(lanes)]
    return {"topic": topic, "start": start, "end": end, "lanes": ordered, "ticks": ticks, "width": CHART_WIDTH,
            "height": 40 + 26 * len(ordered)}  # fmt: skip


def _written(start: date | None, end: date, precision: str) -> str:
    """A date as precisely as it is known: a month as a month, an open start as undated."""
    if start is None:
        return f"undated (on or before {end.isoformat()})"
    if precision == "month":
        return start.strftime("%B %Y")
    if precision == "year":
        return str(start.year)
    if start == end:
        return start.isoformat()
    return f"between {start.isoformat()} and {end.isoformat()}"


def _template(name: str) -> str:
    return (resources.files("timeline") / "templates" / name).read_text(encoding="utf-8")
