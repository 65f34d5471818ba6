import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.extraction import services
from ducha.extraction.choices import FactKind, FactStatus
from ducha.extraction.models import ImportedDocument
from ducha.projects.models import Project

from .conftest import REPORT, fact_of

pytestmark = pytest.mark.django_db
NEW = reverse("extraction:new")
LIST = reverse("extraction:list")


def _docx(lines: list[str]) -> bytes:
    from docx import Document

    document = Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("persona", ["leader", "park_user", "department_user", "auditor"])
def test_only_the_office_opens_the_import_pages(client_for, document, persona, request):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.get(document.get_absolute_url()).status_code == 403


def test_signed_out_visitors_cannot_import(client):
    assert client.get(NEW).status_code in (302, 403)
    assert client.post(NEW, {"text": REPORT}).status_code in (302, 403)
    assert not ImportedDocument.objects.exists()


def test_office_pastes_a_report_and_lands_on_its_review_page(client_for, office):
    response = client_for(office).post(NEW, {"text": REPORT, "title": ""}, follow=True)
    document = ImportedDocument.objects.get()
    assert response.redirect_chain[-1][0] == document.get_absolute_url()
    assert document.title == "金坛时报 2020年4月20日"
    page = response.content.decode()
    assert "<mark>蜂巢能源动力电池项目</mark>" in page
    assert "5" in page and document.facts.count() == 5


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-8-sig"])
def test_office_uploads_a_text_file_in_utf8_or_gb18030(client_for, office, encoding):
    upload = SimpleUploadedFile("快报.txt", REPORT.encode(encoding), content_type="text/plain")
    client_for(office).post(NEW, {"file": upload})
    document = ImportedDocument.objects.get()
    assert document.source_name == "快报.txt"
    assert document.facts.filter(kind=FactKind.PROJECT).count() == 2


