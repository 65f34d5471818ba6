"""The in-repo scorer (ducha.extraction.scoring): matching rules, counts, files, command line."""

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ducha.extraction import scoring
from ducha.extraction.engine.extract import extract_document

DATA = Path(__file__).resolve().parent / "data"
GOLD_DIR, TEXTS = DATA / "gold", DATA / "texts"
SHARED_SCORER = Path(__file__).resolve().parents[3].parent / "shared" / "extraction" / "score.py"

# A small gold document written for these tests.
GOLD = {
    "source": "report-1",
    "projects": [
        {
            "name": "蜂巢能源动力电池项目",
            "company": None,
            "investment": {"amount": 8_000_000_000, "currency": "CNY"},
            "capacities": [
                {"quantity": 18, "unit": "GWh", "product": "动力电池"},
                {"quantity": 200_000, "unit": "套", "product": "动力电池系统"},
            ],
            "annual_revenue": {"amount": 10_000_000_000, "currency": "CNY"},
        },
        {
            "name": "SK新能源汽车电池隔膜项目",
            "company": None,
            "investment": {"amount": 720_000_000, "currency": "USD"},
            "capacities": [],
            "annual_revenue": None,
            "aliases": ["SK电池隔膜项目"],
        },
    ],
    "indicators": [
        {
            "name": "工业开票销售收入",
            "period": "1-3月",
            "value": 32_171_000_000,
            "unit": "元",
            "yoy_pct": 6.89,
        }
    ],
    "people": [
        {"name": "汪泉", "titles": ["常州市委书记"]},
        {"name": "狄志强", "titles": ["区委书记"]},
    ],
    "events": [
        {"kind": "集中现场督查", "date": "2020-04-18", "leaders": ["狄志强", "沈东"], "project_count": 9}
    ],
}
FACTS = 2 + 3 + 2 + 1 + 2 + 2 + 1  # projects, money, capacities, indicators, people, titles, events


def edited(change: Callable[[dict], object]) -> dict:
    """A copy of GOLD as a prediction, changed in place by `change`."""
    prediction = copy.deepcopy(GOLD)
    change(prediction)
    return prediction


def bee(pred: dict) -> dict:
    return pred["projects"][0]


def counts(pred: dict) -> dict[str, tuple[int, int, int]]:
    score = scoring.score_document(GOLD, pred)
    return {name: (c.tp, c.fp, c.fn) for name, c in score.counts.items() if c.fp or c.fn}


# ---- single values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, mode, matches",
    [
        ("蜂巢能源动力电池项目", "蜂巢能源动力电池项目", "fuzzy", True),
        ("当升(常州)新材料科技有限公司", "当升（常州）新材料科技有限公司", "exact", True),  # full width
        ("SK新能源汽车电池隔膜项目", "sk新能源汽车电池隔膜项目", "exact", True),  # case
        ("“三新一特”产业开票销售", "三新一特产业开票销售", "exact", True),  # quotes
        ("北电爱思特三元材料动力电池项目", "北电爱思特三元材料动力电池", "fuzzy", True),  # contained
        ("动力电池项目", "区领导督查蜂巢能源动力电池项目", "fuzzy", False),  # contained but too short
        ("动力电池项目", "区领导督查蜂巢能源动力电池项目", "contains", True),
        ("市委书记", "常州市委书记", "contains", True),
        ("区委书记", "区长", "contains", False),
        ("狄志强", "狄志", "exact", False),
        ("新建学校", "新建学校数", "fuzzy", True),  # contained, 4 of 5 characters
        ("工业开票销售收入", "工业开票销售总收入", "fuzzy", True),  # not contained, ratio 0.94
        ("工业开票销售收入", "工业投入", "fuzzy", False),
        ("", "", "fuzzy", False),
        (None, "狄志强", "exact", False),
    ],
)
def test_names_match_after_normalising(a, b, mode, matches):
    assert (scoring.name_score(a, b, mode) is not None) is matches


@pytest.mark.parametrize(
    "a, b, matches",
    [
        (100, 100, True),
        (10_000_000_000, 10_040_000_000, True),  # 0.4 % apart
        (10_000_000_000, 10_060_000_000, False),  # 0.6 % apart
        (720_000_000, 7_200_000_000, False),
        (0, 0, True),
        (6.89, 6.89, True),
        (True, 1, False),
        (None, 1, False),
        ("18", 18, False),
        (float("nan"), 1, False),
    ],
)
def test_numbers_match_within_half_a_percent(a, b, matches):
    assert (scoring.number_score(a, b) is not None) is matches


@pytest.mark.parametrize(
    "gold, pred, matches",
    [
        ({"amount": 720_000_000, "currency": "USD"}, {"amount": 720_000_000, "currency": "usd "}, True),
        ({"amount": 720_000_000, "currency": "USD"}, {"amount": 720_000_000, "currency": "CNY"}, False),
        ({"amount": 1, "currency": None}, {"amount": 1, "currency": None}, False),
        ({"amount": 1, "currency": "CNY"}, 1, False),
    ],
)
def test_money_needs_the_same_currency(gold, pred, matches):
    assert (scoring.money_score(gold, pred) is not None) is matches


