"""The `timeline` command: each command opens the store, calls one library function and prints the answer."""

from __future__ import annotations

import functools
import json
import importlib.abc
import sys
from pathlib import Path

import click

from . import dates, messages
from . import export as exports
from .errors import DateError, StoreMissing, TimelineError
from .export import FORMATS as EXPORT_FORMATS
from .files import spooled_stdin
from .output import FORMATS, progress_bar, render
from .results import Result
from .store import Store


EXIT_CODES = "Exit status: 0 ok, 1 error (bad input, locked or missing store, failed verify), 2 usage."


class DateParam(click.ParamType):
    """A date on the command line, read by dates.py: a day (ISO or "1 March 2024"), or an instant (UTC)."""

    def __init__(self, name: str, parse):
        self.name, self._parse = name, parse

    def convert(self, value, param, ctx):
        try:
            return self._parse(value)
        except DateError as e:
            self.fail(str(e), param, ctx)


class DayParam(DateParam):
    """A day: a month, a year or a span given for it means its last day, and the command says so on stderr."""

    def convert(self, value, param, ctx):
        day = super().convert(value, param, ctx)
        if isinstance(value, str) and value.strip().lower() != "today":
            span = dates.resolve(value)
            if span.start != span.end:
                click.echo(f'{param.opts[0]} {day.isoformat()}: "{value}" is read as its last day', err=True)
        return day


DAY, INSTANT = DayParam("DATE", dates.day), DateParam("TIMESTAMP", dates.instant)


def example(text: str) -> str:
    """The epilog that ends every command's --help: one real invocation."""
    return f"\b\nExample:\n  {text}"


def as_of(f):
    """Option --as-of, the day a stance or a group's spread is asked for: today (UTC) unless given."""
    return click.option("--as-of", "as_of", type=DAY, default="today", show_default=True,
                        help="The day to answer for: 2024-03-10, 1 March 2024 or today. A month or a year means its "
                             "last day (2024-03: 2024-03-31), which is then said.")(f)  # fmt: skip


def window(f):
    """Options --since and --until: only what may have happened between those days, imprecise dates included."""
    f = click.option("--until", type=DAY, help="Only what may have happened on or before this day.")(f)
    return click.option("--since", type=DAY, help="Only what may have happened on or after this day.")(f)


def reading(f):
    """Options shared by every reading command: --format, plus opening an existing store."""

    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                  help="table for people; json or csv for scripts.")  # fmt: skip
    @click.pass_context
    @functools.wraps(f)
    def wrapper(ctx, fmt, **kwargs):
        result, columns = f(opened(ctx), **kwargs)
        render(result, fmt, columns=columns)

    return wrapper


