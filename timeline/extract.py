"""From an article's text to candidate statements: who spoke (as written and as a registry actor), the cue, what was
said with its offsets, whether it is a verbatim quotation, and when. Rules over the standard library, the registry
and timeline.dates; a person reviews every candidate before it becomes an event."""

from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass, field
from datetime import date

from . import dates, phrases
from .errors import DateError
from .models import Actor

OPEN_QUOTES, CLOSE_QUOTES = "\u201c\"", "\u201d\""
PRONOUNS = {"he", "she", "they", "we", "i"}
_AUX = r"(?:(?:has|have|had|also|later|previously|repeatedly|then|again|once|recently|reportedly|publicly|earlier|" \
       r"would|will|had|often|even|further|quickly|flatly|simply)\s+){0,3}"  # fmt: skip
_VERBS = (
    "said says say told tells tell stated states declared declares added adds noted notes warned warns argued argues "
    "claimed claims insisted insists stressed stresses explained explains wrote writes announced announces continued "
    "continues asked asks suggested suggests acknowledged acknowledges admitted admits denied denies urged urges vowed "
    "vows promised promises predicted predicts emphasized emphasised emphasizes reiterated reiterates confirmed "
    "confirms reported reports revealed reveals believes believe believed thinks think thought countered replied "
    "responded answered recalled observed complained conceded agreed disclosed maintained contended alleged alleges "
    "tweeted posted quipped joked charged accused cautioned estimated speculated concluded indicated mentioned "
    "assured learned learnt insist expects expected hopes hoped fears feared worried predicted mirrored boasted "
    "demanded shouted yelled exclaimed remarked pleaded wondered explained offered insisted recounted testified "
    "lamented bragged scoffed snapped retorted sighed mused quipped acknowledged argued read reads chanted chanting "
    "saying adding asking asserting arguing writing telling declaring insisting noting warning"
).split()
CUE = _AUX + r"(?:" + "|".join(sorted(set(_VERBS), key=len, reverse=True)) + r"|pointed out)\b"
_ROLES = (
    "source sources official officials spokesman spokeswoman spokesperson aide aides adviser advisers advisor analyst "
    "analysts expert experts critic critics lawmaker lawmakers minister ministry government campaign statement report "
    "poll survey people voters observers diplomat diplomats president leader leaders candidate nominee senator "
    "governor representative strategist pollster economist chief director secretary ambassador envoy chairman "
    "spokesmen officer officers researchers scientists study survey memo letter supporters opponents residents "
    "democrats republicans staff team commander general agency office organization group prosecutors investigators "
    "authorities police administration chancellor premier prime document article piece website ruling court judge "
    "activists advocates groups experts economists doctors lawyers attorney attorneys spokesperson campaign "
    "organizers protesters democrat republican republicans senators congressman congresswoman candidates voters "
    "polls data records filing filings emails email letter tweet tweets posts post"
).split()
_ADJS = ("senior top former anonymous unnamed deputy other foreign defense defence military state local federal "
         "two three several many some party press national security intelligence presidential white house").split()  # fmt: skip
_CAP = r"(?:(?:[A-Z]\.){1,3}|(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|St|Jr)\.|[A-Z][\w'\u2019\-]*)"
_WORD = r"(?:" + _CAP + r"|\b(?:" + "|".join(_ROLES + _ADJS) + r")\b)"
_DET = r"(?:(?:the|a|an|another|one|two|several|some|many|other|his|her|their|its)\s+)"
SPEAKER = (r"(?:\b(?:he|she|they|He|She|They|I|We|we)\b|" + _DET + r"?" + _WORD + r"(?:\s+" + _WORD + r"){0,5}"
           + r"(?:\s+(?:of|for|at|from|with)\s+(?:the\s+)?" + _CAP + r"(?:\s+" + _CAP + r"){0,3})?)")  # fmt: skip
