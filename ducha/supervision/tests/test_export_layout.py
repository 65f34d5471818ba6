"""The problems export reads and prints well: widths, a frozen and filtered header printed on every page,
landscape one page wide."""

import pytest
from django.urls import reverse

from ducha.lib.testing_xlsx import assert_printable_sheet

pytestmark = pytest.mark.django_db


def test_the_problems_export_has_widths_a_frozen_filtered_header_and_prints_landscape(
    make_problem, client_for, office
):
    make_problem(description="二期用地指标尚未落实")
    make_problem(description="施工许可办理滞后")
    response = client_for(office).get(reverse("supervision:problem_export"))
    ws = assert_printable_sheet(response.content, rows=2)
    assert ws.column_dimensions["D"].width >= 40  # the problem's description
