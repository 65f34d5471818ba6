from pathlib import Path

import pytest

from ducha.extraction.choices import FactKind
from ducha.extraction.models import ExtractedFact, ImportedDocument
from ducha.projects.models import Project

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seeds" / "001_bfb9d8fe29a16132.txt"
PROJECTS = ["蜂巢能源动力电池项目", "北电爱思特三元材料动力电池项目"]


@pytest.mark.browser
@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seeds is not present")
def test_office_pastes_a_seed_page_accepts_two_projects_and_finds_them_with_their_evidence(
    browser_page, sign_in_browser, office, units
):
    page = browser_page
    sign_in_browser(page, "office")
    page.goto(page.base_url + "/imports/new/")
    page.fill("#id_text", SEED.read_text(encoding="utf-8"))
    page.fill("#id_title", "金坛时报 2019-12-19 头版")
    page.click("form#import-form button[type=submit]")
    page.wait_for_selector(".fact-project")
    document = ImportedDocument.objects.get()
    assert page.locator(".fact-project mark").count() > 0

    for name in PROJECTS:
        fact = next(f for f in document.facts.filter(kind=FactKind.PROJECT) if f.payload["name"] == name)
        card = page.locator(f"#fact-{fact.pk}")
        card.locator("select[name=unit]").select_option(label="金科园")
        card.locator("button[value=create]").click()
        page.wait_for_selector(f"#fact-{fact.pk}[data-status=accepted]")

    for name in PROJECTS:
        project = Project.objects.get(name=name)
        assert project.unit == units["park"]
        page.goto(page.base_url + f"/projects/?q={name}")
        page.locator(f"a[href='{project.get_absolute_url()}']").first.click()
        page.wait_for_selector("#project-evidence")
        evidence = page.locator("#project-evidence").inner_text()
        fact = ExtractedFact.objects.get(project=project)
        assert document.title in evidence
        assert fact.evidence_text in evidence
        assert page.locator("#project-evidence mark", has_text=name).count() >= 1
    page.screenshot(path="/tmp/extract2-project-evidence.png", full_page=True)
