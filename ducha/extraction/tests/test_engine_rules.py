"""Table-driven tests of the extraction rules: numbers, money, capacities, dates, titles."""

from datetime import date

import pytest

from ducha.extraction.engine.dates import parse_date, parse_period
from ducha.extraction.engine.extract import extract_document, name_after_title
from ducha.extraction.engine.numbers import chinese_numeral, parse_money, parse_quantity
from ducha.extraction.engine.text import normalise


@pytest.mark.parametrize(
    "text, value",
    [
        ("十二", 12),
        ("两", 2),
        ("十", 10),
        ("一百零五", 105),
        ("二〇三五", 2035),
        ("三千", 3000),
        ("abc", None),
        ("", None),
    ],
)
def test_chinese_numerals(text, value):
    assert chinese_numeral(text) == value


@pytest.mark.parametrize(
    "text, amount, currency",
    [
        ("60亿元", 6_000_000_000, "CNY"),
        ("7.2亿美元", 720_000_000, "USD"),
        ("1000万元", 10_000_000, "CNY"),
        ("超100亿元", 10_000_000_000, "CNY"),
        ("1亿元以上", 100_000_000, "CNY"),
        ("60多亿元", 6_000_000_000, "CNY"),
        ("约5亿元", 500_000_000, "CNY"),
        ("321.71亿元", 32_171_000_000, "CNY"),
        ("1,000万元", 10_000_000, "CNY"),
        ("两亿元", 200_000_000, "CNY"),
        ("3000万欧元", 30_000_000, "EUR"),
    ],
)
def test_money_in_base_units(text, amount, currency):
    money = parse_money(normalise(text))
    assert (money.amount, money.currency) == (amount, currency)


def test_full_width_digits_are_read():
    assert parse_money(normalise("６０亿元")).amount == 6_000_000_000


@pytest.mark.parametrize(
    "text, quantity, unit",
    [
        ("5万吨", 50_000, "吨"),
        ("20万套", 200_000, "套"),
        ("18GWh", 18, "GWh"),
        ("10Gwh", 10, "GWh"),
        ("100万台", 1_000_000, "台"),
        ("3亿片", 300_000_000, "片"),
        ("50MW", 50, "MW"),
    ],
)
def test_capacities(text, quantity, unit):
    q = parse_quantity(text)
    assert (q.quantity, q.unit) == (quantity, unit)


@pytest.mark.parametrize(
    "text, doc_date, expected",
    [
        ("昨天上午", date(2020, 12, 2), date(2020, 12, 1)),
        ("昨天上午", None, None),
        ("12月18日", date(2019, 12, 19), date(2019, 12, 18)),
        ("12月18日", date(2020, 1, 3), date(2019, 12, 18)),  # December news read in January
        ("12月18日,2019年度重点项目督查推进会", None, date(2019, 12, 18)),
        ("2020年4月18日下午", None, date(2020, 4, 18)),
        ("4月18日下午", None, None),  # no year to be had
        ("十二月一日", date(2020, 12, 5), date(2020, 12, 1)),
        ("2月30日", date(2020, 3, 1), None),
    ],
)
def test_dates(text, doc_date, expected):
    assert parse_date(normalise(text), doc_date) == expected


@pytest.mark.parametrize(
    "text, period",
    [
        ("1~3月,全区", "1-3月"),
        ("1—11月份", "1-11月"),
        ("1-3月", "1-3月"),
        ("2019年全区", "2019年"),
        ("近5年来", "近5年来"),
        ("全区", None),
    ],
)
def test_periods(text, period):
    assert parse_period(normalise(text))[0] == period


@pytest.mark.parametrize(
    "after_title, name",
    [
        ("狄志强强调", "狄志强"),
        ("沈东主持会议", "沈东"),
        ("汪泉带领全市", "汪泉"),
        ("汪泉督查", "汪泉"),
        ("陆秋明带队", "陆秋明"),
        ("朱志洪认为", "朱志洪"),
        ("严德群则认为", "严德群"),
        ("戴士福来我区", "戴士福"),
        ("沈东,", "沈东"),
        ("强调要", None),
        ("一行先后", None),
        ("都详细询问", None),
    ],
)
def test_name_after_title(after_title, name):
    assert name_after_title(after_title) == name


