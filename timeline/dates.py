"""Date phrases as articles write them, turned into honest intervals with a precision.

dateparser reads the phrase; this module owns what dateparser lacks: widening a
point to the precision the phrase states, open and bounded ranges, refusing
guesses, and never letting a statement postdate the article that reports it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING

from . import news_dates, phrases
from .errors import DateError

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

PRECISIONS = ("day", "week", "month", "quarter", "year", "range")
_LONGEST = 120
"""The longest date phrase read, in characters: "between the first half of February 2024 and the end of March 2024" is 66."""
DATE_ORDERS = ("DMY", "MDY")

_THIRDS_APPLY = ('early, mid and late (the beginning, middle and end) apply to a month or a year, as in "early March '
                 '2024" or "the end of 2023"')  # fmt: skip
_HALVES_APPLY = 'the first and second half apply to a month or a year, as in "the first half of 2024"'
_HINT = 'Write it as an ISO date (2024-02-26, 2024-02 or 2024) or a phrase such as "last month", "on Monday" or "early March 2024"'
_QUERY_HINT = ('Write it as an ISO date (2024-03-10, 2024-03 or 2024) or a phrase that names its days, such as '
               '"1 March 2024" or "early March 2024"')  # fmt: skip
"""The hint for a query's date, which has no basis: the relative phrases _HINT offers would be refused."""


@dataclass(frozen=True)
class DateSpan:
    """An inclusive interval of days; `start` is None when the phrase gives no lower bound."""

    start: date | None
    end: date
    precision: str
    text: str
    basis: date | None


def resolve(text: str, basis: date | None = None, *, date_order: str | None = None, anchored: bool = False) -> DateSpan:
    """Resolve a date phrase against `basis` (normally the source's publication date). `anchored`: the basis is the
    day the phrase points at (a date_basis), so "that year" or "a day earlier" may count from it."""
    if not isinstance(text, str):
        raise DateError(f"date {text!r} is not text. {_HINT}.")
    return _resolve_as_written(text, basis, date_order, anchored)


@lru_cache(maxsize=65536)
def _resolve_as_written(text: str, basis: date | None, date_order: str | None, anchored: bool) -> DateSpan:
    """Repeated (phrase, basis) pairs in an import resolve once."""
    if date_order not in (None, *DATE_ORDERS):
        raise DateError(f'date order "{date_order}" is unknown. Use one of: {", ".join(DATE_ORDERS)}.')
    phrase = " ".join(text.replace("\u2013", "-").split()).strip(" .,;:")
    if not phrase:
        raise DateError(f"date is empty. {_HINT}.")
    if len(phrase) > _LONGEST:  # "before before … June" nests a reading per word, and deep enough, fails unexplained
        raise DateError(f'date "{phrase[:60]}…" is {len(phrase)} characters long, and no date needs more than '
                        f"{_LONGEST}. {_HINT}.")  # fmt: skip
    if news_dates.ANAPHORA.match(phrase):  # a phrase that points at another date in the story
        if not anchored or basis is None:
            raise DateError(f'date "{phrase}" {news_dates.REFERS_ELSEWHERE}.')
        return DateSpan(*news_dates.read(phrase, basis, True), text, basis)
    return replace(_resolve(news_dates.spelled_years(phrase), basis, date_order), text=text)


def day(value: date | str) -> date:
    """A day given as a date, an ISO string, an absolute phrase such as "1 March 2024" (its last day), or "today"
    (in UTC, the recording clock's zone): the day a question is asked is the one relative day it may name."""
    if isinstance(value, date):
        return value
    if value.strip().lower() == "today":
        return datetime.now(timezone.utc).date()
    return _absolute(value).end


def instant(value: datetime | date | str | None) -> datetime | None:
    """A point on the recording clock (UTC, naive); a bare date means the start of that day.

    A time with an offset is the same moment in UTC: 13:30+02:00 is 11:30.
    """
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = _absolute(value).end
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return utc(value)


