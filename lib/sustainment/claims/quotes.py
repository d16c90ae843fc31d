"""What a claim's quote says in words: the numbers it states, the bound words attached to them
("up to 3 million", "at least 300,000") and the period words ("in 2023", "since the start of the
war", "per day"). The integrity checks compare these with the row's columns.

Only plain phrasings are recognised (English, and the commonest bound words of the languages the
data quotes): a check built on this module flags what a quote *plainly* says, never guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SCALES = {"thousand": 1e3, "k": 1e3, "tys": 1e3, "тыс": 1e3, "mil": 1e3, "ألف": 1e3, "million": 1e6, "mln": 1e6,
          "m": 1e6, "млн": 1e6, "millionen": 1e6, "milhões": 1e6, "milhão": 1e6, "milioane": 1e6, "billion": 1e9, "bn": 1e9}
WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "twelve": 12, "half a": 0.5}
UP_TO = ("up to", "as many as", "as high as", "as much as", "no more than", "not more than", "at most", "just under",
         "a maximum of", "could contain", "could hold", "could accommodate", "capacity to produce", "до", "do", "jusqu'à",
         "bis zu")
AT_LEAST = ("at least", "more than", "over", "upwards of", "in excess of", "exceeding", "no fewer than", "no less than",
            "not less than", "above", "mehr als", "über", "plus de", "mais de", "peste", "более", "свыше", "ponad",
            "أكثر من")
FILLERS = r"(?:approximately |about |around |some |roughly |nearly |almost |an estimated |a total of |\$|€)?"

_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3}|[  ]\d{3}(?!\w))+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?![.,]?\d)|\d+(?:[.,]\d+)?)"
    # 1,000,000 / 6 700 (not "110,000 155mm") / 95.000 (German) / 1.1 / 1,5
    r"(?:\s?(thousand|millions?|billion|mln|bn|k|m|тыс\w*|млн|millionen|milhões|milhão|milioane|mil|tys|ألف)\b)?",
    re.IGNORECASE)
_WORD_NUMBER = re.compile(r"\b(half a|a|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s(million|thousand|billion)\b",
                          re.IGNORECASE)


@dataclass(frozen=True)
class Stated:
    """A number as the quote states it, and the bound word right before it (if any)."""

    value: float
    bound: str  # "up_to", "at_least" or ""
    start: int  # character offset in the quote


def _to_float(digits: str) -> float:
    text = digits.replace(" ", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):  # 95.000: a German or Romanian thousands separator
        return float(text.replace(".", ""))
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):
        return float(text.replace(",", ""))
    if re.fullmatch(r"\d+,\d{1,2}", text):  # decimal comma: 1,5 million, 400,63 thousand
        return float(text.replace(",", "."))
    return float(text.replace(",", ""))


def _bound_before(quote: str, start: int) -> str:
    before = quote[:start].lower()
    before = re.sub(FILLERS + r"$", "", before).rstrip()
    for kind, phrases in (("up_to", UP_TO), ("at_least", AT_LEAST)):
        for phrase in phrases:
            if re.search(r"(?:^|[\s(\"'«])" + re.escape(phrase) + r"$", before):
                return kind
    return ""


def numbers(quote: str) -> list[Stated]:
    """Every number the quote states, with its scale applied and the bound word before it."""
    found = []
    for match in _NUMBER.finditer(quote):
        digits, scale = match.group(1), (match.group(2) or "").lower()
        if re.fullmatch(r"(19|20)\d\d", digits) and not scale:
            continue  # a year, not a quantity
        multiplier = SCALES.get(scale.removesuffix("s"), SCALES.get(scale[:3], 1.0)) if scale else 1.0
        if scale in ("m", "k") and not re.search(r"\d" + scale + r"\b", match.group(0), re.IGNORECASE):
            multiplier = 1.0  # "5 m" distance, not millions: only "5m" / "30k" count
        found.append(Stated(_to_float(digits) * multiplier, _bound_before(quote, match.start()), match.start()))
    for match in _WORD_NUMBER.finditer(quote):
        value = WORDS[match.group(1).lower()] * SCALES[match.group(2).lower()]
        found.append(Stated(value, _bound_before(quote, match.start()), match.start()))
    return sorted(found, key=lambda s: s.start)


def stated_bound(quote: str, value: float) -> str:
    """The bound word ("up_to" / "at_least") the quote attaches to `value` (within 1%), or ""."""
    for stated in numbers(quote):
        if stated.bound and value and abs(stated.value - value) <= 0.01 * abs(value):
            return stated.bound
    return ""


YEAR_WORDS = re.compile(r"\b(?:in|during|for|throughout) (20\d\d)\b", re.IGNORECASE)
SINCE_INVASION = re.compile(r"since (?:the (?:start|beginning) of (?:the|its) (?:full[- ]scale )?(?:war|invasion)|"
                            r"the (?:full[- ]scale )?invasion|(?:24 )?february 2022|the war began)", re.IGNORECASE)
PER = {"day": re.compile(r"\b(?:per|a|each|every) day\b|\bdaily\b", re.IGNORECASE),
       "month": re.compile(r"\b(?:per|a|each|every) month\b|\bmonthly\b", re.IGNORECASE),
       "year": re.compile(r"\b(?:per|a|each|every) year\b|\bannual(?:ly)?\b", re.IGNORECASE)}


def calendar_years(quote: str) -> list[int]:
    """Years the quote speaks of as a whole period ("in 2023", "during 2024")."""
    return [int(year) for year in YEAR_WORDS.findall(quote)]


PART_OF_YEAR = re.compile(r"\b(?:january|february|march|april|may|june|july|august|september|october|november|"
                          r"december|quarter|half|month|week|since|from|between|until|through)\b", re.IGNORECASE)


def names_part_of_year(quote: str) -> bool:
    """True when the quote names a part of a year (a month, a quarter, "since ...")."""
    return bool(PART_OF_YEAR.search(quote))


def says_since_invasion(quote: str) -> bool:
    return bool(SINCE_INVASION.search(quote))


def per_period(quote: str) -> set[str]:
    """The time units the quote states a rate in ("day", "month", "year")."""
    return {unit for unit, pattern in PER.items() if pattern.search(quote)}


PEAK = re.compile(r"\b(?:briefly|at (?:its|their|the) (?:peak|height)|peak(?:ed|s)?|record(?:ed)? (?:high|day|week|month)|"
                  r"a record|in a single (?:day|week)|on (?:some|certain) days|at times)\b", re.IGNORECASE)
PLAN = re.compile(r"\b(?:capacity|capable of|(?:can|could|able to|will) (?:produce|make|deliver|manufacture|reach)|"
                  r"plans? to|planned|aims? to|targets?|goal|expected to|intends? to|projected|on track to)\b", re.IGNORECASE)
RUSSIAN_STATE_MEDIA = r"\b(?:TASS|RIA|Sputnik|RT|Rossiyskaya Gazeta|Zvezda)\b"
RUSSIAN_SPEAKERS = (r"\b(?:Russia|Russian|Kremlin|Putin|Medvedev|Shoigu|Belousov|Gerasimov|Peskov|Lavrov|Moscow|Duma|"
                    r"Rosstat|Rostec|Chemezov|Tsivileva|Kartapolov|Manturov|Matviyenko|Volodin)\b")
UKRAINIAN_SPEAKERS = (r"\b(?:Ukraine's|Ukrainian|Zelensky|Zelenskyy|Fedorov|Syrskyi|Budanov|Umerov|Shmyhal|Sybiha|Kuleba|"
                      r"Reznikov|Zaluzhnyi|HUR|GUR|SBU)\b|\bof Ukraine\b")  # Ukrainian officials and bodies


SPEAKER = re.compile(r"((?:[A-Z][a-z'’-]+ ){1,2}[A-Z][a-zA-Z'’-]+),?(?: [a-z]+)? (?:said|says|told|stated|wrote|claimed|"
                     r"estimated|announced)\b|\b(?:said|says|according to) ((?:[A-Z][a-z'’-]+ ){1,2}[A-Z][a-zA-Z'’-]+)")
NOT_A_NAME = re.compile(r"^(?:The|A|An|This|That|Its|Their|His|Her|Our|In|On|By)\b")
SAME_NAME_LETTERS = 6  # "Zelensky" and "Zelenskyy", "Tsivileva" and "Tsivilyova": one name, two spellings


def speakers(quote: str) -> list[str]:
    """The surnames of people the quote says spoke ("X said", "according to X"), bodies ("The MoD") left out."""
    names = (found.group(1) or found.group(2) for found in SPEAKER.finditer(quote))
    return [name.split()[-1] for name in names if not NOT_A_NAME.match(name)]


def names_match(surname: str, text: str) -> bool:
    """Whether `text` names `surname`, allowing for a different transliteration of its ending."""
    stem = surname.lower()[:SAME_NAME_LETTERS]
    return any(word.startswith(stem) for word in re.findall(r"[\w'’-]+", text.lower()))


def peak_words(quote: str) -> str:
    """The words of the quote that describe a peak rather than a level ("" when none)."""
    found = PEAK.search(quote)
    return found.group(0) if found else ""


def plan_words(quote: str) -> str:
    """The words of the quote that speak of capacity, a plan or a target ("" when none)."""
    found = PLAN.search(quote)
    return found.group(0) if found else ""