_TRAILING = re.compile(r",?\s*[\"\u201d]?,?\s*(?P<speaker>" + SPEAKER + r")\s+(?P<cue>" + CUE + r")(?P<tail>[^.\"\u201c]{0,60})[.!?]?\s*$")
_INVERTED = re.compile(r",?\s*[\"\u201d]?,?\s*(?P<cue>" + CUE + r")\s+(?P<speaker>" + SPEAKER + r")(?P<tail>[^.\"\u201c]{0,60})[.!?]?\s*$")
_LEADING = re.compile(r"(?P<speaker>" + SPEAKER + r")\s+(?P<cue>" + CUE + r")(?P<tail>(?:\s+(?!that\b)[\w'\u2019\-]+){0,5}?)"
                      r"(?:\s+that\s+|\s*:\s*|\s*,\s*(?=[\"\u201c])|\s+(?=[\"\u201c]))(?P<content>.+)$", re.S)  # fmt: skip
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
         "April", "May", "June", "July", "August", "September", "October", "November", "December", "Yesterday",
         "Today", "Last", "This", "Earlier", "In", "On", "At")  # fmt: skip
_BARE = re.compile(r"(?P<speaker>" + SPEAKER + r")(?:,\s[^,.]{3,80},)?\s+(?P<cue>" + _AUX + r"(?:said|says|say|believes|"
                   r"believe|thinks|think|insisted|insist|argued|argue|warned|warn|claimed|claim|added|noted|stressed|"
                   r"predicted|contend|contended|suggested|suggest|acknowledged|admitted|told \w+|urged|estimated|"
                   r"estimate|found|showed|show|shows|reported|report|alleged|allege|maintained|maintain))\s+"
                   r"(?P<content>(?:[a-z\"\u201c]|[A-Z](?!\w*\s*(?:" + "|".join(_DAYS) + r")\b)).+)$", re.S)  # fmt: skip
_ASIDE = re.compile(r",\s+(?P<speaker>" + SPEAKER + r")\s+(?P<cue>" + _AUX + r"(?:said|says|added|argued|noted|"
                    r"insisted|explained|recalled|continued|wrote|contended))\s*(?:,|$)")  # fmt: skip
"""A speaker set inside the sentence that it reports: "Lenox was a juggernaut, Mr. Clarke said, until 1999"."""
_QUOTED = re.compile(r"[\u201c\"][^\u201c\u201d\"\n]{3,}?[\u201d\"]|(?<![\w'])''[^\n]{3,}?''")
_LOOSE = r"(?:[\w'\u2019.()\-]+,?\s+){0,20}?[\w'\u2019.()\-]+,?"
_AFTER = re.compile(r"\s*,?\s*(?P<speaker>" + _LOOSE + r")\s+(?P<cue>" + CUE + r")")
_TITLE = r"(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|St|Jr|Prof)\.\s"
_AFTER_INVERTED = re.compile(r"\s*,?\s*(?P<cue>" + CUE + r")\s+(?P<speaker>(?:" + _TITLE + r"|[^,.;:\n\"\u201c]){2,80}?)"
                             r"\s*(?=[,.;:\n]|$)")  # fmt: skip
_BEFORE = re.compile(r"(?P<speaker>" + SPEAKER + r")\s+(?P<cue>" + CUE + r")(?P<tail>(?:(?:\s+(?!that\b)[\w'\u2019\-]+){1,5}?"
                     r"\s*[,:]|\s*[,:]?|\s+that))\s*$")  # fmt: skip
"""A speaker and cue just before a quotation: "Lecornu said:", "he told reporters on Monday,", "Macron said that"."""
_ACCORDING = re.compile(r"(?:,\s*)?\b[Aa]ccording to (?P<speaker>(?:" + _TITLE + r"|[^,.;:\n\"\u201c]){2,80}?)\s*(?:[,.]|$)")
_LABEL = re.compile(r"^[\"\u201c]?(?P<speaker>(?:[A-Z][\w'\u2019.\-]*\s){0,3}[A-Z][\w'\u2019.\-]*):\s+(?P<content>\S.+)$", re.S)
"""A paragraph that a speaker's name labels, as transcripts and headlines write it: "PENCE: Well, look, …"."""
_NOT_SPEAKERS = {"read next", "related", "note", "update", "editor's note", "watch", "photo", "video", "source",
                 "sources", "read more", "see also", "correction", "advertisement", "listen", "subscribe"}  # fmt: skip
_DATE = re.compile(
    r"\b(?:(?:on|last|this|next|early|late|earlier|in)\s+)?(?:" + "|".join(phrases.WEEKDAYS) + r"|yesterday|today|tonight|"
    r"(?:last|this|earlier this|past)\s+(?:week|month|year|weekend)|(?:\w+\s+)?(?:days?|weeks?|months?|years?)\s+ago|"
    r"(?:\d{1,2}\s+)?(?:" + "|".join(calendar.month_name[1:]) + r")(?:\s+\d{1,2})?(?:,?\s+\d{4})?|\d{4}-\d{2}-\d{2})"
    r"(?:\s+(?:morning|afternoon|evening|night))?\b", re.I)  # fmt: skip
