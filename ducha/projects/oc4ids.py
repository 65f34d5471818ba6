"""Projects as an Open Contracting for Infrastructure Data Standard (OC4IDS) project package.

Pure: takes projects already loaded (with unit, industry, responsible_department and stage dates).
"""

from ducha.lib.money import wan_to_yuan
from ducha.lib.quantities import Money

from .choices import Stage

# ducha's stage → OC4IDS projectStatus codelist.
STATUS = {
    Stage.PLANNING: "identification",
    Stage.SIGNED: "preparation",
    Stage.STARTED: "implementation",
    Stage.COMPLETED: "completion",
    Stage.PRODUCTION: "completion",
    Stage.FULL_PRODUCTION: "completion",
}


def _amount(wan, currency):
    return Money(wan_to_yuan(wan), currency).as_json() if wan is not None else None


def project_release(project, *, prefix: str) -> dict:
    dates = {sd.stage: sd for sd in project.stage_dates.all()}
    started, completed = dates.get(Stage.STARTED), dates.get(Stage.COMPLETED)
    parties = [{"id": f"unit-{project.unit_id}", "name": project.unit.name, "roles": ["publicAuthority"]}]
    if project.responsible_department:
        parties.append(
            {
                "id": f"unit-{project.responsible_department_id}",
                "name": project.responsible_department.name,
                "roles": ["administrativeEntity"],
            }
        )
    if project.company:
        parties.append({"id": f"company-{project.pk}", "name": project.company, "roles": ["projectSponsor"]})
    release = {
        "id": f"{prefix}-{project.pk}",
        "title": project.name,
        "description": project.description,
        "status": STATUS.get(project.stage, "implementation"),
        "type": "construction" if project.construction_type == "new" else "expansion",
        "sector": [project.industry.name] if project.industry else [],
        "budget": {"amount": _amount(project.total_investment, project.currency)},
        "parties": parties,
        "publicAuthority": {"id": parties[0]["id"], "name": parties[0]["name"]},
        "period": {
            "startDate": (started.actual_date or started.planned_date).isoformat()
            if started and (started.actual_date or started.planned_date)
            else None,
            "endDate": project.target_date.isoformat() if project.target_date else None,
        },
        "updated": project.updated_at.isoformat(),
    }
    if project.national_code:
        release["identifiers"] = [{"scheme": "CN-TZXM", "id": project.national_code}]
    if completed and completed.actual_date:
        release["completion"] = {"endDate": completed.actual_date.isoformat()}
    return release


def project_package(projects, *, prefix: str, uri: str, published: str) -> dict:
    return {
        "uri": uri,
        "publishedDate": published,
        "version": "0.9",
        "publisher": {"name": "ducha"},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "projects": [project_release(p, prefix=prefix) for p in projects],
    }
