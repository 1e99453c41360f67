"""The stance chart: one lane per actor, each stance a step over time, every event a marker with its source."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import altair as alt

from .errors import InputError
from .files import write_out
from .store import Store

# Diverging red-to-blue with a grey middle, so that "ambiguous" stays visible on white.
SCALE = alt.Scale(domain=[-2, -1, 0, 1, 2], range=["#b2182b", "#ef8a62", "#8c8c8c", "#67a9cf", "#2166ac"])
LANE_HEIGHT = 46
PERIOD, FADE_STEPS = 0.22, 6
"""How strong a held stance's shading is, and in how many steps an undated start fades in to it."""
WIDTH = 760
MAX_LANES, MAX_MARKERS = 30, 1500
"""Past these a chart is no longer read: the lanes kept are the actors with the most events, and past MAX_MARKERS
only the events where a lane's stance changes keep their marker. The subtitle says what was left out."""
SAVE_OPTIONS = {".html": {"inline": True}, ".png": {"scale_factor": 2}, ".svg": {}}  # altair's save, by suffix
TICK_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)
"""The months between ticks on the time axis, the fewest that leave at most a dozen."""
SHARP_LANES = 12
"""Up to this many lanes a PNG is drawn at twice its size, for sharp screens; past it, at its size, to stay small."""


def chart(store: Store, topic: str, *, actors: list[str] | None = None, group: str | None = None,
          start: date | None = None, end: date | None = None, as_of: date | None = None) -> alt.FacetChart:  # fmt: skip
    """Build the Vega-Lite chart of `topic` for the given actors (or a group's members, or everyone who spoke).
    Past MAX_LANES lanes or MAX_MARKERS markers it leaves some out, and says so in its subtitle and in its
    `usermeta["left_out"]`."""
    with store.reading():  # one connection for all of its reads: on a file, no write lands between them
        subjects = store.topic_subjects(topic).dicts()  # refuses a topic the store does not hold
        proposition = store.table("topics", topic_id=topic).first()["proposition"]
        start = start or min((s["first_day"] for s in subjects), default=as_of or date.today())
        end = end or max([as_of or start, *(s["last_day"] for s in subjects)])
        if start > end:
            raise InputError(f"the chart would start on {start} and end on {end}. Give a start on or before its end.")
        lanes = _lanes(store, subjects, actors, group, start, end)
        lanes, left_out = _busiest(lanes, subjects, keep_first=bool(group))
        events = store.chart_markers(topic, lanes, start, end, MAX_MARKERS).dicts()
        markers, marked = _markers(events, end), events[0]["marked"] if events else 0
        periods, dense = _periods(store, topic, lanes, start, end)
        rows = periods + markers
        names = {a["actor_id"]: a["name"] for a in store.table("actors", actor_id=lanes).dicts()}
    layers = [_period_layer(), _step_layer(), _span_layer(), _point_layer(), _claim_layer()]
    if as_of:
        rows += [{"layer": "as_of", "lane": lane, "start": as_of.isoformat(), "label": f"as of {as_of}"} for lane in lanes]
        layers.append(_as_of_layer())
    for row in rows:
        row["lane"] = names.get(row["lane"], row["lane"])
    lane_order = [names.get(lane, lane) for lane in lanes]
    note = _left_out_note(len(lanes), left_out, len(markers), marked, dense)
    return (
        alt.layer(*layers, data={"values": rows})  # a dict: altair checks each of the rows of an alt.Data against its schema
        .properties(width=WIDTH, height=LANE_HEIGHT)
        .facet(row=alt.Row("lane:N", sort=lane_order, title=None, header=alt.Header(labelAngle=0, labelAlign="left")))
        .properties(title=alt.Title(f"Stances on {topic}", anchor="start", subtitle=[
            proposition, "dot: statement dated to the day  |  bar: statement dated only to a span  |  "
            "hollow diamond: claim by another actor  |  dashed line: as-of day  |  shading: stance held",
            *note]), usermeta={"left_out": "; ".join(note) or None, "lanes": len(lanes)})
        .resolve_scale(x="shared")
        .configure_facet(spacing=4)
        .configure_view(stroke="#ddd")
        .configure_axisX(tickCount=_ticks(start, end))
    )


