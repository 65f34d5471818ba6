"""Score `ducha extract` output against hand-annotated gold facts (docs/extraction.md).

Plain functions without Django, so that tests, benchmarks and the command line share them:

    python -m ducha.extraction.scoring --gold DIR_OR_FILE --pred PRED.jsonl [--json] [--verbose]
    python -m ducha.extraction.scoring --corpus dev|test|seeds|DIR [--json] [--verbose]

The second form runs the engine itself on a part of the repository's corpus (corpus/dev,
corpus/test; each report with the date its index.json gives), on the seed pages with their
shared gold (../shared), or on any directory of <id>.txt + <id>.json, and scores the result.

Every category is scored the same way: gold and predicted items are paired one to one, the
most similar pair first; a pair is a true positive, a gold item left alone a miss (false
negative), a predicted item left alone a false positive. Money and capacities are compared
inside the paired projects, titles inside the paired people; those of a project or person
without a partner are all misses (gold side) or all false positives (predicted side).
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Generic, Literal, TypeGuard, TypeVar

CATEGORIES = ("projects", "money", "capacities", "indicators", "people", "titles", "events")
LIST_KEYS = ("projects", "indicators", "people", "events")
MONEY_KEYS = ("investment", "annual_revenue")

FUZZY_RATIO = 0.8  # two names this similar (difflib ratio) match even if neither contains the other
CONTAINED_SHARE = 0.6  # fuzzy mode: a name inside another must be at least this share of it
NUMBER_TOLERANCE = 0.005  # two numbers match when they differ by at most 0.5 % of the larger
_NAME_NOISE = re.compile(r"[\s()（）“”\"'《》·]")

NameMode = Literal["exact", "contains", "fuzzy"]
NoteKind = Literal["miss", "false_positive"]
Fact = dict[str, Any]
T = TypeVar("T")
EMPTY_PREDICTION: Fact = {key: [] for key in LIST_KEYS}


class ScoringInputError(ValueError):
    """A gold or prediction file that cannot be read or breaks the contract."""


# ---- comparing single values -------------------------------------------------------------


def normalise_name(value: object) -> str:
    """Compatibility-folded (full-width → half-width), lower-case, without spaces, brackets,
    quotes and middle dots; "" for anything that is not a string."""
    if not isinstance(value, str):
        return ""
    return _NAME_NOISE.sub("", unicodedata.normalize("NFKC", value)).lower()


def distinct_names(values: object) -> list[str]:
    """The non-empty strings of a list, each kept once (as first written) after normalising."""
    kept: dict[str, str] = {}
    for value in values if isinstance(values, list) else []:
        key = normalise_name(value)
        if key and key not in kept:
            kept[key] = value
    return list(kept.values())


def name_score(a: object, b: object, mode: NameMode = "fuzzy") -> float | None:
    """How alike two names are (difflib ratio of the normalised forms), or None when they do
    not match. "exact": equal; "contains": one inside the other; "fuzzy": one inside the other
    and at least CONTAINED_SHARE of its length, or a ratio of at least FUZZY_RATIO."""
    left, right = normalise_name(a), normalise_name(b)
    if not left or not right:
        return None
    if mode == "exact":
        return 1.0 if left == right else None
    ratio = difflib.SequenceMatcher(None, left, right).ratio()
    inside = left in right or right in left
    if mode == "contains":
        return ratio if inside else None
    short, long = sorted((len(left), len(right)))
    if (inside and short >= CONTAINED_SHARE * long) or ratio >= FUZZY_RATIO:
        return ratio
    return None


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def number_score(a: object, b: object) -> float | None:
    """1 minus the relative difference of two numbers when it is within NUMBER_TOLERANCE."""
    if not (_is_number(a) and _is_number(b)):
        return None
    larger = max(abs(a), abs(b))
    score = 1.0 - abs(a - b) / larger if larger else 1.0
    return score if score >= 1.0 - NUMBER_TOLERANCE else None


def _label(value: object) -> str:
    return str(value or "").strip()


def money_score(gold: object, pred: object) -> float | None:
    """Amounts match in the same (non-empty, case-insensitive) currency and within tolerance."""
    if not (isinstance(gold, dict) and isinstance(pred, dict)):
        return None
    currency = _label(gold.get("currency")).upper()
    if not currency or currency != _label(pred.get("currency")).upper():
        return None
    return number_score(gold.get("amount"), pred.get("amount"))


def capacity_score(gold: Fact, pred: Fact) -> float | None:
    """Same unit (case-insensitive: GWh = gwh) and quantity within tolerance; product is free."""
    if _label(gold.get("unit")).lower() != _label(pred.get("unit")).lower():
        return None
    return number_score(gold.get("quantity"), pred.get("quantity"))


def indicator_score(gold: Fact, pred: Fact) -> tuple[float, float] | None:
    """Similar names, values within tolerance, and no conflicting periods (a missing period on
    either side conflicts with nothing). Unit and yoy_pct are not compared."""
    name = name_score(gold.get("name"), pred.get("name"))
    value = number_score(gold.get("value"), pred.get("value"))
    if name is None or value is None:
        return None
    if gold.get("period") is not None and pred.get("period") is not None:
        if normalise_name(str(gold["period"])) != normalise_name(str(pred["period"])):
            return None
    return name, value


def project_score(gold: Fact, pred: Fact) -> float | None:
    """The best fuzzy match of the predicted name with the gold name or one of its aliases."""
    names = [gold.get("name"), *distinct_names(gold.get("aliases"))]
    scores = [s for n in names if (s := name_score(n, pred.get("name"))) is not None]
    return max(scores, default=None)


def person_score(gold: Fact, pred: Fact) -> float | None:
    return name_score(gold.get("name"), pred.get("name"), "exact")


def title_score(gold: str, pred: str) -> float | None:
    return name_score(gold, pred, "contains")


def event_score(gold: Fact, pred: Fact) -> tuple[int, float] | None:
    """Events with two dates match only on the same date (ranked first, then by leader overlap).
    Otherwise they need a leader in common, or, when neither names any leader, similar kinds."""
    gold_leaders, pred_leaders = (
        {normalise_name(n) for n in distinct_names(e.get("leaders"))} for e in (gold, pred)
    )
    everyone = gold_leaders | pred_leaders
    overlap = len(gold_leaders & pred_leaders) / len(everyone) if everyone else 0.0
    if gold.get("date") is not None and pred.get("date") is not None:
        same_day = str(gold["date"]).strip() == str(pred["date"]).strip()
        return (1, overlap) if same_day else None
    if overlap > 0:
        return 0, overlap
    if not everyone:
        kind = name_score(gold.get("kind"), pred.get("kind"))
        return None if kind is None else (0, kind)
    return None


# ---- pairing and counting ----------------------------------------------------------------


@dataclass(frozen=True)
class Pairing(Generic[T]):
    pairs: list[tuple[T, T]]
    missed: list[T]
    extra: list[T]


def pair_up(gold: Sequence[T], pred: Sequence[T], score: Callable[[T, T], Any]) -> Pairing[T]:
    """One-to-one pairs, highest score first (equal scores: earlier gold, then earlier
    prediction); pairs scored None are never made."""
    candidates = [
        (s, g, p)
        for g, gold_item in enumerate(gold)
        for p, pred_item in enumerate(pred)
        if (s := score(gold_item, pred_item)) is not None
    ]
    candidates.sort(key=lambda candidate: candidate[0], reverse=True)  # stable: ties keep order
    free_gold, free_pred = set(range(len(gold))), set(range(len(pred)))
    pairs = []
    for _, g, p in candidates:
        if g in free_gold and p in free_pred:
            free_gold.discard(g)
            free_pred.discard(p)
            pairs.append((gold[g], pred[p]))
    return Pairing(pairs, [gold[g] for g in sorted(free_gold)], [pred[p] for p in sorted(free_pred)])


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def empty(self) -> bool:
        return not (self.tp or self.fp or self.fn)

    @property
    def precision(self) -> float:
        """Share of predictions that are right; 1.0 when there was nothing at all to find."""
        if self.tp + self.fp:
            return self.tp / (self.tp + self.fp)
        return 1.0 if self.empty else 0.0

    @property
    def recall(self) -> float:
        """Share of gold facts found; 1.0 when there was nothing at all to find."""
        if self.tp + self.fn:
            return self.tp / (self.tp + self.fn)
        return 1.0 if self.empty else 0.0

    @property
    def f1(self) -> float:
        return 1.0 if self.empty else 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    def as_dict(self) -> dict[str, float]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class Note:
    """One gold fact that was missed, or one predicted fact that matched nothing."""

    document: str
    category: str
    kind: NoteKind
    item: str


@dataclass
class Score:
    counts: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in CATEGORIES})
    notes: list[Note] = field(default_factory=list)
    documents: int = 0

    @property
    def micro(self) -> Counts:
        return sum(self.counts.values(), Counts())

    @property
    def micro_f1(self) -> float:
        return self.micro.f1

    def as_dict(self, *, details: bool = False) -> dict[str, Any]:
        result: dict[str, Any] = {
            "documents": self.documents,
            "micro_f1": self.micro_f1,
            "micro": self.micro.as_dict(),
            "categories": {name: counts.as_dict() for name, counts in self.counts.items()},
        }
        if details:
            result["details"] = [vars(note) for note in self.notes]
        return result


class _Tally:
    """Adds one document's pairings to a Score."""

    def __init__(self, score: Score, document: str) -> None:
        self.score, self.document = score, document

    def count(
        self,
        category: str,
        gold: Sequence[T],
        pred: Sequence[T],
        similarity: Callable[[T, T], Any],
        describe: Callable[[T], str],
        owner: object = None,
    ) -> list[tuple[Any, Any]]:
        """Pair and count; return every item with its partner ({} where it has none). Notes
        name the `owner` (project or person) of money, capacities and titles."""
        pairing = pair_up(gold, pred, similarity)
        counts = self.score.counts[category]
        counts.tp += len(pairing.pairs)
        counts.fn += len(pairing.missed)
        counts.fp += len(pairing.extra)
        prefix = "" if owner is None else f"{owner}: "
        outcomes: tuple[tuple[NoteKind, list[T]], ...] = (
            ("miss", pairing.missed),
            ("false_positive", pairing.extra),
        )
        for kind, items in outcomes:
            self.score.notes.extend(Note(self.document, category, kind, prefix + describe(x)) for x in items)
        return [*pairing.pairs, *((x, {}) for x in pairing.missed), *(({}, x) for x in pairing.extra)]