class Group(click.Group):
    """Turns the project's own errors into a one-line message and exit status 1, without a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TimelineError as e:
            raise click.ClickException(str(e)) from None


@click.group(cls=Group, epilog=EXIT_CODES)
@click.option("--db", envvar="TIMELINE_DB", default="timeline.duckdb", show_default=True,
              help="The store: a DuckDB file, or a lake as ducklake:postgres:dbname=... host=... (env TIMELINE_DB).")
@click.option("--data-path", type=click.Path(file_okay=False, path_type=Path), envvar="TIMELINE_DATA_PATH",
              help="A new lake's folder for its data files; init needs it once (env TIMELINE_DATA_PATH).")
@click.option("--wait", type=click.FloatRange(min=0), envvar="TIMELINE_WAIT", default=10.0, show_default=True,
              metavar="SECONDS", help="How long to wait for another writer to finish before giving up (env TIMELINE_WAIT).")
@click.option("--memory-limit", envvar="TIMELINE_MEMORY_LIMIT", metavar="SIZE",
              help="How much memory DuckDB may hold, such as 4GB; past it, work goes to a temp directory and runs "
                   "slower (default 80% of the machine's; env TIMELINE_MEMORY_LIMIT).")
@click.version_option(package_name="stance-timeline")
@click.pass_context
def main(ctx, db, data_path, wait, memory_limit):
    """Who said what, when, and what each actor's position was on any date.

    Start with `timeline import events/`, then ask `timeline stance --as-of 2024-03-10`.
    """
    ctx.obj = {"db": db, "data_path": data_path, "wait": wait, "memory_limit": memory_limit}


def opened(ctx: click.Context, *, create: bool = False) -> Store:
    """The store --db names, brought up to date; created only where the command creates one."""
    return Store.open(ctx.obj["db"], create=create, data_path=ctx.obj["data_path"], lock_timeout=ctx.obj["wait"],
                      arrow=False, memory_limit=ctx.obj["memory_limit"])  # fmt: skip


@main.command(epilog=example("timeline --db ukraine.duckdb init"))
@click.pass_context
def init(ctx):
    """Create an empty store, or bring an existing one up to date and rebuild what it derives from the log."""
    store = opened(ctx, create=True)
    store.rebuild()
    click.echo(f'store "{store.path}" ready at schema version {store.schema_version()}')


@main.command("import", epilog=example("timeline import events/"))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def import_(ctx, paths):
    """Import .jsonl files, or every .jsonl under a directory, in one transaction; - reads standard input.

    A .txt file (or one under a directory) is the archived text of the source it is named after,
    texts/SOURCE_ID.txt: every quote from that source is then found in it, or refused.
    """
    from . import ingest

    store = opened(ctx, create=True)
    with spooled_stdin(paths) as paths, progress_bar(sum(f.stat().st_size for f in ingest.jsonl_files(paths))) as tick:
        result = store.import_paths(paths, progress=tick)
    click.echo(messages.imported(result) or "nothing to import: the files hold no lines")


@main.command(epilog=example('timeline append --actor emmanuel-macron --topic ground-troops-to-ukraine --stance open '
         '--date "last month" --source not-up-for-discussion-2024-03-08 --summary "Says nothing is excluded."'))  # fmt: skip
@click.option("--actor", required=True, help="Who spoke or acted (actor id).")
@click.option("--topic", required=True, help="Topic id.")
@click.option("--stance", required=True, help="A label on the topic's scale, e.g. open.")
@click.option("--date", "date_", required=True, help='ISO date or phrase, e.g. "last month", read against the source.')
@click.option("--source", required=True, help="Source id.")
@click.option("--summary", required=True, help="Your paraphrase of what was said.")
@click.option("--quote", help="The exact words, if quoted.")
@click.option("--subject", help="Whose position it is about, when not the actor's own (a claim or report).")
@click.option("--kind", type=click.Choice(["statement", "action", "claim", "report"]), default="statement")
@click.option("--conditions", help='Conditions attached, e.g. "training missions only".')
@click.option("--confidence", type=click.Choice(["high", "medium", "low"]), default="medium")
@click.option("--locator", help="Where in the source: paragraph or character span.")
@click.option("--supersedes", help="event_id this event corrects.")
@click.option("--correction-reason", type=click.Choice(["entry_error", "reclassification", "retraction"]))
@click.option("--date-basis", type=DAY, help="Resolve the date against this day instead of the source's.")
@click.pass_context
def append(ctx, date_, **fields):
    """Append one event and print its event_id."""
    entry = {"date": date_, **{k: v for k, v in fields.items() if v is not None}}
    result = opened(ctx).append(entry)
    if not result.added:
        click.echo("already present: nothing appended", err=True)
    click.echo(result.event_ids[0])


@main.command(epilog=example("timeline stance --topic ground-troops-to-ukraine --as-of 2024-03-10"))
@as_of
@click.option("--actor", help="Only this actor.")
@click.option("--topic", help="Only this topic.")
@click.option("--known-at", type=INSTANT, help="Read the store as it stood then (UTC; default: everything).")
@click.option("--include-reported", is_flag=True, help="Set others' claims beside each stance.")
@reading
def stance(store, as_of, actor, topic, known_at, include_reported):
    """Each actor's position on each topic on a given day.

    The position is the actor's latest own statement dated on or before that day; corrections replace what they
    correct, claims by others never count, and silence is not a change. A statement dated only to a span that
    straddles the day is date_uncertain. One whose start is undated (a "longtime" stance) counts from the beginning
    of time: its since shows as undated.
    """
    result = store.stance_as_of(as_of, known_at=known_at, actor=actor, topic=topic, include_reported=include_reported)
    columns = ["actor_id", "topic_id", "stance", "score", "since", "date_precision", "date_uncertain", "n_sources",
               "quote"]  # fmt: skip
    if include_reported:
        columns[1:1] = ["voice", "reported_by", "contradicts"]
    return result, columns


@main.command(epilog=example("timeline history emmanuel-macron --topic ground-troops-to-ukraine"))
@click.argument("actor")
@click.option("--topic", help="Only this topic.")
@window
@reading
def history(store, actor, topic, since, until):
    """Everything said by or about one actor, in order."""
    columns = ["occurred_from", "occurred_to", "date_precision", "actor_id", "subject_id", "kind", "topic_id",
               "stance", "source_id", "quote", "superseded_by"]  # fmt: skip
    return store.history(actor, topic=topic, since=since, until=until), columns


@main.command(epilog=example("timeline changes --topic ground-troops-to-ukraine --since 2024-03-01"))
@click.option("--actor", help="Only this actor.")
@click.option("--topic", help="Only this topic.")
@window
@reading
def changes(store, actor, topic, since, until):
    """Every change of position: shifts and reversals (repeats are not changes)."""
    return store.changes(actor=actor, topic=topic, since=since, until=until), None


@main.command(epilog=example("timeline claims --as-of 2024-10-04"))
@click.option("--as-of", "as_of", type=DAY, help="Only claims in force that day, beside the subject's stance then.")
@click.option("--known-at", type=INSTANT, help="Read the store as it stood then (needs --as-of).")
@click.option("--subject", help="Only claims about this actor.")
@click.option("--topic", help="Only this topic.")
@reading
def claims(store, as_of, known_at, subject, topic):
    """Second-hand claims and reports, beside the subject's own stance."""
    columns = ["occurred_from", "claimant_id", "subject_id", "topic_id", "claimed_stance", "own_stance",
               "contradicts", "quote"]  # fmt: skip
    if as_of is None:
        if known_at is not None:
            raise click.UsageError("--known-at needs --as-of: the claims in force on that day, as the store stood "
                                   "then. Add --as-of, e.g. --as-of 2024-10-04.")  # fmt: skip
        return store.table("claims", subject_id=subject, topic_id=topic), columns
    return store.claims_as_of(as_of, known_at=known_at, subject=subject, topic=topic), columns