def save(figure: alt.TopLevelMixin, path: str | Path) -> None:
    """Write the chart as self-contained HTML (scripts inlined, works offline), PNG or SVG, by the file's suffix.

    Like an export, it is written beside `path` and put in its place once whole."""
    path = Path(path)
    if path.suffix not in SAVE_OPTIONS:
        raise ValueError(f'chart file "{path}" has an unknown type. Use .html, .png or .svg.')

    options = dict(SAVE_OPTIONS[path.suffix])
    if "scale_factor" in options and (figure.usermeta or {}).get("lanes", 0) > SHARP_LANES:
        options["scale_factor"] = 1

    def write(part: Path) -> int:
        figure.save(str(part), format=path.suffix[1:], **options)
        return 1

    write_out(path, write, example="chart" + path.suffix)


def _lanes(store: Store, subjects: list[dict], actors: list[str] | None, group: str | None,
           start: date, end: date) -> list[str]:  # fmt: skip
    """Lanes asked for, or a group and its members in office during the window, or everyone who spoke, in the order
    they first appear (`subjects`: Store.topic_subjects)."""
    if actors:
        if len(actors) > MAX_LANES:
            raise InputError(f"the chart is asked for {len(actors)} lanes; past {MAX_LANES} it can no longer be "
                             "read. Name fewer actors, or draw several charts.")  # fmt: skip
        for actor in actors:
            store.table("actors", actor_id=actor)  # refuses an actor the store does not hold
        return actors
    if not group:
        return [s["subject_id"] for s in subjects if s["speaks"]]
    members = {m["actor_id"] for m in store.table("memberships", group_id=group).dicts()
               if (m["valid_from"] or start) <= end and start < (m["valid_to"] or end + timedelta(days=1))}  # fmt: skip
    return [group, *(s["subject_id"] for s in subjects if s["subject_id"] in members)]


def _busiest(lanes: list[str], subjects: list[dict], keep_first: bool) -> tuple[list[str], int]:
    """At most MAX_LANES lanes, in their order: those of the actors with the most events (a group's own lane kept
    first); and how many were left out."""
    if len(lanes) <= MAX_LANES:
        return lanes, 0
    counts = {s["subject_id"]: s["events"] for s in subjects}
    fixed = lanes[:1] if keep_first else []
    ranked = sorted(lanes[len(fixed):], key=lambda lane: -counts.get(lane, 0))[: MAX_LANES - len(fixed)]
    kept = set(fixed + ranked)
    return [lane for lane in lanes if lane in kept], len(lanes) - len(kept)


def _ticks(start: date, end: date) -> dict:
    """A tick, and its grid line in each lane, every month, or every few months, so that a span of years has at most
    a dozen: a line each month over ten years made the chart hard to read, and its PNG twice the size."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = next((step for step in TICK_STEPS if months <= 12 * step), TICK_STEPS[-1])
    return {"interval": "month", "step": step}


def _left_out_note(lanes: int, left_out: int, shown: int, marked: int, dense: int) -> list[str]:
    """The subtitle's lines saying what a chart too large to read leaves out or draws otherwise, if anything."""
    parts = []
    if left_out:
        parts.append(f"{lanes} of {lanes + left_out:,} lanes, those with the most events (name others with --actors)")
    if shown < marked:
        parts.append(f"{shown:,} of {marked:,} events marked, where a stance changes (all are in timeline history)")
    if dense:
        parts.append(f"{dense} {'lane' if dense == 1 else 'lanes'} shaded by the stance held longest in each pixel")
    return parts  # a line each: one long line would widen the whole chart