def _dicts(value: object) -> list[Fact]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _name(fact: Fact) -> str:
    return str(fact.get("name"))


def _capacity(capacity: Fact) -> str:
    return f"{capacity.get('quantity')} {capacity.get('unit')} {capacity.get('product') or ''}".rstrip()


def _money(key: str) -> Callable[[object], str]:
    return lambda amount: f"{key} {_json(amount)}"


def _score_projects(tally: _Tally, gold: list[Fact], pred: list[Fact]) -> None:
    for gold_project, pred_project in tally.count("projects", gold, pred, project_score, _name):
        owner = (gold_project or pred_project).get("name")
        for key in MONEY_KEYS:  # each side holds at most one amount per key
            gold_money, pred_money = (
                [x[key]] if x.get(key) is not None else [] for x in (gold_project, pred_project)
            )
            tally.count("money", gold_money, pred_money, money_score, _money(key), owner)
        gold_capacities, pred_capacities = (_dicts(x.get("capacities")) for x in (gold_project, pred_project))
        tally.count("capacities", gold_capacities, pred_capacities, capacity_score, _capacity, owner)


def _score_people(tally: _Tally, gold: list[Fact], pred: list[Fact]) -> None:
    for gold_person, pred_person in tally.count("people", gold, pred, person_score, _name):
        owner = (gold_person or pred_person).get("name")
        gold_titles, pred_titles = (distinct_names(x.get("titles")) for x in (gold_person, pred_person))
        tally.count("titles", gold_titles, pred_titles, title_score, str, owner)