@main.command(epilog=example("timeline groups --as-of 2024-03-10 --topic ground-troops-to-ukraine"))
@as_of
@click.option("--group", help="Only this group.")
@click.option("--topic", help="Only this topic.")
@click.option("--known-at", type=INSTANT, help="Read the store as it stood then (UTC).")
@reading
def groups(store, as_of, group, topic, known_at):
    """Each group's own stance and its members', with how divided they are."""
    columns = ["group_id", "topic_id", "own_stance", "n_members", "min_score", "max_score", "mean_score", "divided",
               "members"]  # fmt: skip
    return store.group_stance_as_of(as_of, known_at=known_at, group=group, topic=topic), columns


@main.command(epilog=example("timeline sql \"select actor_id, count(*) from events group by all\""))
@click.argument("query")
@reading
def sql(store, query):
    """Run one read-only SQL statement against the store."""
    return store.sql(query), None


@main.group(epilog=example("timeline source add events/texts/not-up-for-discussion-2024-03-08.txt --source-id "
                           "not-up-for-discussion-2024-03-08"))
def source():
    """Archived sources: the articles events cite, kept as text their quotes are checked against."""


@source.command("add", epilog=example("timeline source add events/texts/not-up-for-discussion-2024-03-08.txt "
                                      "--source-id not-up-for-discussion-2024-03-08"))