def people(text):
    return {p["name"]: p["titles"] for p in extract_document(text, source="t")["people"]}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("会上,区委副书记、代区长王建华作了说明。", {"王建华": ["区委副书记", "代区长"]}),
        ("市委书记张伟带领各部门负责人督查。", {"张伟": ["市委书记"]}),
        ("昨天上午,省人大常委会副主任李红在我市调研。", {"李红": ["省人大常委会副主任"]}),
        ("区领导赵明、钱军陪同。", {"赵明": [], "钱军": []}),
        ("孙立、周平、吴刚等区四套班子领导参加会议。", {"孙立": [], "周平": [], "吴刚": []}),
        ("张三 李四/文 王五/摄", {}),
    ],
)
def test_people_and_titles(text, expected):
    assert people(text) == expected


def test_project_with_investment_capacity_and_revenue():
    text = (
        "总投资80亿元的华瑞储能电池项目,建成达产后,可形成18GWh储能电池及20万套电池系统的年生产能力,"
        "预计可实现年销售收入超100亿元。"
    )
    [project] = extract_document(text, source="t")["projects"]
    assert project["name"] == "华瑞储能电池项目"
    assert project["investment"] == {"amount": 8_000_000_000, "currency": "CNY"}
    assert project["annual_revenue"] == {"amount": 10_000_000_000, "currency": "CNY"}
    assert [(c["quantity"], c["unit"], c["product"]) for c in project["capacities"]] == [
        (18, "GWh", "储能电池"),
        (200_000, "套", "电池系统"),
    ]


def test_total_investment_wins_over_phase():
    text = "明远光电显示面板项目,计划总投资100亿元,其中一期总投资46亿元已竣工投产。"
    [project] = extract_document(text, source="t")["projects"]
    assert project["investment"]["amount"] == 10_000_000_000


def test_company_is_taken_from_project_name():
    # the company is its own field, and the name stays as the text writes it (company in front)
    text = "实地督查了华兴新材料科技(江苏)有限公司电池隔膜一期项目等5个项目。"
    [project] = extract_document(text, source="t")["projects"]
    assert (project["name"], project["company"]) == (
        "华兴新材料科技(江苏)有限公司电池隔膜一期项目",
        "华兴新材料科技(江苏)有限公司",
    )


@pytest.mark.parametrize(
    "text",
    [
        "要加快推进重点项目建设。",
        "全区重大项目进展顺利。",
        "确保落地项目早开工。",
        "实施一批重点民生实事项目。",
        "政府性投资项目全面提升城市能级。",
    ],
)
def test_generic_project_phrases_are_not_projects(text):
    assert extract_document(text, source="t")["projects"] == []


def test_enumerated_projects_and_event_count():
    text = (
        "本报讯 12月18日,市委书记王强带领各部门负责人督查我区重点项目。王强一行先后实地督查了"
        "宏达动力电池、星河光伏组件和远景封装电路板3个省级重大项目。"
    )
    result = extract_document(text, source="t", doc_date=date(2020, 12, 19))
    assert [p["name"] for p in result["projects"]] == [
        "宏达动力电池项目",
        "星河光伏组件项目",
        "远景封装电路板项目",
    ]
    [event] = result["events"]
    assert (event["date"], event["leaders"], event["project_count"]) == ("2020-12-18", ["王强"], 3)


def test_indicators_with_period_and_growth():
    text = "1~3月,全区累计实现工业开票销售收入321.71亿元,同比增长6.89%,全区规模以上企业456家,复工率达100%。"
    found = {
        (i["name"], i["period"], i["value"], i["unit"], i["yoy_pct"])
        for i in extract_document(text, source="t")["indicators"]
    }
    assert found == {
        ("工业开票销售收入", "1-3月", 32_171_000_000, "元", 6.89),
        ("规模以上企业", "1-3月", 456, "家", None),
        ("复工率", "1-3月", 100, "%", None),
    }


def test_evidence_offsets_point_into_the_input():
    text = "标题\n\n本报讯 昨天上午,区委书记周海带队督查,实地督查了蓝天环保设备项目等4个项目。\n"
    result = extract_document(text, source="t")
    for fact in result["projects"] + result["people"] + result["events"]:
        for evidence in fact["evidence"]:
            assert text[evidence["start"] : evidence["end"]] == evidence["text"]


@pytest.mark.parametrize(
    "text, quantity, unit",
    [
        ("年产600万米PSP复合管", 6_000_000, "米"),  # a Chinese unit may be followed by Latin letters
        ("10MWh储能", 10, "MWh"),
        ("年产百吨", 100, "吨"),  # a bare 百 counts one hundred
        ("2万锭纺纱", 20_000, "锭"),
        ("3万kVA矿热炉", 30_000, "kVA"),
    ],
)
def test_quantities_of_the_shared_vocabulary(text, quantity, unit):
    q = parse_quantity(normalise(text))
    assert (q.quantity, q.unit) == (quantity, unit)
