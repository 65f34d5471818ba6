"""Generate a large ledger for the cockpit benchmark: 10,000 projects with 5 years of monthly reports.

Run in its own data directory, never the real one:
    DUCHA_DATA_DIR=/tmp/bench-data .venv/bin/python bench/generate_data.py [projects] [years]

Loads the units and industries of the demo first, then bulk-creates projects, annual plans, stage
dates and monthly progress reports (600,000 rows for 10,000 projects × 60 months). Running it again
replaces the generated projects (their names start with "BENCH-").
"""

import os
import random
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
if not os.environ.get("DUCHA_DATA_DIR") and not os.environ.get("DATABASE_URL"):
    sys.exit("Set DUCHA_DATA_DIR (e.g. /tmp/bench-data) so that the benchmark data stays apart.")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from ducha.projects.models import AnnualPlan, Industry, ProgressReport, Project, StageDate  # noqa: E402
from ducha.units.models import Unit  # noqa: E402

STAGES = ["planning", "signed", "started", "started", "started", "completed", "production"]
POSITIONS = ["upstream", "midstream", "downstream", ""]
BATCH = 5000


def generate(n_projects: int, n_years: int, last_year: int = 2020, seed: int = 7) -> None:
    rng = random.Random(seed)
    call_command("migrate", verbosity=0)
    if not Unit.objects.exists():
        from ducha.core.demo import load_demo

        load_demo(password="bench-password-1", log=lambda _m: None)
    units = list(Unit.objects.areas())
    departments = list(Unit.objects.departments())
    industries = list(Industry.objects.all())
    years = list(range(last_year - n_years + 1, last_year + 1))
    started = time.perf_counter()
    with transaction.atomic():
        old = Project.objects.filter(name__startswith="BENCH-")
        ProgressReport.objects.filter(project__in=old).delete()
        AnnualPlan.objects.filter(project__in=old).delete()
        StageDate.objects.filter(project__in=old).delete()
        old.delete()
        projects = Project.objects.bulk_create(
            [
                Project(
                    name=f"BENCH-{i:05d}",
                    unit=rng.choice(units),
                    responsible_department=rng.choice(departments) if departments else None,
                    industry=rng.choice(industries),
                    chain_position=rng.choice(POSITIONS),
                    chain_segment=f"环节{rng.randint(1, 12)}",
                    total_investment=Decimal(rng.randint(1000, 500000)),
                    stage=rng.choice(STAGES),
                    light=rng.choices(["green", "yellow", "red"], weights=[6, 2, 2])[0],
                )
                for i in range(n_projects)
            ],
            batch_size=BATCH,
        )
        plans, reports, dates = [], [], []
        for p in projects:
            if p.stage in ("signed", "started"):
                dates.append(
                    StageDate(
                        project=p,
                        stage="started",
                        planned_date=date(last_year, rng.randint(1, 12), 1),
                        actual_date=date(last_year, rng.randint(1, 12), 15) if p.stage == "started" else None,
                    )
                )
            for year in years:
                plan = Decimal(rng.randint(500, 50000))
                plans.append(AnnualPlan(project=p, year=year, planned_investment=plan))
                ytd = Decimal(0)
                for month in range(1, 13):
                    amount = (plan / 12 * Decimal(rng.uniform(0.5, 1.3))).quantize(Decimal("0.01"))
                    ytd += amount
                    reports.append(
                        ProgressReport(
                            project=p,
                            year=year,
                            month=month,
                            investment_month=amount,
                            investment_ytd=ytd,
                            stage=p.stage,
                            status="reviewed",
                        )
                    )
            if len(reports) >= 50 * BATCH:
                ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
                reports = []
        ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
        AnnualPlan.objects.bulk_create(plans, batch_size=BATCH)
        StageDate.objects.bulk_create(dates, batch_size=BATCH)
    print(
        f"generated {n_projects} projects × {len(years)} years ({n_projects * len(years) * 12} monthly reports) "
        f"in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    generate(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000, int(sys.argv[2]) if len(sys.argv) > 2 else 5)