@click.argument("where", metavar="PATH_OR_URL")
@click.option("--source-id", help="The id to cite it by (default: from its title and date).")
@click.option("--published-on", type=DAY, help="Its publication day, which relative dates are read against.")
@click.option("--outlet", help="Who published it (default: the site name in the page).")
@click.option("--title", help="Its headline (default: the title in the page).")
@click.pass_context
def source_add(ctx, where, source_id, published_on, outlet, title):
    """Archive an article's text, with its SHA-256; .txt is kept as it is, HTML and URLs go through trafilatura.

    A source the store already holds keeps its registry entry; an archived text is never rewritten.
    """
    from . import intake

    done = intake.archive(opened(ctx, create=True), where, source_id=source_id, published_on=published_on,
                          outlet=outlet, title=title)  # fmt: skip
    if not done.result.texts:
        click.echo(f'source "{done.source.source_id}" already has this text: nothing written')
        return
    click.echo(f'archived source "{done.source.source_id}": {len(done.text.text):,} characters, sha256 '
               f"{done.text.sha256}; {messages.count(done.quotes_found, 'quote')} found in it")


@main.command(epilog=example("timeline extract events/texts/not-up-for-discussion-2024-03-08.txt --published-on "
                             "2024-03-08 --format json"))
@click.argument("what", metavar="SOURCE_ID_OR_PATH")
@click.option("--published-on", type=DAY, help="The day relative dates are read against (default: the source's).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl"]), default="table", show_default=True,
              help="jsonl writes review lines: events to finish and import.")
@click.pass_context
def extract(ctx, what, published_on, fmt):
    """Propose candidate statements from an archived source or a file: speaker, cue, content, date.

    With a path and no store, actors stay unresolved. jsonl lines leave topic and stance empty and carry a "review"
    key, which timeline import refuses until a person has filled them in and deleted it.
    """
    from . import extract as extractor
    from . import intake

    try:
        store = opened(ctx)
    except StoreMissing:
        store = None
    found, source_id = intake.propose(store, what, published_on)
    if fmt == "jsonl":
        for line in extractor.review_lines(found, source_id):
            click.echo(json.dumps(line, ensure_ascii=False, default=str))
        return
    columns = ["speaker", "actor", "cue", "direct", "content", "date_text"]
    rows = [c.as_dict() for c in found]
    render(Result.from_dicts(rows, list(rows[0]) if rows else columns), fmt,
           columns=columns if fmt == "table" else None)  # fmt: skip


@main.command(epilog=example("timeline site -o site --topic ground-troops-to-ukraine"))
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The directory to write the site into (replaced whole if an earlier site is there).")
@click.option("--topic", "topics", multiple=True, help="Only this topic (repeat for several; default: all).")
@click.option("--title", default="Stance timeline", show_default=True, help="The site's title.")
@click.pass_context
def site(ctx, output, topics, title):
    """Write a static site readers explore in a browser: the stance board on any day, actor pages, charts.

    It needs no server and no network: open index.html, or put the directory on any static host.
    """
    from . import site as sites

    pages, left_out = sites.build(opened(ctx), output, topics=list(topics) or None,
                                  title=title)  # fmt: skip
    for topic, actors in left_out.items():
        click.echo(f"{topic}: left out {messages.count(actors, 'actor')} to keep the page under {sites.MAX_SPANS:,} spans "
                   "of stance, which opens in under 3 s: it shows the busiest actors that fit; publish fewer topics to "
                   "keep more", err=True)  # fmt: skip
    click.echo(f"wrote {messages.count(pages, 'page')} to {output}/ (open {output}/index.html)")


@main.command(epilog=example("timeline verify"))
@click.option("--head", metavar="HASH", help="A head hash published earlier: check it is still a link of the chain.")
@click.pass_context
def verify(ctx, head):
    """Walk the hash chain; exit 1 naming the first bad seq if anything was rewritten."""
    outcome = opened(ctx).verify(published=head)
    if not outcome.ok:
        raise click.ClickException(messages.failed(outcome))
    click.echo(messages.verified(outcome, head))


@main.command(epilog=example("timeline reread --format csv"))
@reading
def reread(store):
    """Events in force whose date phrase this version reads otherwise (run after an upgrade)."""
    return store.reread_dates(), None


