"""The demo's divisions: 常州市 with its districts and townships, from the shipped national list.

Loaded first: the units, users, rounds, schemes and bulletins of the demo point at these regions."""

from .models import Region
from .services import regions_load

CITY = "320400"  # 常州市
JINTAN = "320413"  # 金坛区: the seeds' district, today's data
WUJIN = "320412"  # 武进区: generated
LIYANG = "320481"  # 溧阳市: generated


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def load(*, password: str, log) -> None:
    regions_load(CITY)
    log(f"regions: {Region.objects.within(region(CITY)).count()} divisions of 常州市")
