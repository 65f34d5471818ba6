import datetime
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from ducha.indicators import services
from ducha.indicators.models import IndicatorValue
from ducha.indicators.services import Entry

TODAY = datetime.date(2020, 12, 15)


def test_unit_figures_are_stored_and_overwritten(units, sales, park_user):
    services.indicator_values_save(
        unit=units["park"], year=2020, month=3, entries=[Entry(sales, D(100))], user=park_user, today=TODAY
    )
    services.indicator_values_save(
        unit=units["park"], year=2020, month=3, entries=[Entry(sales, D(120))], user=park_user, today=TODAY
    )
    assert IndicatorValue.objects.get(unit=units["park"], year=2020, month=3).value == D(120)


def test_cumulative_figure_below_last_month_is_refused_without_correction(units, sales, park_user, put):
    put(sales, units["park"], 2020, 2, 100)
    with pytest.raises(ValidationError, match="below last month"):
        services.indicator_values_save(
            unit=units["park"], year=2020, month=3, entries=[Entry(sales, D(90))], user=park_user, today=TODAY
        )
    assert not IndicatorValue.objects.filter(month=3).exists()


def test_cumulative_drop_is_accepted_as_a_correction_with_a_reason(units, sales, park_user, put):
    put(sales, units["park"], 2020, 2, 100)
    with pytest.raises(ValidationError, match="needs a reason"):
        services.indicator_values_save(
            unit=units["park"],
            year=2020,
            month=3,
            entries=[Entry(sales, D(90), True, " ")],
            user=park_user,
            today=TODAY,
        )
    services.indicator_values_save(
        unit=units["park"],
        year=2020,
        month=3,
        entries=[Entry(sales, D(90), True, "统计口径调整")],
        user=park_user,
        today=TODAY,
    )
    stored = IndicatorValue.objects.get(month=3)
    assert stored.is_correction and stored.correction_reason == "统计口径调整"


def test_point_values_may_fall(units, firms, park_user, put):
    put(firms, units["park"], 2020, 2, 50)
    services.indicator_values_save(
        unit=units["park"], year=2020, month=3, entries=[Entry(firms, D(48))], user=park_user, today=TODAY
    )
    assert IndicatorValue.objects.get(month=3).value == D(48)


def test_a_future_month_is_refused(units, sales, park_user):
    with pytest.raises(ValidationError, match="future"):
        services.indicator_values_save(
            unit=units["park"], year=2021, month=1, entries=[Entry(sales, D(1))], user=park_user, today=TODAY
        )


def _workbook(
    rows, header=("Year", "Month", "Unit", "工业开票销售收入", "规上工业企业数", "Correction reason")
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_import_stores_a_whole_month_for_units_and_district(units, sales, firms, office):
    file = _workbook(
        [
            (2020, 3, "全区", "321.71亿", 456),
            (2020, 3, "金城镇", 1200000000, 40),
            (2020, 3, "金科园", "12.5亿", None),
        ]
    )
    result = services.indicator_import_xlsx(file=file, user=office, today=TODAY)
    assert result.ok, result.errors
    assert result.stored == 5
    assert IndicatorValue.objects.get(unit=None, indicator=sales).value == D("32171000000")
    assert IndicatorValue.objects.get(unit=units["park"], indicator=sales).value == D("1250000000")


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ((2020, 3, "不存在镇", 1, 1), "Row 3: unknown unit “不存在镇”"),
        ((2020, 3, "东城街道", "一百多", 1), "Row 3, column “工业开票销售收入”: “一百多” is not a number"),
        ((2020, 3, "金城镇", 5, 5), "Row 3: duplicate of row 2"),
        ((2021, 1, "东城街道", 5, 5), "Row 3: 2021-01 is in the future"),
        (("二〇二〇", 3, "东城街道", 5, 5), "Row 3: the year “二〇二〇” is not a year"),
    ],
)
def test_bad_import_is_refused_whole_with_row_messages(units, sales, firms, office, bad_row, message):
    file = _workbook([(2020, 3, "金城镇", 100, 10), bad_row])
    result = services.indicator_import_xlsx(file=file, user=office, today=TODAY)
    assert not result.ok
    assert any(message in error for error in result.errors), result.errors
    assert not IndicatorValue.objects.exists()


def test_import_refuses_a_cumulative_drop_unless_the_row_gives_a_correction_reason(units, sales, office, put):
    put(sales, units["town"], 2020, 2, 500)
    header = ("Year", "Month", "Unit", "工业开票销售收入", "Correction reason")
    result = services.indicator_import_xlsx(
        file=_workbook([(2020, 3, "金城镇", 400, "")], header), user=office, today=TODAY
    )
    assert not result.ok and "Row 2" in result.errors[0]
    result = services.indicator_import_xlsx(
        file=_workbook([(2020, 3, "金城镇", 400, "企业退税冲减")], header), user=office, today=TODAY
    )
    assert result.ok, result.errors
    assert IndicatorValue.objects.get(month=3).is_correction


def test_import_refuses_a_file_that_is_not_a_workbook(units, sales, office):
    result = services.indicator_import_xlsx(file=BytesIO(b"not a zip"), user=office, today=TODAY)
    assert result.errors and not IndicatorValue.objects.exists()


def test_template_lists_the_district_and_every_area_unit(units, sales, firms):
    sheet = load_workbook(BytesIO(services.indicator_template_xlsx(year=2020, month=3))).active
    names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["全区", "金城镇", "东城街道", "金坛区金科园", "金坛华罗庚科技产业园"]
    assert [c.value for c in sheet[1]][3:5] == ["工业开票销售收入", "规上工业企业数"]