"""A date phrase inside a sentence, with the words the date rules know (timeline.phrases), to hand to them."""
DEMONYMS = {
    "french": "france", "german": "germany", "italian": "italy", "spanish": "spain", "british": "united kingdom",
    "american": "united states", "russian": "russia", "ukrainian": "ukraine", "polish": "poland", "dutch":
    "netherlands", "chinese": "china", "european": "european union", "lithuanian": "lithuania", "estonian": "estonia",
    "latvian": "latvia", "swedish": "sweden", "finnish": "finland", "belgian": "belgium", "czech": "czech republic",
    "canadian": "canada", "turkish": "turkey", "hungarian": "hungary", "slovak": "slovakia", "romanian": "romania",
}  # fmt: skip
INSTITUTIONS = {
    "kremlin": "russia", "elysee": "france", "\u00e9lys\u00e9e": "france", "white house": "united states",
    "pentagon": "united states", "downing street": "united kingdom", "quai d'orsay": "france",
    "chancellery": "germany", "palazzo chigi": "italy", "moncloa": "spain",
}  # fmt: skip


@dataclass
class Candidate:
    """A statement the text may report, for a person to review."""

    speaker: str
    speaker_start: int
    speaker_end: int
    actor: str | None
    cue: str
    content: str
    content_start: int
    content_end: int
    direct: bool
    sentence: str
    date_text: str | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    date_precision: str | None = None
    date_refused: str | None = None
    subjects_mentioned: list[str] = field(default_factory=list)
    proposed_actor: dict | None = None

    def as_dict(self) -> dict:
        return asdict(self)


class Names:
    """The registry as the text names it: full names, aliases and last names to actor ids; demonyms and institutions
    to countries ("the Italian government", "the Kremlin"), where no one is named."""

    def __init__(self, actors: list[Actor]):
        self.by_name: dict[str, Actor] = {}
        for actor in actors:
            for name in (actor.name, *actor.aliases, actor.actor_id.replace("-", " ")):
                self.by_name.setdefault(name.lower(), actor)
            if actor.kind == "person" and len(actor.name.split()) > 1:
                self.by_name.setdefault(actor.name.split()[-1].lower(), actor)
        people = sorted((n for n, a in self.by_name.items() if a.kind == "person"), key=len, reverse=True)
        self._people = re.compile(r"\b(?:" + "|".join(map(re.escape, people)) + r")\b", re.I) if people else None
        self.by_place = {word: self.by_name[country] for word, country in (*DEMONYMS.items(), *INSTITUTIONS.items())
                         if country in self.by_name}  # fmt: skip

    def resolve(self, phrase: str) -> Actor | None:
        """The actor a speaker phrase names: the longest known name inside it; or, where the phrase names no one (it
        ends in a common noun, or is the institution itself), its demonym's or institution's country."""
        words = re.findall(r"[\w'\u2019\u00e9\-]+", phrase.lower())
        for size in range(len(words), 0, -1):
            for start in range(len(words) - size + 1):
                found = self.by_name.get(" ".join(words[start:start + size]))
                if found is not None:
                    return found
        last = phrase.split()[-1] if phrase.split() else ""
        unnamed = last[:1].islower() or last.lower() in self.by_place
        places = [self.by_place[w] for w in (*words, " ".join(words[-2:])) if w in self.by_place]
        return places[0] if unnamed and places else None

    def last_person(self, text: str) -> Actor | None:
        """The registry person named last in `text`: whom a "he" or "she" after it stands for."""
        named = list(self._people.finditer(text)) if self._people else []
        return self.by_name[named[-1].group(0).lower()] if named else None

    def mentioned(self, sentence: str) -> list[str]:
        """Registry actors named in a sentence."""
        found = []
        for name, actor in self.by_name.items():
            if actor.actor_id not in found and re.search(rf"\b{re.escape(name)}\b", sentence, re.I):
                found.append(actor.actor_id)
        return found