def _periods(store: Store, topic: str, lanes: list[str], start: date, end: date) -> tuple[list[dict], int]:
    """The rows that shade each lane's spans of stance in the window, and step to their level. A lane with more dated
    spans than half its pixels is shaded pixel by pixel (_by_pixel). Returns the rows and how many lanes were."""
    stop = end + timedelta(days=1)
    held: dict[str, list[tuple[dict, date, date]]] = {}
    periods = store.table("stance_periods", topic_id=topic, actor_id=lanes).dicts()
    last = {p["actor_id"]: p["period_no"] for p in sorted(periods, key=lambda p: p["period_no"])}
    for p in periods:
        if p["valid_to"] is None and p["period_no"] < last[p["actor_id"]]:
            continue  # no start known, and followed by another with none: it held on no known day
        since, until = max(p["valid_from"] or start, start), min(p["valid_to"] or stop, stop)
        if since < until:
            held.setdefault(p["actor_id"], []).append((p, since, until))
    rows, dense = [], 0
    for lane, spans in held.items():
        dated = [span for span in spans if span[0]["valid_from"] is not None]
        if len(dated) > WIDTH // 2:
            dense += 1
            rows += _by_pixel(lane, dated, start, stop)
            spans = [span for span in spans if span[0]["valid_from"] is None]
        for p, since, until in spans:
            rows += _shading(p, since, until)
    return rows, dense