def score_document(gold: Fact, pred: Fact, *, key: str = "", into: Score | None = None) -> Score:
    """Add one document's counts (gold against its prediction) to `into`, or to a new Score."""
    score = into if into is not None else Score()
    score.documents += 1
    tally = _Tally(score, key)
    _score_projects(tally, gold["projects"], pred["projects"])
    tally.count(
        "indicators",
        gold["indicators"],
        pred["indicators"],
        indicator_score,
        lambda x: f"{x.get('name')} [{x.get('period')}] {x.get('value')} {x.get('unit')}",
    )
    _score_people(tally, gold["people"], pred["people"])
    tally.count(
        "events",
        gold["events"],
        pred["events"],
        event_score,
        lambda x: f"{x.get('kind')} {x.get('date')} {'、'.join(distinct_names(x.get('leaders')))}",
    )
    return score


def score_documents(gold: Mapping[str, Fact], predictions: Mapping[str, Fact]) -> Score:
    """Score every gold document; one without a prediction has all its facts missed, and
    predictions without a gold document are ignored."""
    score = Score()
    for key in sorted(gold):
        score_document(gold[key], predictions.get(key, EMPTY_PREDICTION), key=key, into=score)
    return score


# ---- reading files -----------------------------------------------------------------------


def document_key(source: str) -> str:
    """Gold and predictions pair on the file name without directory and extension."""
    return PurePosixPath(source.strip().replace("\\", "/")).stem


