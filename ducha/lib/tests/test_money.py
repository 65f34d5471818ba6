from decimal import Decimal

import pytest

from ducha.lib.money import format_wan, parse_money_wan


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (800000, "CNY", "80亿元"),
        (72000, "USD", "7.2亿美元"),
        (2500, "CNY", "2,500万元"),
        (0, "CNY", "0元"),
        (None, "CNY", "—"),
        (Decimal("31.5"), "CNY", "31.5万元"),
    ],
)
def test_format_wan(amount, currency, text):
    assert format_wan(amount, currency) == text


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("80亿元", Decimal(800000), "CNY"),
        ("7.2亿美元", Decimal(72000), "USD"),
        ("2500万", Decimal(2500), None),
        ("1,200", Decimal(1200), None),
        ("50000元", Decimal(5), "CNY"),
    ],
)
def test_parse_money_wan(text, amount, currency):
    assert parse_money_wan(text) == (amount, currency)


@pytest.mark.parametrize("text", ["", "abc", "-5亿元", "1.2.3亿"])
def test_parse_money_rejects_garbage(text):
    with pytest.raises(ValueError):
        parse_money_wan(text)


def test_to_cny_converts_only_other_currencies():
    from ducha.lib.money import to_cny

    rates = {"USD": Decimal(7)}
    assert to_cny(Decimal(100), "CNY", rates) == 100
    assert to_cny(Decimal(100), "USD", rates) == 700
    assert to_cny(None, "USD", rates) == 0
    with pytest.raises(ValueError):
        to_cny(Decimal(1), "GBP", rates)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("蜂巢能源", "蜂巢能源"),
        (5, 5),
        (None, None),
    ],
)
def test_safe_cell_keeps_user_text_from_becoming_a_formula(value, expected):
    from ducha.lib.xlsx import safe_cell

    assert safe_cell(value) == expected


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1" * 29, Decimal("1" * 29)),
        ("1" * 29 + "亿", Decimal("1" * 29 + "0" * 8)),
        ("12345678901234567890123456789.5", Decimal("12345678901234567890123456789.5")),
        ("3" * 40 + "万亿", Decimal("3" * 40 + "0" * 12)),
        ("1.5亿", Decimal(150000000)),
    ],
)
def test_numbers_longer_than_the_decimal_context_read_exactly(text, number):
    """Decimal's default context keeps 28 digits: a longer number once raised InvalidOperation (not a ValueError,
    so nothing caught it and a report with such a figure could not be read)."""
    from ducha.lib.quantities import parse_number

    found = parse_number(text)
    assert found == number and str(found) == str(number)
