"""The demo city's two other districts, 武进区 and 溧阳市: a few towns, streets and a park named after the
district's real townships, two departments, and about 30–40 generated projects each with their 2020 plans,
stage dates and January–November reports, made by Jintan's generator (demo.py) with each district's own seed
and names. Idempotent like the rest of the demo: units by (region, name), projects by (unit, name)."""

from dataclasses import dataclass

from ducha.lib.periods import Period
from ducha.regions.demo import LIYANG, WUJIN, region
from ducha.units.models import PEER_GROUP_OF_KIND, Unit, UnitKind

from .demo import LAST_MONTH, YEAR, Style, generated_projects, progress_write
from .models import Industry
from .services import projects_refresh_lights


@dataclass(frozen=True)
class District:
    code: str
    order: int  # where its units sort in lists of the whole city, after Jintan's
    units: list[tuple[str, str, str]]  # name, short name, kind
    count: int
    style: Style


DISTRICTS = [
    District(
        code=WUJIN,
        order=100,
        units=[
            ("武进国家高新区", "武进高新区", UnitKind.PARK),
            ("湖塘镇", "", UnitKind.TOWN),
            ("遥观镇", "", UnitKind.TOWN),
            ("横林镇", "", UnitKind.TOWN),
            ("潞城街道", "", UnitKind.STREET),
            ("武进区发展和改革局", "武进区发改局", UnitKind.DEPARTMENT),
            ("武进区住房和城乡建设局", "武进区住建局", UnitKind.DEPARTMENT),
        ],
        count=36,
        style=Style(
            seed=320412,
            stems=[
                "武宏",
                "湖晟",
                "遥达",
                "横越",
                "潞远",
                "高科瑞",
                "太湖芯",
                "淹城",
                "嘉泽源",
                "前黄新",
                "礼达",
                "雪堰",
                "牛塘盛",
                "洛华",
                "丁堰",
                "戚能",
                "西湖晶",
                "湟里",
                "延陵",
                "武鑫",
                "阳湖",
                "滆湖",
            ],
            livelihood=[
                ("民生事业", "livelihood", "武进人民医院分院建设"),
                ("民生事业", "livelihood", "九年一贯制学校新建"),
                ("民生事业", "livelihood", "老旧小区改造"),
                ("民生事业", "livelihood", "社区养老服务中心"),
                ("基础设施", "government", "滆湖大道改造"),
                ("基础设施", "government", "雨污分流改造"),
                ("基础设施", "government", "太湖湾生态修复"),
            ],
            leaders=["周立新", "蒋文华", "钱卫东", "许国平"],
        ),
    ),
    District(
        code=LIYANG,
        order=200,
        units=[
            ("溧阳经济开发区", "溧阳开发区", UnitKind.PARK),
            ("溧城街道", "", UnitKind.STREET),
            ("昆仑街道", "", UnitKind.STREET),
            ("天目湖镇", "", UnitKind.TOWN),
            ("社渚镇", "", UnitKind.TOWN),
            ("溧阳市发展和改革局", "溧阳市发改局", UnitKind.DEPARTMENT),
            ("溧阳市住房和城乡建设局", "溧阳市住建局", UnitKind.DEPARTMENT),
        ],
        count=32,
        style=Style(
            seed=320481,
            stems=[
                "溧源",
                "天目",
                "燕山",
                "南山竹",
                "昆仑新",
                "社渚",
                "上兴",
                "竹箦",
                "戴埠",
                "别桥",
                "埭头",
                "上黄",
                "长荡新",
                "沙河",
                "平陵",
                "濑江",
                "永和",
                "中关源",
                "溧科",
                "古县",
                "南渡",
                "曹山",
            ],
            livelihood=[
                ("民生事业", "livelihood", "溧阳人民医院门诊楼改造"),
                ("民生事业", "livelihood", "实验小学新校区"),
                ("民生事业", "livelihood", "老旧小区改造"),
                ("民生事业", "livelihood", "颐养中心建设"),
                ("基础设施", "government", "溧高线改造"),
                ("基础设施", "government", "农村污水治理"),
                ("基础设施", "government", "天目湖水源地保护"),
            ],
            leaders=["史建明", "吴志刚", "潘红英", "陆永平"],
            company_city="溧阳",
        ),
    ),
]


def district_units(district: District) -> dict[str, Unit]:
    """The district's units by name, in their order (the generator draws from them in this order)."""
    where = region(district.code)
    units = {}
    for order, (name, short_name, kind) in enumerate(district.units, start=district.order + 1):
        units[name], _created = Unit.objects.update_or_create(
            region=where,
            name=name,
            defaults={
                "short_name": short_name,
                "kind": kind,
                "peer_group": PEER_GROUP_OF_KIND[UnitKind(kind)],
                "order": order,
            },
        )
    return units


def load(*, password: str, log) -> None:
    industries = {i.name: i for i in Industry.objects.all()}
    for district in DISTRICTS:
        units = district_units(district)
        departments = [u for u in units.values() if u.kind == UnitKind.DEPARTMENT]
        projects = generated_projects(district.count, units, industries, departments, district.style)
        progress_write(projects)
        log(f"{region(district.code).name}: {len(units)} units, {len(projects)} projects")
    changed = projects_refresh_lights(period=Period(YEAR, LAST_MONTH))
    log(f"city projects: {changed} lights changed")
