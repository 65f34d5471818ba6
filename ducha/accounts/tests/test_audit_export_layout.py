"""The audit trail's export reads and prints like the other exports (ducha.lib.xlsx)."""

from django.urls import reverse

from ducha.lib.testing_xlsx import assert_printable_sheet


def test_the_audit_export_has_widths_a_frozen_filtered_header_and_prints_landscape(
    client, client_for, auditor, leader
):
    client.post(reverse("login"), {"username": "leader", "password": "wrong"})  # one entry at least
    response = client_for(auditor).get(reverse("accounts:audit_export"))
    assert response.status_code == 200 and response.audit_rows >= 1
    assert_printable_sheet(response.content, rows=response.audit_rows)