def checked_key(document: object, where: str) -> str:
    """The pairing key of a document that has every contract key with the right type."""
    if not isinstance(document, dict):
        raise ScoringInputError(f"{where}: a document must be a JSON object")
    absent = [key for key in ("source", *LIST_KEYS) if key not in document]
    if absent:
        raise ScoringInputError(f"{where}: missing key(s) {', '.join(absent)}")
    source = document["source"]
    if not isinstance(source, str) or not document_key(source):
        raise ScoringInputError(f"{where}: 'source' must name the input")
    for key in LIST_KEYS:
        if not isinstance(document[key], list) or not all(isinstance(x, dict) for x in document[key]):
            raise ScoringInputError(f"{where}: '{key}' must be a list of objects")
    return document_key(source)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ScoringInputError(f"cannot read {path}: {error}") from None


def _chunks(path: Path, *, directory_allowed: bool) -> Iterable[tuple[str, str]]:
    if directory_allowed and path.is_dir():
        for file in sorted(path.glob("*.json")):
            yield str(file), _read(file)
        return
    # Lines end at "\n" only: str.splitlines() would also break inside strings holding U+2028.
    for number, line in enumerate(_read(path).split("\n"), 1):
        if line.strip():
            yield f"{path}:{number}", line


def _load(path: Path, *, gold: bool, warnings: list[str]) -> dict[str, Fact]:
    documents: dict[str, Fact] = {}
    for where, text in _chunks(path, directory_allowed=gold):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ScoringInputError(f"{where}: not JSON: {error}") from None
        key = checked_key(document, where)
        if key not in documents:
            documents[key] = document
        elif gold:
            raise ScoringInputError(f"{where}: second gold document for '{key}'")
        else:
            warnings.append(f"{where}: second prediction for '{key}' ignored")
    if gold and not documents:
        raise ScoringInputError(f"{path}: no gold documents")
    return documents


def load_gold(path: Path) -> dict[str, Fact]:
    """Gold documents by key, from a directory of *.json files or one JSON Lines file."""
    return _load(path, gold=True, warnings=[])


def load_predictions(path: Path, warnings: list[str] | None = None) -> dict[str, Fact]:
    """Predicted documents by key from JSON Lines; a repeated key keeps its first line."""
    return _load(path, gold=False, warnings=[] if warnings is None else warnings)


# ---- corpus parts ------------------------------------------------------------------------

CORPUS = Path(__file__).resolve().parent / "corpus"
SHARED = Path(__file__).resolve().parents[3] / "shared"
PARTS = ("dev", "test", "seeds")


@dataclass(frozen=True)
class Report:
    key: str
    text: Path
    date: str | None  # ISO YYYY-MM-DD, or None where only the month (or nothing) is known