def test_office_uploads_a_word_document(client_for, office):
    upload = SimpleUploadedFile("快报.docx", _docx(REPORT.splitlines()))
    client_for(office).post(NEW, {"file": upload, "title": "四月快报"})
    document = ImportedDocument.objects.get()
    assert document.title == "四月快报"
    assert "蜂巢能源动力电池项目" in document.text
    assert document.facts.filter(kind=FactKind.PROJECT).count() == 2


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("ls.txt", b"\x7fELF\x00\x00\x01binary", "cannot be read"),
        ("fake.docx", b"not a zip at all", "not a readable Word"),
        ("table.xlsx", b"PK\x03\x04", "Only .txt and .docx"),
        ("empty.txt", b"   \n", "holds no text"),
    ],
)
def test_unreadable_files_are_refused_with_a_message_naming_them(client_for, office, name, data, message):
    response = client_for(office).post(NEW, {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportedDocument.objects.exists()


def test_an_empty_form_asks_for_a_text_or_a_file(client_for, office):
    response = client_for(office).post(NEW, {"text": "  "})
    assert "Paste the text of a report or choose a file." in response.content.decode()


def test_a_paste_over_the_limit_is_refused_with_its_size(client_for, office, settings):
    settings.DUCHA_MAX_UPLOAD_BYTES = 100_000
    response = client_for(office).post(NEW, {"text": "项目" * 20_000})  # 120,000 bytes
    assert response.status_code == 200
    assert "at most 0.1 MB" in response.content.decode()
    assert not ImportedDocument.objects.exists()


def test_a_file_over_the_limit_is_refused(client_for, office, settings):
    settings.DUCHA_MAX_UPLOAD_BYTES = 1000
    response = client_for(office).post(NEW, {"file": SimpleUploadedFile("big.txt", b"a" * 2000)})
    assert "big.txt is 0.0 MB; at most 0.0 MB" in response.content.decode()
    assert not ImportedDocument.objects.exists()


def test_a_ten_megabyte_paste_is_handled(client_for, office, settings):
    """The largest paste allowed goes through as one multipart request and is extracted."""
    # each copy gives its own sales figure: a figure repeated word for word is one indicator
    copies = settings.DUCHA_MAX_UPLOAD_BYTES // (len(REPORT.encode()) + 8)
    text = "".join(REPORT.replace("321.71", f"{i}.71") for i in range(copies))
    assert len(text.encode()) > 0.9 * settings.DUCHA_MAX_UPLOAD_BYTES
    response = client_for(office).post(NEW, {"text": text}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "only the first 2000 are kept for review" in page, page[
        page.find("alert") : page.find("alert") + 500
    ]
    document = ImportedDocument.objects.get()
    assert document.facts.filter(kind=FactKind.PROJECT).count() == 2  # repeated mentions merge


def test_documents_are_searchable_by_title_and_text(client_for, office):
    services.document_import(text=REPORT, user=office, title="四月督查快报")
    services.document_import(text="全区召开安全生产会议。", user=office, title="安全生产")
    client = client_for(office)
    assert "四月督查快报" in client.get(LIST, {"q": "蜂巢"}).content.decode()
    assert "四月督查快报" not in client.get(LIST, {"q": "安全生产"}).content.decode()
    assert "No report matches the search." in client.get(LIST, {"q": "不存在的词"}).content.decode()


def test_document_list_runs_the_same_queries_for_one_and_many_documents(client_for, office):
    client = client_for(office)
    services.document_import(text=REPORT, user=office)
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for i in range(6):
        services.document_import(text=REPORT, user=office, title=f"快报{i}")
    with CaptureQueriesContext(connection) as many:
        assert "快报5" in client.get(LIST).content.decode()
    assert len(many) == len(one)


def test_review_page_runs_the_same_queries_for_one_and_many_facts(client_for, office, sales):
    client = client_for(office)
    small = services.document_import(text="总投资80亿元的蜂巢能源动力电池项目进展顺利。", user=office)
    assert small.facts.count() == 1
    big = services.document_import(text=REPORT, user=office)
    Project.objects.create(name="蜂巢能源动力电池", unit=office_unit(), total_investment=1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(small.get_absolute_url()).status_code == 200
    with CaptureQueriesContext(connection) as many:
        page = client.get(big.get_absolute_url()).content.decode()
    assert "Link to 蜂巢能源动力电池" in page
    assert "Accepting stores it as the district" in page
    assert len(many) == len(one)


def office_unit():
    from ducha.units.models import Unit

    return Unit.objects.areas().first()


def test_accepting_a_project_creates_it_in_the_chosen_unit_and_remembers_the_unit(
    client_for, office, units, document
):
    client = client_for(office)
    fact = fact_of(document, FactKind.PROJECT, "蜂巢能源动力电池项目")
    url = reverse("extraction:fact_review", args=[document.pk, fact.pk])
    response = client.post(
        url,
        {
            "action": "create",
            "unit": units["park"].pk,
            "name": "蜂巢能源动力电池项目",
            "company": "",
            "total_investment": "800000",
            "currency": "CNY",
            "annual_revenue": "1000000",
            "revenue_currency": "CNY",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    project = Project.objects.get(name="蜂巢能源动力电池项目")
    assert project.unit == units["park"]
    assert f'href="{project.get_absolute_url()}"' in response.content.decode()
    page = client.get(document.get_absolute_url()).content.decode()
    assert f'<option value="{units["park"].pk}" selected>' in page


def test_creating_without_a_unit_explains_and_changes_nothing(client_for, office, document):
    fact = fact_of(document, FactKind.PROJECT, "蜂巢能源动力电池项目")
    url = reverse("extraction:fact_review", args=[document.pk, fact.pk])
    response = client_for(office).post(
        url, {"action": "create", "name": "X项目", "currency": "CNY", "revenue_currency": "CNY"}, follow=True
    )
    assert "Choose the unit the new project belongs to." in response.content.decode()
    fact.refresh_from_db()
    assert fact.status == FactStatus.PENDING and not Project.objects.exists()


def test_linking_and_rejecting_through_the_page(client_for, office, units, document):
    project = Project.objects.create(
        name="北电爱思特三元材料动力电池", unit=units["town"], total_investment=1
    )
    client = client_for(office)
    fact = fact_of(document, FactKind.PROJECT, "北电爱思特三元材料动力电池项目")
    url = reverse("extraction:fact_review", args=[document.pk, fact.pk])
    client.post(url, {"action": f"link-{project.pk}"})
    fact.refresh_from_db()
    assert fact.project == project
    person = fact_of(document, FactKind.PERSON)
    client.post(reverse("extraction:fact_review", args=[document.pk, person.pk]), {"action": "reject"})
    person.refresh_from_db()
    assert person.status == FactStatus.REJECTED


def test_a_fact_of_another_document_is_not_found(client_for, office, document):
    other = services.document_import(text=REPORT, user=office)
    fact = fact_of(other, FactKind.PERSON)
    url = reverse("extraction:fact_review", args=[document.pk, fact.pk])
    assert client_for(office).post(url, {"action": "reject"}).status_code == 404


def test_project_page_shows_the_source_sentence_with_a_link_to_the_document(
    client_for, office, park_user, units, document
):
    fact = fact_of(document, FactKind.PROJECT, "蜂巢能源动力电池项目")
    from decimal import Decimal

    project = services.project_fact_create(
        fact=fact,
        user=office,
        unit=units["park"],
        name="蜂巢能源动力电池项目",
        total_investment=Decimal("800000"),
    )
    page = client_for(office).get(project.get_absolute_url()).content.decode()
    assert "督查快报" in page and "<mark>蜂巢能源动力电池项目</mark>" in page
    assert document.get_absolute_url() in page
    unit_page = client_for(park_user).get(project.get_absolute_url()).content.decode()
    assert "<mark>蜂巢能源动力电池项目</mark>" in unit_page
    assert document.get_absolute_url() not in unit_page  # the import pages are the office's


def test_project_page_query_count_does_not_grow_with_evidence(client_for, office, units, document):
    from decimal import Decimal

    client = client_for(office)
    bare = Project.objects.create(name="无来源项目", unit=units["park"], total_investment=1)
    fact = fact_of(document, FactKind.PROJECT, "蜂巢能源动力电池项目")
    project = services.project_fact_create(
        fact=fact,
        user=office,
        unit=units["park"],
        name="蜂巢能源动力电池项目",
        total_investment=Decimal("800000"),
    )
    for _i in range(3):
        again = services.document_import(text=REPORT, user=office)
        services.project_fact_link(
            fact=fact_of(again, FactKind.PROJECT, "蜂巢能源动力电池项目"), project=project, user=office
        )
    with CaptureQueriesContext(connection) as none:
        assert client.get(bare.get_absolute_url()).status_code == 200
    with CaptureQueriesContext(connection) as several:
        assert (
            client.get(project.get_absolute_url()).content.decode().count("<mark>蜂巢能源动力电池项目</mark>")
            == 4
        )
    assert (
        len(several) - len(none) <= 1
    )  # the history table may hold one more row kind; evidence is one query


def test_the_review_page_speaks_chinese_by_default(client_for, office, document, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    page = (
        client_for(office).get(document.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    )
    assert "新建项目" in page and "驳回" in page and "待审核" in page