def test_pairing_takes_the_best_pair_first():
    gold, pred = ["蜂巢能源动力电池项目", "信维通信项目"], ["蜂巢能源动力电池", "蜂巢能源动力电池项目"]
    pairing = scoring.pair_up(gold, pred, scoring.name_score)
    assert pairing.pairs == [("蜂巢能源动力电池项目", "蜂巢能源动力电池项目")]
    assert (pairing.missed, pairing.extra) == (["信维通信项目"], ["蜂巢能源动力电池"])


# ---- whole documents ---------------------------------------------------------------------


def test_a_perfect_prediction_scores_one_everywhere():
    score = scoring.score_document(GOLD, copy.deepcopy(GOLD))
    assert score.micro.tp == FACTS
    assert all(c.f1 == c.precision == c.recall == 1.0 for c in score.counts.values())
    assert score.micro_f1 == 1.0 and score.notes == []


def test_a_category_without_any_facts_counts_as_perfect():
    empty = {"source": "x", "projects": [], "indicators": [], "people": [], "events": []}
    score = scoring.score_document(empty, empty)
    assert score.micro_f1 == 1.0
    assert score.counts["indicators"].as_dict()["precision"] == 1.0


@pytest.mark.parametrize(
    "change, expected",
    [
        # the project goes, and with it its two amounts and two capacities
        (
            lambda p: p["projects"].pop(0),
            {"projects": (1, 0, 1), "money": (1, 0, 2), "capacities": (0, 0, 2)},
        ),
        (lambda p: bee(p)["investment"].update(amount=800_000_000), {"money": (2, 1, 1)}),
        (lambda p: bee(p)["investment"].update(amount=8_030_000_000), {}),  # 0.375 % off
        (lambda p: bee(p)["investment"].update(currency="USD"), {"money": (2, 1, 1)}),
        (lambda p: bee(p).update(annual_revenue=None), {"money": (2, 0, 1)}),
        (lambda p: bee(p).update(company="蜂巢能源科技有限公司"), {}),  # company is not scored
        (lambda p: bee(p)["capacities"][0].update(unit="gwh"), {}),
        (lambda p: bee(p)["capacities"][1].update(unit="万套", quantity=20), {"capacities": (1, 1, 1)}),
        (lambda p: bee(p)["capacities"][1].update(product="电池包"), {}),  # product is not scored
        (lambda p: bee(p).update(name="蜂巢能源动力电池"), {}),  # contained, and most of the name
        # a leading descriptor makes the name too long to pass for the project's
        (
            lambda p: bee(p).update(name="总投资80亿元的蜂巢能源动力电池项目"),
            {"projects": (1, 1, 1), "money": (1, 2, 2), "capacities": (0, 2, 2)},
        ),
        (lambda p: p["projects"][1].update(name="SK电池隔膜项目"), {}),  # an alias
        (lambda p: p["projects"].append({"name": "东方日升光伏组件项目"}), {"projects": (2, 1, 0)}),
        (lambda p: p["indicators"][0].update(period="1-11月"), {"indicators": (0, 1, 1)}),
        (lambda p: p["indicators"][0].update(period=None, unit="亿元", yoy_pct=None), {}),
        (lambda p: p["indicators"][0].update(value=321.71), {"indicators": (0, 1, 1)}),
        (lambda p: p["people"][0].update(name="汪"), {"people": (1, 1, 1), "titles": (1, 1, 1)}),
        (lambda p: p["people"][0].update(titles=["市委书记"]), {}),  # contained
        (lambda p: p["people"][1].update(titles=["区委书记", "区长"]), {"titles": (2, 1, 0)}),
        (lambda p: p["people"][1].update(titles=[]), {"titles": (1, 0, 1)}),
        (lambda p: p["events"][0].update(date="2020-04-19"), {"events": (0, 1, 1)}),
        (lambda p: p["events"][0].update(date=None, leaders=["沈东"]), {}),  # a shared leader
        (lambda p: p["events"][0].update(date=None, leaders=["汪泉"]), {"events": (0, 1, 1)}),
        (lambda p: p["events"][0].update(kind="调研", project_count=3), {}),  # same date
    ],
)
def test_each_difference_is_counted_where_it_belongs(change, expected):
    assert counts(edited(change)) == expected


def test_events_without_leaders_or_dates_match_on_their_kind():
    gold = {**GOLD, "events": [{"kind": "集中开工仪式", "date": None, "leaders": []}]}
    same = {**gold, "events": [{"kind": "集中开工仪式", "date": None, "leaders": []}]}
    other = {**gold, "events": [{"kind": "调研", "date": None, "leaders": []}]}
    assert scoring.score_document(gold, same).counts["events"].tp == 1
    assert scoring.score_document(gold, other).counts["events"].tp == 0


def test_micro_f1_adds_all_categories_up():
    score = scoring.score_document(GOLD, edited(lambda p: p["projects"].pop(0)))
    assert (score.micro.tp, score.micro.fp, score.micro.fn) == (FACTS - 5, 0, 5)
    assert score.micro_f1 == pytest.approx(2 * (FACTS - 5) / (2 * (FACTS - 5) + 5))
    assert score.micro.precision == 1.0 and score.micro.recall < 1.0


