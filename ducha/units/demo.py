"""Jintan's towns, streets, parks and departments (from ducha/projects/data/jintan_seed.json), all of 金坛区."""

import json
from pathlib import Path

from ducha.regions.demo import JINTAN, region

from .models import PEER_GROUP_OF_KIND, Unit

SEED_FILE = Path(__file__).resolve().parent.parent / "projects" / "data" / "jintan_seed.json"


def seed_data() -> dict:
    return json.loads(SEED_FILE.read_text(encoding="utf-8"))


def jintan_units():
    """The demo's Jintan units: other districts of the demo city have units too."""
    return Unit.objects.filter(region__code=JINTAN)


def load(*, password: str, log) -> None:
    units = seed_data()["units"]
    jintan = region(JINTAN)
    for order, row in enumerate(units, start=1):
        Unit.objects.update_or_create(
            region=jintan,
            name=row["name"],
            defaults={
                "short_name": row.get("short_name", ""),
                "kind": row["kind"],
                "peer_group": PEER_GROUP_OF_KIND[row["kind"]],
                "order": order,
            },
        )
    log(f"units: {len(units)}")
