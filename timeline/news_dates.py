"""Date phrases news writes that dateparser misreads or does not read: "now", parts of the day, a named month with
"last", seasons, quarters and halves without a year, decades, approximate counts, years spelled out, and phrases that
point at another date in the story. Each reading is an honest interval: (start, end, precision), start None for an
open one. dates.py calls `read` before dateparser, and cuts every reading at the basis."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from .errors import DateError
from .phrases import COUNTS, NUMBER_WORDS, WEEKDAYS

_PART = r"(?:morning|afternoon|evening|night|noon|midday|overnight)"
NOW = re.compile(r"^(?:now|currently|right now|at present|at the moment|presently|these days|nowadays)$", re.I)
TODAY_PART = re.compile(r"^(?:(?:early|late)\s+)?(?:this\s+" + _PART + r"|tonight|today|earlier today|later today)$",
                        re.I)  # fmt: skip
YESTERDAY_PART = re.compile(r"^(?:(?:early|late)\s+yesterday|yesterday\s+" + _PART + r"|last\s+night|overnight)$", re.I)
WEEKDAY_PART = re.compile(r"^(?:(?:on|early|late|at)\s+)*(?:(?:noon|midday|midnight)\s+)?(" + "|".join(WEEKDAYS)
                          + r")(?:\s+" + _PART + r")?$", re.I)  # fmt: skip
LAST_MONTH_NAMED = re.compile(r"^(?:(?:in|during)\s+)?last\s+(" + "|".join(m.lower() for m in calendar.month_name[1:])
                              + r")$", re.I)  # fmt: skip
SEASON = re.compile(r"^(?:(?:in|during|over)\s+)?(?:(this|last|the|early|late)\s+)?(?:(past)\s+)?"
                    r"(spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?(\d{4}))?$", re.I)  # fmt: skip
QUARTER = re.compile(r"^(?:(?:in|during)\s+)?the\s+(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter$", re.I)
HALF = re.compile(r"^(?:(?:in|during)\s+)?the\s+(first|second)\s+half(?:\s+of\s+the\s+year)?$", re.I)
FISCAL = re.compile(r"^(?:in\s+)?(?:fiscal|fy)\s*(?:year\s+)?'?\d{2,4}$", re.I)
DECADE = re.compile(r"^(?:(?:in|during)\s+)?(?:the\s+)?(?:(early|mid|late)[\s-]+)?(\d{3})0'?s$", re.I)
PAST_DECADE = re.compile(r"^(?:(?:in|over|during)\s+)?the\s+(?:past|last)\s+decade$", re.I)
APPROX_AGO = re.compile(r"^(?:about|around|roughly|some)?\s*(a couple of|a few|a|an|" + "|".join(NUMBER_WORDS)
                        + r"|\d+)\s+(day|week|month|year)s?\s+(or so\s+)?ago$", re.I)  # fmt: skip
ANAPHORA = re.compile(r"^(?:(?:earlier|later)\s+)?(?:that|the same|the previous|the following|the next)\s+(day|week|"
                      r"month|year)$|^(?:a|one)\s+(day|week|month|year)\s+(?:earlier|before)$|^the\s+(?:day|week|"
                      r"month|year)\s+before$|^the\s+year-ago\s+quarter$", re.I)  # fmt: skip
_ONES = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                     "fourteen fifteen sixteen seventeen eighteen nineteen".split())}  # fmt: skip
_TENS = {w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
SPELLED_YEAR = re.compile(r"\b((?:nineteen|twenty)(?:\s+hundred)?(?:[\s-]+(?:and\s+)?(?:" + "|".join(_TENS) + r")(?:[\s-]+"
                          r"(?:" + "|".join(list(_ONES)[1:10]) + r"))?|[\s-]+(?:oh[\s-]+)?(?:" + "|".join(list(_ONES)[1:])
                          + r"))|two thousand(?:\s+(?:and\s+)?(?:" + "|".join(list(_ONES)[1:]) + r"))?)\b", re.I)  # fmt: skip
SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
"""The first month of each season: meteorological seasons of the northern hemisphere, three months each."""
REFERS_ELSEWHERE = ("refers to another date in the story, which this tool cannot see. Give date_basis: the day it "
                    "counts from")


def read(phrase: str, basis: date | None, anchored: bool) -> tuple[date | None, date, str] | None:
    """The interval a phrase of these kinds names, or None when it is of none of them. `anchored`: the basis is the
    date the story's phrase points at (date_basis), not the article's publication day."""
    if FISCAL.match(phrase):
        raise DateError(f'date "{phrase}" is a fiscal year, which has no fixed calendar: it runs on dates each '
                        "organisation sets. Write the months it covers, as in \"between October 1988 and September "
                        '1989".')  # fmt: skip
    if m := ANAPHORA.match(phrase):
        if not anchored:
            raise DateError(f'date "{phrase}" {REFERS_ELSEWHERE}.')
        return _anaphora(phrase.lower(), basis)
    if m := DECADE.match(phrase):
        return _decade(m.group(1), int(m.group(2)) * 10)
    if basis is None:
        return None
    return _relative(phrase, basis)


def spelled_years(phrase: str) -> str:
    """The phrase with years written in words as digits: "January nineteen ninety-seven" is "January 1997"."""
    return SPELLED_YEAR.sub(lambda m: str(_year(m.group(1))), phrase)


def needs_basis(phrase: str) -> bool:
    """Whether the phrase is of a kind here that counts from its basis."""
    return any(p.match(phrase) for p in (NOW, TODAY_PART, YESTERDAY_PART, WEEKDAY_PART, LAST_MONTH_NAMED, SEASON,
                                         QUARTER, HALF, PAST_DECADE, APPROX_AGO)) and not _season_year(phrase)  # fmt: skip


def _relative(phrase: str, basis: date) -> tuple[date | None, date, str] | None:
    if NOW.match(phrase) or TODAY_PART.match(phrase):
        return basis, basis, "day"
    if YESTERDAY_PART.match(phrase):
        return basis - timedelta(days=1), basis - timedelta(days=1), "day"
    if m := WEEKDAY_PART.match(phrase):  # the latest such weekday on or before the basis, the basis's own included
        day = basis - timedelta(days=(basis.weekday() - WEEKDAYS.index(m.group(1).lower())) % 7)
        return day, day, "day"
    if m := LAST_MONTH_NAMED.match(phrase):  # the latest such month before the basis's month
        month = list(calendar.month_name).index(m.group(1).capitalize())
        year = basis.year if month < basis.month else basis.year - 1
        return date(year, month, 1), _month_end(year, month), "month"
    if m := SEASON.match(phrase):
        return _season(m.group(1), m.group(2), m.group(3).lower(), m.group(4), basis)
    if m := QUARTER.match(phrase):
        quarter = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}[m.group(1).lower()]
        year = basis.year if date(basis.year, 3 * quarter - 2, 1) <= basis else basis.year - 1
        return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), "quarter"
    if m := HALF.match(phrase):
        first = 1 if m.group(1).lower() == "first" else 7
        year = basis.year if date(basis.year, first, 1) <= basis else basis.year - 1
        return date(year, first, 1), _month_end(year, first + 5), "range"
    if PAST_DECADE.match(phrase):
        return basis.replace(year=basis.year - 10) + timedelta(days=1), basis, "range"
    if (m := APPROX_AGO.match(phrase)) and _rounded(m.group(1).lower(), m.group(2).lower(), bool(m.group(3))):
        return _approx_ago(m.group(1).lower(), m.group(2).lower(), bool(m.group(3)), basis)
    return None


def _rounded(count: str, unit: str, or_so: bool) -> bool:
    """Counts news rounds: "a couple of", "or so", and a week or more of days. "Three weeks ago" names the week that
    holds its day, and "a few months ago" an open start, as dates.py reads them."""
    return count == "a couple of" or or_so or (unit == "day" and (count.isdigit() and int(count) >= 7 or
                                                                  COUNTS.get(count, 0) >= 7))


def _season(which: str | None, past: str | None, season: str, year: str | None, basis: date):
    """A season, as the months it covers: of the year given; "this" one, of the basis's year; else the latest begun
    by the basis. "Last" winter on a summer's day is the winter that ended that year, "last" summer in summer the one
    a year before."""
    first = SEASON_MONTHS[season]
    if year:
        start_year = int(year) - (1 if first == 12 else 0)  # winter 1998 is December 1997 to February 1998
    elif (which or "").lower() == "this":  # the season of the basis's year, which may be still to come
        start_year = basis.year - (1 if first == 12 and basis.month <= 2 else 0)
    else:
        start_year = basis.year if date(basis.year, first, 1) <= basis else basis.year - 1
        current = date(start_year, first, 1) <= basis <= _season_end(start_year, first)
        if (which or past or "").lower() in ("last", "past") and current:
            start_year -= 1
    start, end = date(start_year, first, 1), _season_end(start_year, first)
    if (which or "").lower() == "early":
        return start, _month_end(start.year, start.month), "range"
    if (which or "").lower() == "late":
        return date(end.year, end.month, 1), end, "range"
    return start, end, "range"


def _season_end(year: int, first: int) -> date:
    last = first + 2
    return _month_end(year + (last - 1) // 12, (last - 1) % 12 + 1)


def _season_year(phrase: str) -> bool:
    m = SEASON.match(phrase)
    return bool(m and m.group(4))


def _decade(part: str | None, first: int) -> tuple[date, date, str]:
    years = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get((part or "").lower(), (0, 9))
    return date(first + years[0], 1, 1), date(first + years[1], 12, 31), "range"


def _approx_ago(count: str, unit: str, or_so: bool, basis: date) -> tuple[date, date, str]:
    """A count of units ago that news rounds: a span around the count, a third of it either side for "or so", a fifth
    for days counted, one and a half to three units for "a couple of"; whole days."""
    days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit]
    if count == "a couple of":
        low, high = 1.5, 3.0
    else:
        n = int(count) if count.isdigit() else COUNTS[count]
        slack = max(n / 3, 0.5) if or_so else max(n / 5, 1)
        low, high = n - slack, n + slack
    return basis - timedelta(days=round(high * days)), basis - timedelta(days=round(low * days)), "range"


def _anaphora(phrase: str, basis: date) -> tuple[date, date, str]:
    unit = next(u for u in ("day", "week", "month", "year", "quarter") if u in phrase)
    back = "earlier" in phrase.split()[-1:] or "before" in phrase or "previous" in phrase or "ago" in phrase
    if phrase == "the year-ago quarter":
        first = 3 * ((basis.month - 1) // 3) + 1
        return date(basis.year - 1, first, 1), _month_end(basis.year - 1, first + 2), "quarter"
    anchor = basis
    if back or "next" in phrase or "following" in phrase:
        step = {"day": timedelta(days=1), "week": timedelta(days=7)}.get(unit)
        sign = -1 if back else 1
        if step:
            anchor = basis + sign * step
        elif unit == "month":
            month = basis.month - 1 + sign
            anchor = date(basis.year + month // 12, month % 12 + 1, 1)
        else:
            anchor = date(basis.year + sign, 1, 1)
    if unit == "day":
        return anchor, anchor, "day"
    if unit == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return start, start + timedelta(days=6), "week"
    if unit == "month":
        return date(anchor.year, anchor.month, 1), _month_end(anchor.year, anchor.month), "month"
    return date(anchor.year, 1, 1), date(anchor.year, 12, 31), "year"


def _year(words: str) -> int:
    parts = [p for p in re.split(r"[\s-]+", words.lower()) if p not in ("and", "hundred", "oh")]
    if parts[:2] == ["two", "thousand"]:
        return 2000 + sum(_ONES.get(p, 0) for p in parts[2:])
    century = _ONES.get(parts[0], 0) * 100 if parts[0] in _ONES else _TENS.get(parts[0], 0) * 100
    rest = sum(_TENS.get(p, 0) + _ONES.get(p, 0) for p in parts[1:])
    return century + rest


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