def candidates(text: str, actors: list[Actor] | None = None, basis: date | None = None) -> list[Candidate]:
    """Every candidate statement in `text`, in order; offsets are Python string indices into `text`.

    Quotations come first, each tied to the speaker and cue just after or just before it, or else to the speaker of
    the quotation before it in the same paragraph; then sentences that report speech without quoting it."""
    names = Names(actors or [])
    found = _quotations(text)
    for start, end in sentences(text):
        if not any(start <= c.content_start < end or c.content_start <= start < c.content_end for c in found):
            candidate = _read(text, start, end, names)
            if candidate is not None:
                found.append(candidate)
    found.sort(key=lambda c: c.content_start)
    for candidate in found:
        speaker = candidate.speaker.lower()
        in_pronoun = speaker in PRONOUNS
        before = text[:min(candidate.speaker_start, candidate.content_start)]  # the quote may name others
        actor = names.last_person(before) if in_pronoun else names.resolve(candidate.speaker)
        candidate.actor = actor.actor_id if actor else None
        if actor is None and not in_pronoun and candidate.speaker[:1].isupper():
            candidate.proposed_actor = {"name": candidate.speaker, "kind": "person"}
        candidate.subjects_mentioned = [a for a in names.mentioned(candidate.sentence) if a != candidate.actor]
        _date(candidate, basis)
    return found


def _quotations(text: str) -> list[Candidate]:
    """Quoted passages with the speaker the text gives them."""
    found: list[Candidate] = []
    for quote in _QUOTED.finditer(text):
        s, e = quote.span()
        if len(quote.group(0).split()) < 2:
            continue
        line_start = text.rfind("\n", 0, s) + 1
        line_end = len(text) if (n := text.find("\n", e)) < 0 else n
        after, before = text[e:line_end], text[line_start:s]
        sentence = text[line_start:line_end].strip()
        speaker = cue = None
        for pattern in (_AFTER, _AFTER_INVERTED):
            match = pattern.match(after)
            if match and _plausible(match.group("speaker")):
                speaker, cue, offset = match.group("speaker"), match.group("cue"), e
                break
        if speaker is None and (match := _BEFORE.search(before)) and _plausible(match.group("speaker")):
            speaker, cue, offset = match.group("speaker"), (match.group("cue") + match.group("tail")), line_start
        if speaker is None:  # a quotation that goes on after its cue belongs to the one before it
            prior = found[-1] if found and found[-1].direct and line_start <= found[-1].content_end else None
            if prior is not None and len(text[prior.content_end:s]) < 250:
                prior.content, prior.content_end = text[prior.content_start:e], e
            continue
        at = offset + match.start("speaker")
        prior = found[-1] if found else None
        if prior and prior.direct and offset == line_start and prior.speaker_start == at and s - prior.content_end < 80:
            prior.content, prior.content_end = text[prior.content_start:e], e  # "A," he said, "B." is one statement
            continue
        found.append(Candidate(speaker, at, at + len(speaker), None, cue.strip(), quote.group(0), s, e, True, sentence))
    return found


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, never split inside a quotation: a quoted passage of several sentences stays with its cue."""
    spans, start, inside = [], 0, False
    for i, char in enumerate(text):
        if char == "\n":
            if text[start:i].strip():
                spans.append((start, i))
            start, inside = i + 1, False
            continue
        if char == "\u201c":
            inside = True
        elif char == "\u201d":
            inside = False
        elif char == '"':
            inside = not inside
        elif char in ".!?" and not inside and text[i + 1:i + 2] in (" ", "") and _ends_sentence(text, i):
            spans.append((start, i + 1))
            start = i + 1
    if text[start:].strip():
        spans.append((start, len(text)))
    return [_strip_span(text, s, e) for s, e in spans]


def _ends_sentence(text: str, i: int) -> bool:
    """A full stop ends a sentence unless it ends an initial or a common abbreviation."""
    word = re.search(r"(\S+)$", text[:i])
    return not (word and re.fullmatch(r"(?:[A-Z]|Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|St|Jr|Sr|Lt|Col|Sgt|U\.S|U\.N|Sept|a\.m|p\.m|"
                                      r"Jan|Feb|Mar|Apr|Aug|Oct|Nov|Dec|No|vs|etc|Inc|Corp|Co)", word.group(1)))  # fmt: skip


def _read(text: str, start: int, end: int, names: Names) -> Candidate | None:
    sentence = text[start:end]
    for pattern in (_TRAILING, _INVERTED):
        match = pattern.search(sentence)
        if match and match.start() > 0 and _plausible(match.group("speaker")):
            s, e = _strip_span(text, start, start + match.start())
            if e - s < 12:
                continue
            return _candidate(text, start, match, s, e, sentence)
    match = _LABEL.match(sentence)
    if match and _names_someone(match.group("speaker"), text) and start == text.rfind("\n", 0, start + 1) + 1:
        s, e = _strip_span(text, start + match.start("content"), end)
        if e - s >= 12:
            return _candidate(text, start, match, s, e, sentence, cue=":")
    match = _ACCORDING.search(sentence)
    if match:
        rest = [(start, start + match.start()), (start + match.end(), end)]
        s, e = max((_strip_span(text, a, b) for a, b in rest), key=lambda span: span[1] - span[0])
        if e - s >= 12:
            return _candidate(text, start, match, s, e, sentence, cue="according to")
    for pattern in (_LEADING, _BARE):
        match = pattern.search(sentence)
        if match and _plausible(match.group("speaker")):
            s, e = _strip_span(text, start + match.start("content"), end)
            if e - s >= 12:
                return _candidate(text, start, match, s, e, sentence)
    match = _ASIDE.search(sentence)
    if match and match.start() > 12 and _plausible(match.group("speaker")):  # the whole sentence is what was said
        s, e = _strip_span(text, start, end)
        return _candidate(text, start, match, s, e, sentence)
    return None


def _candidate(text: str, start: int, match: re.Match, s: int, e: int, sentence: str, cue: str | None = None):
    cue = cue or (match.group("cue") + (match.groupdict().get("tail") or "")).strip()
    content = text[s:e]
    return Candidate(match.group("speaker"), start + match.start("speaker"), start + match.end("speaker"), None, cue,
                     content, s, e, _is_quote(content), sentence)  # fmt: skip


def _names_someone(label: str, text: str) -> bool:
    """Whether a label before a colon is a speaker: a name of two words or more, or one word the text also writes as
    a name elsewhere ("PENCE:" beside "Pence said"); not "Read next:" nor a one-word headline such as "HYPOCRITE:"."""
    if label.lower() in _NOT_SPEAKERS:
        return False
    return len(label.split()) > 1 or len(re.findall(rf"\b{re.escape(label.capitalize())}\b", text)) > 0


def _plausible(speaker: str) -> bool:
    """A speaker phrase that names someone: a pronoun, a capitalised name or a role; not a bare article or verb."""
    words = speaker.split()
    return bool(words) and (words[-1].lower() in PRONOUNS or words[-1][:1].isupper() or words[-1].lower() in _ROLES)


def _is_quote(text: str) -> bool:
    stripped = text.strip().rstrip(".,;: ")
    return len(stripped) > 2 and stripped[0] in OPEN_QUOTES and stripped[-1] in CLOSE_QUOTES + "\u2019"


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace and the commas or full stops that join it to its cue."""
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:."):
        end -= 1
    return start, end