def corpus_part(part: str | Path) -> tuple[list[Report], Path]:
    """The reports of a part and where their gold is: "dev" and "test" are the repository's
    corpus (dates from index.json), "seeds" the shared seed pages scored against the shared
    gold, anything else a directory of <id>.txt and <id>.json (with an optional index.json)."""
    if str(part) == "seeds":
        gold_dir, text_dir = SHARED / "extraction" / "gold", SHARED / "seeds"
    else:
        gold_dir = text_dir = CORPUS / str(part) if str(part) in ("dev", "test") else Path(part)
    if not gold_dir.is_dir():
        raise ScoringInputError(f"{gold_dir}: no such directory")
    dates: dict[str, str | None] = {}
    index = gold_dir / "index.json"
    if index.is_file():
        try:
            rows = json.loads(_read(index))
        except json.JSONDecodeError as error:
            raise ScoringInputError(f"{index}: not JSON: {error}") from None
        dates = {row["id"]: row.get("date") for row in rows if isinstance(row, dict) and "id" in row}
    reports = []
    for gold_file in sorted(gold_dir.glob("*.json")):
        if gold_file.name == "index.json":  # a list of the part's reports, not a gold file
            continue
        text = text_dir / f"{gold_file.stem}.txt"
        if not text.is_file():
            raise ScoringInputError(f"{gold_file}: no text {text}")
        date = dates.get(gold_file.stem)
        reports.append(Report(gold_file.stem, text, date if date and len(date) == 10 else None))
    if not reports:
        raise ScoringInputError(f"{gold_dir}: no gold documents")
    return reports, gold_dir


def score_corpus(part: str | Path) -> Score:
    """Run the engine on every report of a part and score it against the part's gold."""
    from datetime import date as Date

    from ducha.extraction.engine.cli import extract_file

    reports, gold_dir = corpus_part(part)
    gold = {}
    for report in reports:
        file = gold_dir / f"{report.key}.json"
        try:
            document = json.loads(_read(file))
        except json.JSONDecodeError as error:
            raise ScoringInputError(f"{file}: not JSON: {error}") from None
        gold[checked_key(document, str(file))] = document
    predictions = {
        report.key: extract_file(str(report.text), Date.fromisoformat(report.date) if report.date else None)
        for report in reports
    }
    return score_documents(gold, predictions)


# ---- command line ------------------------------------------------------------------------


def table(score: Score) -> str:
    """The per-category counts and rates, then the micro-averaged F1."""
    row = "{:<12}{:>6}{:>6}{:>6}{:>8}{:>8}{:>8}"
    lines = [row.format("category", "tp", "fp", "fn", "P", "R", "F1")]
    for name, counts in [*score.counts.items(), ("micro", score.micro)]:
        rates = (f"{r:.3f}" for r in (counts.precision, counts.recall, counts.f1))
        lines.append(row.format(name, counts.tp, counts.fp, counts.fn, *rates))
    lines.append(f"micro_f1={score.micro_f1:.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ducha.extraction.scoring",
        description="Compare `ducha extract` JSON Lines with gold annotations.",
    )
    parser.add_argument("--gold", type=Path, help="a directory of *.json or a .jsonl file")
    parser.add_argument("--pred", type=Path, help="the predictions, JSON Lines")
    parser.add_argument(
        "--corpus",
        metavar="PART",
        help="run the engine on a corpus part and score it: dev, test, seeds or a directory",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--verbose", action="store_true", help="also list every miss and false positive")
    args = parser.parse_args(argv)
    if args.corpus is not None:
        if args.gold or args.pred:
            parser.error("--corpus runs the engine itself: give it without --gold and --pred")
        try:
            score = score_corpus(args.corpus)
        except ScoringInputError as error:
            print(f"scoring: error: {error}", file=sys.stderr)
            return 2
        return _print(score, args)
    if args.gold is None or args.pred is None:
        parser.error("give --gold and --pred, or --corpus")
    warnings: list[str] = []
    try:
        gold = load_gold(args.gold)
        predictions = load_predictions(args.pred, warnings)
    except ScoringInputError as error:
        print(f"scoring: error: {error}", file=sys.stderr)
        return 2
    warnings += [
        f"no gold document for prediction '{k}'; ignored" for k in sorted(predictions.keys() - gold.keys())
    ]
    warnings += [
        f"no prediction for '{k}'; its facts count as missed"
        for k in sorted(gold.keys() - predictions.keys())
    ]
    for warning in warnings:
        print(f"scoring: warning: {warning}", file=sys.stderr)
    return _print(score_documents(gold, predictions), args)


def _print(score: Score, args: argparse.Namespace) -> int:
    if args.json:
        print(json.dumps(score.as_dict(details=args.verbose), ensure_ascii=False, indent=2))
        return 0
    if args.verbose:
        for note in score.notes:
            print(f"{note.document}  {note.kind:<15}{note.category:<12}{note.item}")
    print(table(score))
    return 0


if __name__ == "__main__":
    sys.exit(main())