def test_a_document_without_prediction_has_every_fact_missed():
    score = scoring.score_documents({"report-1": GOLD}, {"other": GOLD})
    assert (score.micro.tp, score.micro.fn, score.micro_f1) == (0, FACTS, 0.0)


# ---- files and command line --------------------------------------------------------------


def write_jsonl(path: Path, documents: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
    return path


def test_documents_pair_on_the_file_name_without_extension(tmp_path):
    gold = scoring.load_gold(GOLD_DIR)
    preds = [{**document, "source": f"some/dir/{key}.txt"} for key, document in gold.items()]
    loaded = scoring.load_predictions(write_jsonl(tmp_path / "p.jsonl", preds))
    assert sorted(loaded) == sorted(gold) and len(gold) == 3
    assert scoring.score_documents(gold, loaded).micro_f1 == 1.0


def test_a_repeated_prediction_keeps_the_first_and_warns(tmp_path):
    warnings: list[str] = []
    path = write_jsonl(tmp_path / "p.jsonl", [GOLD, {**GOLD, "projects": []}])
    loaded = scoring.load_predictions(path, warnings)
    assert loaded["report-1"]["projects"] and len(warnings) == 1


@pytest.mark.parametrize(
    "line",
    [
        '{"source": "x"}',
        "not json",
        '{"source": "", "projects": [], "indicators": [], "people": [], "events": []}',
    ],
)
def test_broken_predictions_are_refused(tmp_path, line):
    (tmp_path / "p.jsonl").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(scoring.ScoringInputError):
        scoring.load_predictions(tmp_path / "p.jsonl")


def test_command_line_prints_the_table_and_micro_f1(tmp_path, capsys):
    pred = write_jsonl(tmp_path / "p.jsonl", list(scoring.load_gold(GOLD_DIR).values()))
    assert scoring.main(["--gold", str(GOLD_DIR), "--pred", str(pred)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["category", "tp", "fp", "fn", "P", "R", "F1"]
    assert [line.split()[0] for line in out[1:-1]] == [*scoring.CATEGORIES, "micro"]
    assert out[-1] == "micro_f1=1.000"


def test_command_line_json_and_bad_input(tmp_path, capsys):
    pred = write_jsonl(tmp_path / "p.jsonl", [])
    assert scoring.main(["--gold", str(GOLD_DIR), "--pred", str(pred), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["micro_f1"] == 0.0 and report["documents"] == 3
    assert scoring.main(["--gold", str(tmp_path / "missing"), "--pred", str(pred)]) == 2


def test_runs_as_a_module(tmp_path):
    pred = write_jsonl(tmp_path / "p.jsonl", list(scoring.load_gold(GOLD_DIR).values()))
    args = [sys.executable, "-m", "ducha.extraction.scoring", "--gold", str(GOLD_DIR), "--pred", str(pred)]
    result = subprocess.run(args, capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "micro_f1=1.000"


# ---- same figures as the shared scorer ---------------------------------------------------


def engine_predictions() -> list[dict]:
    return [
        extract_document(path.read_text(encoding="utf-8"), source=path.name)
        for path in sorted(TEXTS.glob("*.txt"))
    ]


def damaged(documents: list[dict]) -> list[dict]:
    """Gold documents with a few typical mistakes: lost, wrong and invented facts."""
    documents = copy.deepcopy(documents)
    first, second, third = documents
    first["projects"].pop()
    first["people"][1]["titles"] = ["代区长", "区委常委"]
    second["projects"][0]["investment"]["amount"] *= 10
    second["projects"][2]["investment"]["currency"] = "CNY"
    second["indicators"][0]["period"] = "2019年"
    second["events"][0]["date"] = None
    third["people"].append({"name": "徐欢", "titles": []})
    third["events"].append({"kind": "调研", "date": None, "leaders": [], "project_count": None})
    third["indicators"] = third["indicators"][::-1]
    return documents


@pytest.mark.skipif(not SHARED_SCORER.is_file(), reason="../shared/extraction is not beside the repository")
@pytest.mark.parametrize("predictions", ["gold", "damaged", "engine"])
def test_same_scores_as_the_shared_scorer(tmp_path, predictions):
    gold = list(scoring.load_gold(GOLD_DIR).values())
    documents = {"gold": lambda: gold, "damaged": lambda: damaged(gold), "engine": engine_predictions}
    pred = write_jsonl(tmp_path / "p.jsonl", documents[predictions]())
    args = [sys.executable, str(SHARED_SCORER), "--gold", str(GOLD_DIR), "--pred", str(pred), "--json"]
    theirs = json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
    ours = scoring.score_documents(scoring.load_gold(GOLD_DIR), scoring.load_predictions(pred)).as_dict()
    assert ours["micro_f1"] == pytest.approx(theirs["micro_f1"])
    for category in scoring.CATEGORIES:
        assert ours["categories"][category] == pytest.approx(theirs["categories"][category]), category
