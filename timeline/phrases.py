"""The shapes of date phrases as news writes them: the patterns and words dates.py reads phrases with."""

from __future__ import annotations

import calendar
import re

ISO = re.compile(
    r"^(\d{4})(?:([-/])(\d{2})(?:\2(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$"
)
"""2024, 2024-02, 2024-02-26, and a timestamp, whose day is the one it was written with (a feed's 2024-02-26T10:00Z);
a slash for each hyphen is the same, since the year first leaves one reading (a spreadsheet's 2024/02/26)."""
NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$")
BETWEEN = re.compile(r"^(?:between|from)\s+(.+?)\s+(?:and|to|until)\s+(.+)$", re.I)
BEFORE = re.compile(r"^before\s+(.+)$", re.I)
AFTER = re.compile(r"^after\s+(.+)$", re.I)
BY = re.compile(r"^(?:by|no later than)\s+(.+)$", re.I)
SINCE = re.compile(r"^(?:ever\s+)?since\s+(.+)$", re.I)
"""From the start of a date to the basis: "since February" is 1 February to the report."""
THIRD = re.compile(
    r"^(?:(?:in|at)\s+)?(?:the\s+)?(?:(early|mid|late)[\s-]+|(beginning|start|middle|end)\s+of\s+|(end)-)(.+)$", re.I
)
"""Thirds of a month or a year: "early March", "late 2023", and as news also writes them, "the beginning of March",
"end-February"."""
THIRDS = {"early": "early", "beginning": "early", "start": "early", "mid": "mid", "middle": "mid", "late": "late",
           "end": "late"}  # fmt: skip
HALF = re.compile(r"^(?:in\s+)?(?:the\s+)?(first|second)\s+half\s+of\s+(.+)$", re.I)
YEAR_HALF = re.compile(r"^(?:H([12])\s+(\d{4})|(\d{4})\s+H([12]))$", re.I)
PARTS = {  # (first day, last day) of a month's part, None for its last; (first month, last month) of a year's
    "early": ((1, 10), (1, 4)),
    "mid": ((11, 20), (5, 8)),
    "late": ((21, None), (9, 12)),
    "first": ((1, 15), (1, 6)),
    "second": ((16, None), (7, 12)),
}
EARLIER = re.compile(r"^earlier\s+(this\s+(?:week|month|year))$", re.I)
VAGUE_AGO = re.compile(r"^(?:some|several|a few)\s+(days|weeks|months)\s+ago$", re.I)
NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
COUNTS = {word: n for n, word in enumerate(NUMBER_WORDS, start=1)} | {"a": 1, "an": 1}
UNIT = r"(?P<unit>hour|day|week|fortnight|month|year)s?"
AGO_BOUND = re.compile(
    r"^(?P<bound>more\s+than|over|at\s+least|less\s+than|under|fewer\s+than)\s+(?P<count>\d+|an?|"
    + "|".join(NUMBER_WORDS) + r")\s+" + UNIT + r"\s+ago$",
    re.I,
)
"""A count of units ago with a bound: "more than a month ago" ends there, "less than a week ago" starts there."""
WEEK_OF = re.compile(
    r"^(?:(?:in|during)\s+)?(?:the\s+)?week\s+(of|beginning|starting|commencing|ending|to)\s+(.+)$", re.I
)
"""A week named by a day in it ("the week of 26 February", Monday to Sunday), or by its first or last day."""
OR = re.compile(r"^(.+?)\s+or\s+(.+)$", re.I)
STRETCH = re.compile(
    r"^(?P<the>(?:(?:in|over|during|within)\s+)?the\s+)?(?P<word>past|last|previous)\s+(?:(?P<count>\d+|"
    + "|".join(NUMBER_WORDS) + r"|(?:a\s+)?couple\s+of|few|several)\s+)?" + UNIT + "$",
    re.I,
)
"""A stretch that ends at the basis: "in the past week", "over the last two weeks", "in the last 24 hours". Bare
"last week", with no "the" and no count, is the calendar week before, as dateparser reads it."""
STRETCH_UNITS = {"day": ("days", 1), "week": ("weeks", 1), "fortnight": ("weeks", 2), "month": ("months", 1),
                  "year": ("months", 12)}  # fmt: skip
RECENT = re.compile(r"^(?:recently|(?:in|over)\s+recent\s+(?:days|weeks|months))$", re.I)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_NAMES = {name: day for day, names in enumerate((("monday", "mon"), ("tuesday", "tue", "tues"),
                   ("wednesday", "wed"), ("thursday", "thu", "thur", "thurs"), ("friday", "fri"), ("saturday", "sat"),
                   ("sunday", "sun"))) for name in names}  # fmt: skip
WEEKDAY_WORD = re.compile(r"\b(" + "|".join(sorted(WEEKDAY_NAMES, key=len, reverse=True)) + r")\b", re.I)
BARE_WEEKDAY = re.compile(r"^(?:on\s+)?(" + "|".join(WEEKDAYS) + r")$", re.I)
PAST_WEEKEND = re.compile(r"^(?:(?:over|at|during|on)\s+)?(?:the|last|this\s+past)\s+weekend$", re.I)
"""Not "this weekend", which on a Wednesday is the one to come."""
MONTH_NAMES = [m.lower() for m in calendar.month_name[1:]] + [m.lower() for m in calendar.month_abbr[1:]] + ["sept"]
MONTH = r"(" + "|".join(MONTH_NAMES) + r")\.?"
YEAR = re.compile(r"\b\d{4}\b")
MONTH_WORD = re.compile(r"\b(?:" + "|".join(MONTH_NAMES) + r")\b", re.I)
DAY_RANGE = re.compile(  # "26-27 February", "Feb. 28-29, 2024", "26 or 27 February": two days of one month
    r"^(?:on\s+)?(?:(\d{1,2})\s*(?:[-/]|\s(?:or|and)\s)\s*(\d{1,2})\s+" + MONTH + r"|" + MONTH
    + r"\s+(\d{1,2})\s*(?:[-/]|\s(?:or|and)\s)\s*(\d{1,2}))"
    r",?(?:\s+(\d{4}))?$",
    re.I,
)
# Shapes dateparser misreads rather than refuses: "February 26-27" became 26 February 1927, "February '24" the 24th.
JOINED_NUMBERS = re.compile(r"\d\s*[-/]\s*\d")
SHORT_YEAR = re.compile(r"['\u2019]\d{2}\b")
# Numbers that are neither a day nor a year, and rightly so: a time of day, a quarter, a count ("2 weeks ago").
PLACED_NUMBERS = re.compile(
    r"\b\d{1,2}:\d{2}(?::\d{2})?\b|\bq[1-4]\b|\b\d+\s+(?:day|week|month|year|decade|centur)", re.I
)
# dateparser reads "last decade" as the year ten years back; the phrase means the ten years to now.
DECADE = re.compile(r"\b(?:last|this|past|the)\s+(?:decade|century)\b", re.I)
# A phrase must contain one of these before dateparser may read it: dateparser
# turns a lone "a" into January and "10" into October.
DATE_WORD = re.compile(
    r"\b(?:" + "|".join(MONTH_NAMES + list(WEEKDAYS)) + r"|ago|last|yesterday|today|week|weeks"
    r"|month|months|year|years|day|days|quarter|q[1-4]|\d{4})\b",
    re.I,
)