def _date(candidate: Candidate, basis: date | None) -> None:
    """The date phrase of the statement: in its cue, or else in its sentence; resolved against the basis."""
    for where in (candidate.cue, candidate.sentence):
        found = _DATE.search(where)
        if found:
            phrase = found.group(0)
            candidate.date_text = phrase
            try:
                span = dates.resolve(phrase, basis)
            except DateError as e:
                candidate.date_refused = str(e)
                return
            candidate.occurred_from, candidate.occurred_to, candidate.date_precision = span.start, span.end, span.precision
            return


def review_lines(found: list[Candidate], source_id: str | None) -> list[dict]:
    """Event lines for a person to finish: topic and stance left empty, the evidence kept under "review", which
    `timeline import` refuses until it is deleted."""
    lines = []
    for number, c in enumerate(found, 1):
        quote = c.content.strip().strip("\u201c\u201d\"'").strip() if c.direct else None
        lines.append({
            "review": {
                "candidate": number, "speaker": c.speaker, "cue": c.cue, "direct": c.direct,
                "proposed_actor": c.proposed_actor, "subjects_mentioned": c.subjects_mentioned,
                "date_refused": c.date_refused, "sentence": c.sentence,
                "todo": "fill in topic and stance; check actor, kind and subject; then delete review",
            },
            "actor": c.actor, "topic": None, "stance": None, "kind": "statement",
            "date": c.date_text, "source": source_id, "quote": quote,
            "summary": c.content.strip(), "locator": f"chars {c.content_start}-{c.content_end}",
        })  # fmt: skip
    return lines
