"""The same figure means the same number wherever it is typed: ledger import, indicator entry, report extraction."""

import io
import json
from decimal import Decimal

import pytest

from ducha.extraction.engine import extract_document
from ducha.extraction.engine.cli import run as extract_cli
from ducha.indicators import rules as indicator_rules
from ducha.indicators.choices import Measure
from ducha.projects import spreadsheets

# text, amount in base units, unit (ISO currency or capacity unit), the indicator measure that keeps it
MONEY = [
    ("一亿二千万元", Decimal(120_000_000), "CNY", Measure.YUAN),
    ("1亿2000万元", Decimal(120_000_000), "CNY", Measure.YUAN),
    ("3千万元", Decimal(30_000_000), "CNY", Measure.YUAN),
    ("1.5亿港币", Decimal(150_000_000), "HKD", Measure.HKD),
    ("一百一十亿元", Decimal(11_000_000_000), "CNY", Measure.YUAN),
]
QUANTITIES = [
    ("年产一万二千吨", "钢材", Decimal(12_000), "吨", Measure.TONNES),
    ("三千五套", "智能装备", Decimal(3_500), "套", Measure.SETS),
    ("5万头", "生猪", Decimal(50_000), "头", Measure.HEAD),
]


@pytest.mark.parametrize(("text", "amount", "currency", "measure"), MONEY)
def test_money_reads_the_same_in_the_ledger_import_indicator_entry_and_extraction(
    text, amount, currency, measure
):
    assert spreadsheets.parse_money(text) == (amount / 10_000, currency)  # the ledger keeps 万
    assert indicator_rules.parse_amount(text, measure) == amount
    facts = extract_document(f"金城镇华盛新材料项目总投资{text}。", source="t")
    assert facts["projects"][0]["investment"] == {"amount": int(amount), "currency": currency}


@pytest.mark.parametrize(("text", "product", "quantity", "unit", "measure"), QUANTITIES)
def test_quantities_read_the_same_in_the_ledger_import_indicator_entry_and_extraction(
    text, product, quantity, unit, measure
):
    [spec] = spreadsheets.parse_capacities(text + product)
    assert (spec.quantity, spec.unit, spec.product) == (quantity, unit, product)
    assert indicator_rules.parse_amount(text, measure) == quantity
    capacity_text = text if text.startswith("年产") else "年产" + text
    facts = extract_document(f"金城镇华盛新材料项目总投资1亿元，{capacity_text}{product}。", source="t")
    assert facts["projects"][0]["capacities"] == [
        {"quantity": int(quantity), "unit": unit, "product": product}
    ]


def test_a_figure_in_another_currency_is_refused_for_an_indicator_kept_in_yuan():
    with pytest.raises(indicator_rules.WrongUnit, match="港元"):
        indicator_rules.parse_amount("1.5亿港币", Measure.YUAN)


def test_ducha_extract_prints_the_same_numbers(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(
        "甲钢材项目总投资一亿二千万元，年产一万二千吨钢材。乙装备项目总投资1亿2000万元，年产三千五套智能装备。"
        "丙材料项目总投资3千万元。丁电子项目总投资1.5亿港币。戊养殖项目总投资一百一十亿元，年产5万头生猪。",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert extract_cli([str(report)], None, out, io.StringIO()) == 0
    projects = json.loads(out.getvalue())["projects"]
    assert [p["investment"]["amount"] for p in projects] == [120_000_000, 120_000_000, 30_000_000, 150_000_000,
                                                             11_000_000_000]  # fmt: skip
    assert projects[3]["investment"]["currency"] == "HKD"
    capacities = [(c["quantity"], c["unit"]) for p in projects for c in p["capacities"]]
    assert capacities == [(12_000, "吨"), (3_500, "套"), (50_000, "头")]
