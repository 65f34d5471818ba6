"""The ledger's columns: one list for the import, the template and the export."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..choices import Category, ChainPosition, ConstructionType, Currency, Level, Stage
from ..forms import FORM_STAGES

# ---------------------------------------------------------------- columns


_PLAN_HEADER = re.compile(r"((?:19|20)\d{2})")


@dataclass(frozen=True)
class Column:
    key: str
    msgid: str  # the English header, translated in the template
    aliases: tuple[str, ...] = ()  # other headers offices use
    required: bool = False
    stage: str = ""  # for the stage-date columns: "%(stage)s planned" of this stage, as on the project form

    @property
    def label(self) -> str:
        """The header in the active language."""
        if self.stage:
            return _(self.msgid) % {"stage": Stage(self.stage).label}
        return _(self.msgid)


def _stage_columns() -> list[Column]:
    zh = {
        Stage.SIGNED: "签约",
        Stage.STARTED: "开工",
        Stage.COMPLETED: "竣工",
        Stage.PRODUCTION: "投产",
        Stage.FULL_PRODUCTION: "达产",
    }
    columns = []
    for stage in FORM_STAGES:
        for kind, msgid, zh_kind in (
            ("planned", gettext_noop("%(stage)s planned"), "计划"),
            ("actual", gettext_noop("%(stage)s actual"), "实际"),
        ):
            aliases = (f"{zh_kind}{zh[stage]}", f"{zh_kind}{zh[stage]}日期", f"{zh_kind}{zh[stage]}时间")
            columns.append(Column(f"{stage}_{kind}", msgid, aliases, stage=stage))
    return columns


# The export's importable columns first, in its order, then the ones only the template has.
COLUMNS = [
    Column("name", gettext_noop("Project name"), ("项目名称",), required=True),
    Column("company", gettext_noop("Investor company"), ("投资主体", "投资方", "建设主体")),
    Column("unit", gettext_noop("Unit"), ("板块", "所属板块", "属地板块"), required=True),
    Column("industry", gettext_noop("Industry"), ("所属行业", "行业")),
    Column("chain_position", gettext_noop("Chain position"), ("产业链环节",)),
    Column("level", gettext_noop("Level"), ("项目级别",)),
    Column("category", gettext_noop("Category"), ("项目类别",)),
    Column("construction_type", gettext_noop("New or continuing"), ("新建/续建", "新建续建", "建设性质")),
    Column("stage", gettext_noop("Stage"), ("阶段", "项目阶段")),
    Column(
        "total_investment",
        gettext_noop("Total investment (10k)"),
        ("总投资（万元）", "总投资"),
        required=True,
    ),
    Column("currency", gettext_noop("Currency"), ("币种",)),
    Column("responsible_leader", gettext_noop("Responsible leader"), ("责任领导", "挂钩领导")),
    Column("responsible_department", gettext_noop("Responsible department"), ("责任部门",)),
    Column("national_code", gettext_noop("National project code"), ("国家项目代码", "项目代码")),
    Column("in_statistics", gettext_noop("In the official statistics"), ("是否入统",)),
    Column("statistics_date", gettext_noop("Date entered the statistics"), ("入统日期", "入统时间")),
    Column("foreign_funded", gettext_noop("Foreign-funded"), ("外资项目", "是否外资")),
    Column("chain_segment", gettext_noop("Chain segment"), ("产业链细分领域",)),
    Column(
        "annual_revenue",
        gettext_noop("Annual revenue at full production (10k)"),
        ("达产后年营业收入（万元）",),
    ),
    Column("target_date", gettext_noop("Target production date"), ("目标投产日期",)),
    *_stage_columns(),
    # Where the project is: WGS-84 degrees, as the export writes them and GPS gives them.
    Column("address", gettext_noop("Project site"), ("地址", "项目地址", "建设地址")),
    Column("longitude", gettext_noop("Longitude (WGS-84)"), ("经度",)),
    Column("latitude", gettext_noop("Latitude (WGS-84)"), ("纬度",)),
    Column("capacities", gettext_noop("Capacities"), ("设计产能", "产能")),
    Column("description", gettext_noop("Description"), ("项目简介", "建设内容")),
]
PLAN_MSGID = gettext_noop("Planned investment %(year)s (10k)")
# What the ledger export writes of these columns, around the period's figures (see export.py).
EXPORTED_BEFORE_FIGURES = COLUMNS[:11]  # name … currency
COORDINATE_FIELDS = {"longitude", "latitude"}
EXPORTED_LOCATION = [column for column in COLUMNS if column.key in {"address", *COORDINATE_FIELDS}]
# responsible leader … date entered the statistics, then the site and its point
EXPORTED_AFTER_FIGURES = [*COLUMNS[11:16], *EXPORTED_LOCATION]
EXPORTED_STAGE_DATES = [column for column in COLUMNS if column.stage]  # planned and actual, 签约 … 达产
TEXT_FIELDS = {
    "name",
    "company",
    "responsible_leader",
    "chain_segment",
    "national_code",
    "description",
    "address",
}
CHOICES = {
    "level": Level,
    "category": Category,
    "construction_type": ConstructionType,
    "stage": Stage,
    "chain_position": ChainPosition,
    "currency": Currency,
}
BLANK_CHOICES = {"chain_position"}
DATE_FIELDS = {"statistics_date", "target_date"}
BOOL_FIELDS = {"in_statistics", "foreign_funded"}


def norm_header(text: str) -> str:
    text = str(text).replace("（", "(").replace("）", ")").replace("：", ":")
    return re.sub(r"\s+", "", text).lower()


def _in_languages(column: Column) -> set[str]:
    names = {column.label}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            names.add(column.label)
    return names


def _header_map() -> dict[str, Column]:
    found: dict[str, Column] = {}
    for column in COLUMNS:
        for name in (*_in_languages(column), *column.aliases):
            found[norm_header(name)] = column
    return found


def _plan_year(header: str) -> int | None:
    """ "2020年计划投资（万元）", "Planned investment 2020 (10k)" → 2020."""
    normal = norm_header(header)
    if "计划投资" not in normal and "plannedinvestment" not in normal:
        return None
    match = _PLAN_HEADER.search(normal)
    return int(match.group(1)) if match else None


def _choice_map(choices) -> dict[str, str]:
    mapping = {}
    for value, label in choices.choices:
        mapping[norm_header(value)] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                mapping[norm_header(str(label))] = value
    if choices is Currency:
        mapping.update({"元": "CNY", "rmb": "CNY", "人民币元": "CNY"})
    return mapping
