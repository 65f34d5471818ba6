"""Pure rules of the review: name matching, highlighting, periods and money. No ORM here."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from rapidfuzz import fuzz, process

from ducha.lib.money import yuan_to_wan

_IGNORED = re.compile(r"[\s()（）“”\"'《》·、,，.。\-]")
# Words that do not tell one project from another.
_GENERIC_TAIL = re.compile(r"(?:建设)?(?:项目|工程)$")
MATCH_CUTOFF = 60
INDICATOR_CUTOFF = 90


def normalise_name(name: str) -> str:
    """蜂巢能源（常州）动力电池 项目 → 蜂巢能源常州动力电池: width, spaces, brackets and 项目 removed."""
    name = unicodedata.normalize("NFKC", name or "")
    return _GENERIC_TAIL.sub("", _IGNORED.sub("", name)).lower()


@dataclass(frozen=True)
class Match:
    pk: int
    name: str
    score: int  # 0–100


def best_matches(
    name: str, candidates: Sequence[tuple[int, str]], *, limit: int = 3, cutoff: int = MATCH_CUTOFF
) -> list[Match]:
    """The ledger projects whose normalised names resemble `name`, best first.

    A name contained in the other counts as a strong match (蜂巢能源动力电池 ⊂ 蜂巢能源动力电池二期).
    """
    query = normalise_name(name)
    if not query or not candidates:
        return []
    names = [normalise_name(n) for _pk, n in candidates]
    found = process.extract(query, names, scorer=_score, limit=limit, score_cutoff=cutoff)
    return [Match(candidates[i][0], candidates[i][1], round(score)) for _n, score, i in found]


def _score(a: str, b: str, **_kwargs) -> float:
    if not a or not b:
        return 0.0
    ratio = fuzz.ratio(a, b)
    shorter, longer = sorted((a, b), key=len)
    if shorter in longer and len(shorter) >= 4:
        ratio = max(ratio, 90 + 10 * len(shorter) / len(longer) - 1)
    return ratio


def best_name(name: str, names: Iterable[str], *, cutoff: int = INDICATOR_CUTOFF) -> str | None:
    """The one known name (an indicator's) that `name` means, or None when none is close enough."""
    names = list(names)
    found = process.extractOne(
        normalise_name(name), [normalise_name(n) for n in names], scorer=_score, score_cutoff=cutoff
    )
    return names[found[2]] if found else None


# ---- periods --------------------------------------------------------------------------------

_CUMULATIVE = re.compile(r"^(?:(\d{4})年)?1\s*-\s*(\d{1,2})月份?$")
_YEAR = re.compile(r"^(\d{4})年$")


def resolve_period(period: str | None, doc_date: date | None) -> tuple[int, int] | None:
    """(year, month) of a period string: 1-3月 + the document's year → (year, 3); 2020年1-3月 → (2020, 3);
    2019年 → (2019, 12).

    None when the text does not fix it (no period, no document date, 近5年来 …)."""
    if not period:
        return None
    period = unicodedata.normalize("NFKC", period).strip()
    if m := _YEAR.match(period):
        return int(m.group(1)), 12
    if (m := _CUMULATIVE.match(period)) and 1 <= int(m.group(2)) <= 12:
        if m.group(1):
            return int(m.group(1)), int(m.group(2))
        if doc_date is not None:
            return doc_date.year, int(m.group(2))
    return None


# ---- money ----------------------------------------------------------------------------------


def to_wan(amount: float | int | str | None) -> Decimal | None:
    """Base units (元) to 万, to two decimals: 8000000000 → 800000.00."""
    if amount in (None, ""):
        return None
    return (yuan_to_wan(Decimal(str(amount))) or Decimal(0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# ---- highlighting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    text: str
    marked: bool


def fact_terms(kind: str, payload: dict) -> list[str]:
    """The words of a fact worth marking in its sentence."""
    terms: list[str] = []
    name = payload.get("name") or ""
    if kind == "project" and name:
        terms += [name, re.sub(r"项目$", "", name)]
        if payload.get("company"):
            terms.append(payload["company"])
    elif kind == "indicator" and name:
        terms.append(name)
    elif kind == "person" and name:
        terms += [name, *payload.get("titles", [])]
    elif kind == "event":
        terms += [payload.get("kind") or "", *payload.get("leaders", [])]
    return [t for t in terms if t and len(t) >= 2]


def highlight(sentence: str, terms: Iterable[str]) -> list[Segment]:
    """The sentence cut into plain and marked pieces, marking every occurrence of the terms.

    Longer terms win where they overlap; the pieces joined give the sentence back unchanged."""
    marked = [False] * len(sentence)
    for term in sorted(set(terms), key=len, reverse=True):
        start = sentence.find(term)
        while start != -1:
            for i in range(start, start + len(term)):
                marked[i] = True
            start = sentence.find(term, start + len(term))
    segments: list[Segment] = []
    for i, ch in enumerate(sentence):
        if segments and segments[-1].marked == marked[i]:
            segments[-1] = Segment(segments[-1].text + ch, marked[i])
        else:
            segments.append(Segment(ch, marked[i]))
    return segments