def _shading(p: dict, since: date, until: date) -> list[dict]:
    """One span of stance: a row, or where nobody dated its start, rows that fade in over a quarter of it, in steps."""
    row = {"layer": "period", "lane": p["actor_id"], "score": p["score"], "stance": p["stance"], "fade": PERIOD}
    if p["valid_from"] is not None:
        return [{**row, "start": since.isoformat(), "end": until.isoformat()}]
    step, rows = max((until - since) // (4 * FADE_STEPS), timedelta(days=1)), []
    for i in range(FADE_STEPS):
        left = since + i * step
        rows.append({**row, "start": left.isoformat(), "end": min(left + step, until).isoformat(),
                     "fade": PERIOD * (i + 1) / (FADE_STEPS + 1)})  # fmt: skip
    if since + FADE_STEPS * step < until:
        rows.append({**row, "start": (since + FADE_STEPS * step).isoformat(), "end": until.isoformat()})
    return rows


def _by_pixel(lane: str, spans: list[tuple[dict, date, date]], start: date, stop: date) -> list[dict]:
    """A lane's dated spans shaded pixel by pixel: each pixel's days (the window over WIDTH) by the stance held for
    most of them, and a run of pixels alike as one row. Past a span a pixel wide, drawing each span shows nothing more:
    the 10M store's busiest topic had 154k spans in its 30 lanes, about 5,000 a lane of 760 pixels."""
    pixel = max(1, -(-(stop - start).days // WIDTH))
    days: dict[int, dict[tuple[int, str], int]] = {}
    bounds: dict[int, tuple[date, date]] = {}  # each pixel's first and last held day: no shading where none is held
    for p, since, until in spans:
        for i in range((since - start).days // pixel, ((until - start).days - 1) // pixel + 1):
            left, right = max(since, start + timedelta(days=i * pixel)), min(until, start + timedelta(days=(i + 1) * pixel))
            held = days.setdefault(i, {})
            held[p["score"], p["stance"]] = held.get((p["score"], p["stance"]), 0) + (right - left).days
            first, last = bounds.get(i, (left, right))
            bounds[i] = min(first, left), max(last, right)
    rows = []
    for i in sorted(days):
        (score, stance), (left, right) = max(days[i], key=days[i].get), bounds[i]
        if rows and rows[-1]["stance"] == stance and rows[-1]["end"] == left.isoformat():
            rows[-1]["end"] = right.isoformat()
        else:
            rows.append({"layer": "period", "lane": lane, "score": score, "stance": stance, "fade": PERIOD,
                         "start": left.isoformat(), "end": right.isoformat()})  # fmt: skip
    return rows


def _markers(events: list[dict], end: date) -> list[dict]:
    """The rows that mark each event (Store.chart_markers): a dot, a bar over its span, or a claim's diamond."""
    rows = []
    for e in events:
        first_hand = e["actor_id"] == e["subject_id"]
        rows.append({
            "layer": ("point" if e["date_precision"] == "day" else "span") if first_hand else "claim",
            "lane": e["subject_id"], "start": e["shown_from"].isoformat(),
            "end": (min(e["occurred_to"], end) + timedelta(days=1)).isoformat(),
            "score": e["score"], "stance": e["stance"], "date": _written(e), "precision": e["date_precision"],
            "quote": e["quote"] or "(no quote)", "source": f"{e['outlet']} ({e['source_id']})",
            "by": e["actor_id"] if not first_hand else "",
        })  # fmt: skip
    return rows


def _written(e: dict) -> str:
    span = e["occurred_to"].isoformat() if e["occurred_from"] == e["occurred_to"] else \
        f"{e['occurred_from'] or '…'} to {e['occurred_to']}"  # fmt: skip
    return f"{span} (\u201c{e['date_text']}\u201d)"


TOOLTIP = [
    alt.Tooltip("date:N", title="date"), alt.Tooltip("stance:N"), alt.Tooltip("quote:N"),
    alt.Tooltip("source:N"), alt.Tooltip("precision:N", title="date precision"),
]  # fmt: skip
X = alt.X("start:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap=True))  # ticks: _ticks
Y = alt.Y("score:Q", scale=alt.Scale(domain=[-2.6, 2.6]), axis=None)
COLOR = alt.Color("score:Q", scale=SCALE, title="stance", legend=alt.Legend(
    values=[-2, -1, 0, 1, 2], labelExpr="['rules out', 'opposes', 'ambiguous', 'open', 'supports'][datum.value + 2]"))


def _only(layer: str) -> str:
    return f"datum.layer == '{layer}'"


def _period_layer() -> alt.Chart:
    # Shading and steps are not announced to a screen reader, mark by mark: the statements are. Describing each of a
    # large chart's thousands of spans took a sixth of drawing it.
    return alt.Chart().transform_filter(_only("period")).mark_rect(aria=False).encode(
        x=X, x2="end:T", color=COLOR, opacity=alt.Opacity("fade:Q", scale=None),
        tooltip=[alt.Tooltip("stance:N"), alt.Tooltip("start:T", title="since")])


def _step_layer() -> alt.Chart:
    return alt.Chart().transform_filter(_only("period")).mark_rule(strokeWidth=2.5, aria=False).encode(
        x=X, x2="end:T", y=Y, color=COLOR)


def _span_layer() -> alt.Chart:
    return alt.Chart().transform_filter(_only("span")).mark_rule(strokeWidth=6, opacity=0.8, strokeCap="round").encode(
        x=X, x2="end:T", y=Y, color=COLOR, tooltip=TOOLTIP)


def _point_layer() -> alt.Chart:
    return alt.Chart().transform_filter(_only("point")).mark_point(filled=True, size=70, stroke="black",
                                                                    strokeWidth=0.6).encode(  # fmt: skip
        x=X, y=Y, color=COLOR, tooltip=TOOLTIP)


def _claim_layer() -> alt.Chart:
    return alt.Chart().transform_filter(_only("claim")).mark_point(shape="diamond", filled=False, size=90,
                                                                    strokeWidth=2, strokeDash=[2, 1]).encode(  # fmt: skip
        x=X, y=Y, color=COLOR, tooltip=[alt.Tooltip("by:N", title="claimed by"), *TOOLTIP])


def _as_of_layer() -> alt.Chart:
    return alt.Chart().transform_filter(_only("as_of")).mark_rule(color="black", strokeDash=[4, 3]).encode(
        x=X, tooltip=[alt.Tooltip("label:N")])