def utc(moment: datetime) -> datetime:
    """A moment as the recording clock keeps it: naive, in UTC. A naive moment is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _absolute(text: str) -> DateSpan:
    """A phrase that names its own days, for the day a question is asked about: nothing to resolve it against."""
    try:
        return resolve(text)
    except _Relative:
        raise DateError(f'date "{text}" is relative, and a query\'s date has no publication date to count back from. '
                        "Give an absolute date such as 2024-03-10 or 1 March 2024.") from None  # fmt: skip
    except DateError as e:
        raise DateError(str(e).replace(_HINT, _QUERY_HINT)) from None


@lru_cache(maxsize=65536)
def _resolve(phrase: str, basis: date | None, date_order: str | None) -> DateSpan:
    try:
        span = _read(phrase, basis, date_order)
    except DateError as e:  # a part refused, as "April" in "early April": name the whole phrase too
        if str(e).startswith(f'date "{phrase}"'):
            raise
        raise type(e)(f'date "{phrase}": {e}') from None
    if basis is None:
        return span
    if span.start is not None and span.start > basis:
        raise DateError(
            f'date "{phrase}" ({_show(span)}) falls after its basis {basis}: a statement cannot postdate '
            "the source that reports it. Check the phrase, the source or date_basis."
        )
    return span if span.end <= basis else replace(span, end=basis)


def _read(phrase: str, basis: date | None, date_order: str | None) -> DateSpan:
    """Turn a normalised phrase into a span, before it is cut at the basis."""
    if m := phrases.ISO.match(phrase):
        return _iso(phrase, basis, *m.group(1, 3, 4))
    if basis is None and news_dates.needs_basis(phrase):
        _need_basis(phrase, basis)
    if found := news_dates.read(phrase, basis, False):
        return DateSpan(*found, phrase, basis)
    if (m := phrases.OR.match(phrase)) and not phrases.DAY_RANGE.match(phrase):
        try:
            first, second = (_read(part, basis, date_order) for part in m.groups())
        except DateError as e:  # "two weeks ago or so": say which phrase "so" came from
            raise type(e)(f'date "{phrase}" is either of two dates: {e}') from None
        start = None if first.start is None or second.start is None else min(first.start, second.start)
        return DateSpan(start, max(first.end, second.end), "range", phrase, basis)
    if m := phrases.BETWEEN.match(phrase):
        first, last = (_read(part, basis, date_order) for part in m.groups())
        if first.start is None or first.start > last.end:
            raise DateError(f'date "{phrase}" is an empty range: its first date is after its last. Swap them.')
        return DateSpan(first.start, last.end, "range", phrase, basis)
    if m := phrases.BEFORE.match(phrase):
        bound = _read(m.group(1), basis, date_order)
        if bound.start is None:
            raise DateError(f'date "{phrase}" has no lower bound to stand before. {_HINT}.')
        return DateSpan(None, bound.start - timedelta(days=1), "range", phrase, basis)
    if m := phrases.BY.match(phrase):
        return DateSpan(None, _read(m.group(1), basis, date_order).end, "range", phrase, basis)
    if m := phrases.SINCE.match(phrase):
        _need_basis(phrase, basis)
        return DateSpan(_resolve(m.group(1), basis, date_order).start, basis, "range", phrase, basis)
    if m := phrases.AFTER.match(phrase):
        bound = _read(m.group(1), basis, date_order)
        _need_basis(phrase, basis)
        return DateSpan(bound.end + timedelta(days=1), basis, "range", phrase, basis)
    if m := phrases.THIRD.match(phrase):
        part = m.group(1) or m.group(2) or m.group(3)
        return _part(phrase, phrases.THIRDS[part.lower()], _read(m.group(4), basis, date_order), _THIRDS_APPLY)
    if m := phrases.HALF.match(phrase):
        return _part(phrase, m.group(1).lower(), _read(m.group(2), basis, date_order), _HALVES_APPLY)
    if m := phrases.YEAR_HALF.match(phrase):
        half, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        return _part(phrase, "first" if half == "1" else "second", _read(year, basis, date_order), _HALVES_APPLY)
    if m := phrases.EARLIER.match(phrase):
        return _read(m.group(1), basis, date_order)
    if m := phrases.VAGUE_AGO.match(phrase):
        _need_basis(phrase, basis)
        return DateSpan(None, _back(basis, m.group(1).lower(), 2), "range", phrase, basis)
    if m := phrases.WEEK_OF.match(phrase):
        return _week_of(phrase, m.group(1).lower(), _read(m.group(2), basis, date_order))
    if m := phrases.AGO_BOUND.match(phrase):
        _need_basis(phrase, basis)
        point = _counted_back(phrase, basis, m["count"], m["unit"])
        if m["bound"].lower() in ("less than", "under", "fewer than"):
            return DateSpan(point, basis, "range", phrase, basis)
        return DateSpan(None, point, "range", phrase, basis)
    if (m := phrases.STRETCH.match(phrase)) and (m["the"] or m["count"] or m["word"].lower() == "past" or
                                           m["unit"].lower() == "fortnight"):  # fmt: skip
        _need_basis(phrase, basis)
        return _stretch(phrase, basis, m["word"], m["count"], m["unit"])
    if phrases.RECENT.match(phrase):
        _need_basis(phrase, basis)
        return DateSpan(None, basis, "range", phrase, basis)
    if phrases.PAST_WEEKEND.match(phrase):
        _need_basis(phrase, basis)
        saturday = basis - timedelta(days=(basis.weekday() - 5) % 7)
        return DateSpan(saturday, saturday + timedelta(days=1), "range", phrase, basis)
    if m := phrases.BARE_WEEKDAY.match(phrase):
        _need_basis(phrase, basis)
        day = basis - timedelta(days=(basis.weekday() - phrases.WEEKDAYS.index(m.group(1).lower())) % 7)
        return DateSpan(day, day, "day", phrase, basis)
    if m := phrases.NUMERIC.match(phrase):
        return _parse(phrase, basis, date_order or _numeric_order(phrase, *(int(g) for g in m.groups()[:2])))
    if m := phrases.DAY_RANGE.match(phrase):
        first_day, last_day, month = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(5, 6, 4)
        first = _read(f"{first_day} {month} {m.group(7) or ''}".strip(), basis, date_order)
        return _day_range(phrase, first, last_day)
    if phrases.JOINED_NUMBERS.search(phrase):
        raise DateError(f'date "{phrase}" joins two numbers with "-" or "/", which this tool will not guess at. Write a '
                        'range of days as "26-27 February 2024", or any range as "between A and B".')  # fmt: skip
    if phrases.SHORT_YEAR.search(phrase):
        raise DateError(f'date "{phrase}" gives its year in two digits. Write the year in full, as in "February 2024".')
    if not phrases.DATE_WORD.search(phrase) or phrases.DECADE.search(phrase):
        raise DateError(f'date "{phrase}" is not a date this tool can read. {_HINT}.')
    return _weekday_agrees(_all_numbers_placed(_parse(phrase, basis, date_order)))


def _weekday_agrees(span: DateSpan) -> DateSpan:
    """Refuse a day whose phrase names another weekday: "Tuesday 26 February" in 2024, a Monday, is a slip in the
    weekday or the date, and dateparser keeps the date without a word."""
    if span.precision == "day":
        for name in phrases.WEEKDAY_WORD.findall(span.text):
            named = phrases.WEEKDAY_NAMES[name.lower()]
            if named != span.start.weekday():
                actual = calendar.day_name[span.start.weekday()]
                raise DateError(f'date "{span.text}" names a {calendar.day_name[named]}, but {span.start} is a '
                                f"{actual}. Check the weekday and the date.")  # fmt: skip
    return span


def _all_numbers_placed(span: DateSpan) -> DateSpan:
    """Refuse a reading that leaves a number unplaced: dateparser read "H3 2023" as March, "1H" as an hour ago."""
    placed = {span.start.year} | ({span.start.day} if span.precision == "day" else set())
    for number in re.findall(r"\d+", phrases.PLACED_NUMBERS.sub(" ", span.text)):
        if int(number) not in placed:
            raise DateError(f'date "{span.text}" holds a number, {number}, that is neither its day nor its year: '
                            f"reading it would be a guess. {_HINT}.")  # fmt: skip
    return span


def _iso(phrase: str, basis: date | None, year: str, month: str | None, day: str | None) -> DateSpan:
    try:
        if day:
            d = date(int(year), int(month), int(day))
            return DateSpan(d, d, "day", phrase, basis)
        if month:
            return _widen(date(int(year), int(month), 1), "month", phrase, basis)
        return _widen(date(int(year), 1, 1), "year", phrase, basis)
    except ValueError as e:
        raise DateError(f'date "{phrase}" is not a real date ({e}). Check the digits.') from None


def _numeric_order(phrase: str, first: int, second: int) -> str:
    if first > 12:
        return "DMY"
    if second > 12 or first == second:
        return "MDY"
    raise DateError(
        f'date "{phrase}" is ambiguous: day-month or month-day? Write it as an ISO date, '
        "or give date_order DMY or MDY."
    )


def _parse(phrase: str, basis: date | None, date_order: str | None) -> DateSpan:
    found = _dateparser(phrase, basis or _PROBE_BASES[0], date_order)
    if found is None:
        raise DateError(f'date "{phrase}" is not a date this tool can read. {_HINT}.')
    span = _widen(*found, phrase, basis)
    if basis is None and _widen(*(_dateparser(phrase, _PROBE_BASES[1], date_order) or found), phrase, None) != span:
        _need_basis(phrase, None)
    return _not_a_year_back(span) if basis else span


def _not_a_year_back(span: DateSpan) -> DateSpan:
    """Refuse a day or month named without its year that would fall just after the basis in the basis's year.

    Such a name is the latest one not after the basis, so "March 9" in a report of 8 March 2024 would be 9 March 2023.
    Within the basis's own month, or a week after it, that is far likelier a basis a few days early or a day still
    to come than a year-old date written without its year; "mid-March" on 8 March is refused the same way.
    """
    basis = span.basis
    if (span.precision not in ("day", "month") or span.start.year != basis.year - 1
            or not phrases.MONTH_WORD.search(span.text) or phrases.YEAR.search(span.text)):  # fmt: skip
        return span
    try:
        near = _widen(span.start.replace(year=basis.year), span.precision, span.text, None)
    except ValueError:  # 29 February
        return span
    if near.start > basis and (near.start.month == basis.month or near.start - basis <= timedelta(days=7)):
        raise DateError(
            f'date "{span.text}" names no year, and in its basis\'s year ({_show(near)}) it falls after its basis '
            f"{basis}. So close after the basis, reading it a year back ({_show(span)}) would be a guess: a basis a "
            "few days early, or a day still to come, reads the same. Write the year, or check the source or date_basis."
        )
    return span


# Two unrelated days: a phrase that reads the same against both does not depend on its basis.
_PROBE_BASES = (date(2001, 6, 13), date(2011, 11, 24))


def _dateparser(phrase: str, basis: date, date_order: str | None) -> tuple[date, str] | None:
    try:
        data = _parser(basis, date_order).get_date_data(phrase)
    except Exception:  # dateparser raises assorted errors on odd input; all mean "cannot read"
        return None
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


@lru_cache(maxsize=512)
def _parser(basis: date, date_order: str | None) -> DateDataParser:
    from dateparser.date import DateDataParser  # here, not at the top: ISO dates and queries never need it (60 ms)

    settings = {
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": True,
        "RELATIVE_BASE": datetime(basis.year, basis.month, basis.day),
    }
    if date_order:
        settings["DATE_ORDER"] = date_order
    return DateDataParser(languages=["en"], settings=settings)


def _widen(day: date, period: str, phrase: str, basis: date | None) -> DateSpan:
    """The whole period that `day` stands for, as the phrase states it."""
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return DateSpan(start, start + timedelta(days=6), "week", phrase, basis)
    if period == "month":
        return DateSpan(day.replace(day=1), _month_end(day), "month", phrase, basis)
    if period == "quarter":
        first = day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
        return DateSpan(first, _month_end(first.replace(month=first.month + 2)), "quarter", phrase, basis)
    if period == "year":
        return DateSpan(day.replace(month=1, day=1), day.replace(month=12, day=31), "year", phrase, basis)
    return DateSpan(day, day, "day", phrase, basis)


def _day_range(phrase: str, first: DateSpan, last_day: str) -> DateSpan:
    """From the first day, read as written, to a later day of the same month."""
    try:
        last = first.start.replace(day=int(last_day))
    except ValueError as e:
        raise DateError(f'date "{phrase}" is not a real range ({e}). Check the digits.') from None
    if last < first.start:
        raise DateError(f'date "{phrase}" is an empty range: its first date is after its last. Swap them.')
    return DateSpan(first.start, last, "range", phrase, first.basis)


def _part(phrase: str, part: str, whole: DateSpan, applies: str) -> DateSpan:
    """A third or a half of a month (by its days) or of a year (by its months)."""
    if whole.precision == "month":
        (first, last), month = phrases.PARTS[part][0], whole.start
        end = month.replace(day=last) if last else _month_end(month)
        return DateSpan(month.replace(day=first), end, "range", phrase, whole.basis)
    if whole.precision == "year":
        first, last = phrases.PARTS[part][1]
        start = whole.start.replace(month=first, day=1)
        return DateSpan(start, _month_end(start.replace(month=last)), "range", phrase, whole.basis)
    raise DateError(f'date "{phrase}": {applies}. {_HINT}.')


def _week_of(phrase: str, word: str, day: DateSpan) -> DateSpan:
    """The calendar week holding `day`, or the seven days it begins or ends; a calendar week is of precision week."""
    if day.precision != "day":
        raise DateError(f'date "{phrase}": a week is named by one of its days, as in "the week of 26 February 2024". '
                        f"{_HINT}.")  # fmt: skip
    if word == "of":
        return _widen(day.start, "week", phrase, day.basis)
    start = day.start if word in ("beginning", "starting", "commencing") else day.start - timedelta(days=6)
    return DateSpan(start, start + timedelta(days=6), "week" if start.weekday() == 0 else "range", phrase, day.basis)


def _stretch(phrase: str, basis: date, word: str, count: str | None, unit: str) -> DateSpan:
    """From `count` units before the basis to the basis. "Last" and "previous" may also mean the calendar unit ("in
    the last month" on 8 March may be February), so they start at the beginning of the unit counted back to. "A few"
    weeks gives no start."""
    count = (count or "one").lower()
    if not (count.isdigit() or count in phrases.COUNTS):
        return DateSpan(None, basis, "range", phrase, basis)
    start = _counted_back(phrase, basis, count, unit)
    if word.lower() != "past":
        unit = unit.lower()
        start = _widen(start, {"hour": "day", "fortnight": "week"}.get(unit, unit), phrase, basis).start
    return DateSpan(start, basis, "range", phrase, basis)


def _counted_back(phrase: str, basis: date, count: str, unit: str) -> date:
    """The day `count` (digits or a word) hours, days, weeks, fortnights, months or years before `basis`."""
    n, unit = int(count) if count.isdigit() else phrases.COUNTS[count.lower()], unit.lower()
    if unit == "hour":
        n, unit = -(-n // 24), "day"
    back, per = phrases.STRETCH_UNITS[unit]
    try:
        return _back(basis, back, n * per)
    except (ValueError, OverflowError):  # before year 1
        raise DateError(f'date "{phrase}" reaches back before the year 1. Check the number.') from None


def _back(basis: date, unit: str, count: int) -> date:
    """`count` days, weeks or months before `basis`: plural "weeks" means at least two."""
    if unit == "days":
        return basis - timedelta(days=count)
    if unit == "weeks":
        return basis - timedelta(weeks=count)
    month_index = basis.year * 12 + basis.month - 1 - count
    first = date(month_index // 12, month_index % 12 + 1, 1)
    return first.replace(day=min(basis.day, _month_end(first).day))


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


class _Relative(DateError):
    """A relative phrase with nothing to resolve it against."""


def _need_basis(phrase: str, basis: date | None) -> None:
    if basis is None:
        raise _Relative(
            f'date "{phrase}" is relative and has no basis. Give a source with published_on, '
            "or date_basis, or an absolute date."
        )


def _show(span: DateSpan) -> str:
    if span.start and span.start > span.end:  # "after 2024-03-04" against that basis: no day is left
        return f"from {span.start}"
    return f"{span.start or '…'}..{span.end}"