@main.command(epilog=example("timeline compact"))
@click.option("--quiet-for", type=click.FloatRange(min=0), default=60, show_default=True,
              help="A lake: refuse unless no one has written it for this many seconds.")  # fmt: skip
@click.option("--expire-before", type=INSTANT,
              help="A lake: forget snapshots older than this (UTC), and delete the files only they read.")  # fmt: skip
@click.pass_context
def compact(ctx, quiet_for, expire_before):
    """Rewrite a file store without the space deletes and rebuilds freed (needs room on disk for a second copy), or
    merge a quiet lake's small data files."""
    store = opened(ctx)
    if expire_before is not None and not store.is_lake:
        raise click.BadParameter("a file store keeps no snapshots; it applies to a lake only.",
                                 param_hint="--expire-before")  # fmt: skip
    before = store.size_bytes()
    after = store.compact(quiet_for=quiet_for, expire_before=expire_before)
    click.echo(f'compacted "{store.path}": {before:,} bytes before, {after:,} after')


@main.command(epilog=example("timeline chart --topic ground-troops-to-ukraine --group france --as-of 2024-03-10 -o france.png"))
@click.option("--topic", required=True, help="The topic to draw.")
@click.option("--actors", help="Comma-separated actor ids, one lane each (default: everyone who spoke).")
@click.option("--group", help="Draw this group and its members instead.")
@click.option("--from", "start", type=DAY, help="First day shown.")
@click.option("--to", "end", type=DAY, help="Last day shown.")
@click.option("--as-of", "as_of", type=DAY, help="Mark this day.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="out.html (offline, interactive), out.png or out.svg.")  # fmt: skip
@click.pass_context
def chart(ctx, topic, actors, group, start, end, as_of, output):
    """Draw each actor's stance on a topic over time."""
    if output.suffix not in (".html", ".png", ".svg"):
        raise click.BadParameter(f'"{output}" has an unknown type. Use .html, .png or .svg.', param_hint="--output")
    from . import chart as charts  # altair is an optional extra: import it only when drawing

    store = opened(ctx)
    lanes = [actor.strip() for actor in actors.split(",") if actor.strip()] if actors else None
    figure = charts.chart(store, topic, actors=lanes, group=group, start=start, end=end, as_of=as_of)
    charts.save(figure, output)
    click.echo(f"wrote {output}")
    if figure.usermeta["left_out"]:
        click.echo(f"the chart shows {figure.usermeta['left_out']}", err=True)


@main.command(epilog=example("timeline export --format parquet -o events-parquet/"))
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="jsonl (re-importable log), csv, parquet (partitioned by topic) or timelinejs.")  # fmt: skip
@click.option("--topic", help="Only this topic.")
@click.option("--as-of", "as_of", type=DAY, help="Only events that had happened by this day.")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="File (or directory for parquet).")
@click.pass_context
def export(ctx, fmt, topic, as_of, output):
    """Write the timeline out for other tools."""
    count = exports.export(opened(ctx), fmt, output, topic=topic, as_of=as_of)
    click.echo(f"wrote {messages.count(count, 'event')} to {output}")


for _name, _help in (("actors", "The actors in the registry."), ("topics", "The topics and their propositions."),
                     ("sources", "The sources events cite.")):  # fmt: skip

    def _lister(store, _table=_name):
        return store.table(_table), None

    _lister.__doc__ = _help
    main.command(_name, epilog=example(f"timeline {_name} --format csv"))(reading(_lister))


class _WithoutPandas(importlib.abc.MetaPathFinder):
    """Makes `import pandas` fail in this process as it does where pandas is not installed."""

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "pandas":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def run() -> None:
    """The `timeline` command. DuckDB's client imports pandas, where installed, before it binds a query's parameters,
    and pyarrow before it builds a table from Python values. The command hands neither a DataFrame, so it runs as
    where pandas is not installed, as after `pip install .`, and saves a third or more of each command's time. Its
    store fetches answers as Python values (arrow=False), so a reading command never imports pyarrow.
    """
    sys.meta_path.insert(0, _WithoutPandas())
    main(prog_name="timeline")


if __name__ == "__main__":
    run()
