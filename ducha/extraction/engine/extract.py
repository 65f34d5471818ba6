"""Rules that turn a report into projects, indicators, people and events (SCHEMA.md).

Each rule is a small function over the working text (see text.layout); facts keep the
offsets of the sentence they came from as "evidence".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import chain

from rapidfuzz.fuzz import ratio

from . import gazetteer as gz
from .dates import DATE, EVENT_YEAR, day_of_month, document_date, parse_period, resolve_date
from .numbers import CAPACITY, MONEY, money_from_match, parse_money, parse_number, plain, quantity_from_match
from .text import Layout, layout, normalise

HAN = r"\u4e00-\u9fff"
_DIGIT = re.compile(r"\d")
# (6,010元 is one number; 75%124个: a comma left out)
# (opens on one class of characters, which the regex engine scans for fast; a break after % takes
# the % and still ends where the digit starts)
CLAUSE_BREAK = re.compile(r"[，;；:：。！？!?\n,%](?:(?<=[^,%])|(?<=,)(?!(?<=\d,)\d{3}(?!\d))|(?<=%)(?=\d))")

# Patterns used inside the rules, compiled once.
_COUNTED = re.compile(r"\d+个")
_COUNTED_BEFORE = re.compile(r"(?:\d+|[一二三四五六七八九十两]+)[个项批家]$|一批$|多个$")
_AND_SPLIT = re.compile(r"以及|和")
_RUNS_ON = re.compile(r"也|已|均|正|将")
_PRODUCTION_VERB = re.compile(r"(?:年产|出栏|年加工|年处理|产能)$")
# 3万吨铝板带加工生产线 → 铝板带: the work done on the product (加工, 回收) is not the product;
# 5万吨铝锭和3万吨铝板带 → 铝锭: the next capacity starts after 和
_NAME_PRODUCT = re.compile(
    rf"[{HAN}A-Za-z]{{2,12}}?(?=(?:加工|回收)?(?:生产线|建设|项目|技改|扩建|改造|$)|(?:和|及|以及|、)\d)"
)
_PRODUCT_OF = re.compile(rf"的([{HAN}A-Za-z]{{2,20}}?)(?:项目)?(?=[,，。;；、]|$)")
_PRODUCT_AFTER = re.compile(rf"[{HAN}A-Za-z]+?(?=的|[,，。;；、]|$|[及和]\d|以及\d)")
_SPACES = re.compile(r"\s+")
_YEAR_LEAD = re.compile(r"^[^\d]*\d{4}年(?:度|底|末)?")  # (截至2016年底累计完成投资)
_HAN_CHAR = re.compile(f"[{HAN}]")
_HAN_WORD = re.compile(rf"[{HAN}]{{2,12}}")
_AREA_SENTENCE = re.compile(r"(?:全区|全市|我区|我市|今年|近年来|此外)")
_QUALIFIER_GAP = re.compile(r"(?:[,，](?:建设|新建|打造))?[^,，。;；元]*?的[^,，。;；元]*")
_PERCENTS = re.compile(r"\d+(?:\.\d+)?(?=%)")
_JOINED = re.compile(r"和|及|以及|、")

# ---- people ------------------------------------------------------------------------------

_CORE = "|".join(gz.CORE_TITLES)
# 常委 inside 常委会 is part of an organisation, not an office.
# (副县长候选人: the office a candidate stands for, named with it)
_TITLE = rf"(?:[{HAN}]{{0,10}}?(?:{gz.ORG_SUFFIX}))?(?:{_CORE})(?!会)(?:候选人)?"
# One or more offices joined by 、 and then the four characters where the name starts.
# Searching for the (short) core office first and reading the title chain backwards from it
# is much faster than trying the title pattern at every character.
_CORE_AT = re.compile(rf"(?:{_CORE})(?!会)(?:候选人)?(?= ?[{HAN}]{{2}}| [{HAN}] [{HAN}])")
_TITLES_BEFORE = re.compile(rf"{_TITLE}(?:、{_TITLE})*$")
_TITLE_WINDOW = 40
_ITEM_ENDS = frozenset("、,，。;；")
_CLAUSE_MARKS = ",，。;；:：!！?？\n“”"
# Everything up to the last clause mark: one greedy match instead of a search for each mark.
_UP_TO_CLAUSE_MARK = re.compile("(?s).*[" + re.escape(_CLAUSE_MARKS) + "]")
# Words a title phrase picks up on its left that belong to the sentence, not the office.
_TITLE_LEAD = re.compile(r"^(?:会上|会议|和|同|及|并|该|其)+")
# Words of the sentence a title phrase may have swallowed: '拜访了X公司董事长' → 'X公司董事长'.
_TITLE_CUT = re.compile(r"了|与|由|向|对|在|据|是|为|请|陪同|会见|听取|看望|拜访|来到|会上")
# A list of names closed by 等…领导 or 等参加/陪同: 王某、陈某、刘某等区四套班子领导.
NAME_LIST = re.compile(
    rf"(?P<list>[{HAN}]{{2,3}}(?:、[{HAN}]{{2,3}})+)等(?:[{HAN}]{{0,8}}领导|参加|陪同|出席)"
)
_NAME_LIST_END = re.compile(rf"等(?:[{HAN}]{{0,8}}领导|参加|陪同|出席)")
# Characters that can never follow a name as part of it: a strong particle.
_PARTICLE = set("在等和与及的就对向是要为说也则都还将把被给并")
# Verbs that follow a name in reports and hardly ever end a given name: 陈平率队, 陈清作报告.
_VERB_AFTER_NAME = set("率作赴陪")
# Words that follow a two-character name and never end a three-character one: 袁力参加拉练.
_WORD_AFTER_NAME = {
    "参加",
    "出席",
    "主持",
    "陪同",
    "带队",
    "率队",
    "一行",
    "宣布",
    "致辞",
    "讲话",
    "指出",
    "强调",
}


_SYSTEM_WORDS = {"责任", "制度", "机制", "体系"}
_RARE_WORD = 100  # jieba's frequency under which a word may still open a name (游方 28, 强调 6318)
_VISIT_WORDS = {"视察", "调研", "考察", "检查", "指导", "督查", "观摩"}
_LEADING_HAN = re.compile(f"[{HAN}]*")
_ALL_HAN = re.compile(f"[{HAN}]+")


def has_surname(name: str) -> bool:
    return name[:1] in gz.SURNAMES or name[:2] in gz.COMPOUND_SURNAMES


def name_after_title(chars: str) -> str | None:
    """The 2- or 3-character name at the start of `chars` (the text right after a title).

    "狄志强强调" → 狄志强 (强调 is a word), "沈东主持会议" → 沈东 (主持 is a word)."""
    leading = _LEADING_HAN.match(chars)
    chars = leading.group() if leading else ""
    if chars[:2] in gz.COMPOUND_SURNAMES:  # 副市长欧阳梅的…: a two-character surname and its given name
        for end in (3, 4):
            if len(chars) == end or chars[end] in _PARTICLE or chars[end : end + 2] in _WORD_AFTER_NAME:
                return chars[:end]
        return None
    if (
        len(chars) == 3
        and has_surname(chars)
        and chars[0] not in _PARTICLE
        and chars[1] != "我"
        and gz.word_frequencies().get(chars[:2], 0) < _RARE_WORD
        and not gz.is_word(chars)
        and not gz.is_word(chars[1:])
    ):
        return chars  # 统战部部长游方全,: three characters between an office and a mark (游方, a rare word)
    if chars[0] in _PARTICLE and chars[3:5] == "的陪" and has_surname(chars) and not gz.is_word(chars[:3]):
        # 秘书长向忠雄的陪同下: a name that opens on a particle's character, in the 陪同 phrase
        return chars[:3]
    if len(chars) < 2 or not has_surname(chars) or chars[0] in _PARTICLE or gz.is_common_word(chars[:2]):
        return None
    if chars[1] == "我" or (chars[0] in "来到赴" and chars[2:4] in _VISIT_WORDS):
        return None  # 市领导来我县, 总书记来川视察: a verb of travel and a place, not a name
    if chars[2:4] in _SYSTEM_WORDS:
        return None  # 领导包保责任制: a word before 责任制, not a name
    if (
        len(chars) == 2
        or chars[2] in _PARTICLE
        or chars[2] in _VERB_AFTER_NAME
        or chars[2:4] in _WORD_AFTER_NAME
    ):
        return chars[:2]
    if len(chars) == 3 or chars[3] in _PARTICLE:
        return chars[:3]
    word_after_three = len(chars) >= 5 and gz.is_word(chars[3:5])  # 狄志强|强调
    word_after_two = gz.is_word(chars[2:4])  # 沈东|主持
    if word_after_three or word_after_two:
        return chars[:3] if word_after_three else chars[:2]
    if chars[3] in gz.AFTER_NAME:
        return chars[:3]
    return chars[:2] if chars[2] in gz.AFTER_NAME else chars[:3]


_SPACED_NAME = re.compile(rf"([{HAN}])[ \t]([{HAN}])(?:[ \t]([{HAN}]))?[ \t]*(?=\n|$)")
_LISTED_NAME = re.compile(
    rf"[{HAN}]{{2,3}}(?= ?(?:、|等|[,，。]|参加|出席|陪同))"
)  # (…、石海波参加: the list's last)
# 县领导朱韶伟、 徐军、 张晨 、杨剑舒: the mark between the names of a list, spaces around it kept
_NEXT_IN_LIST = re.compile(r" ?、 ?")


def listed_name(text: str, at: int) -> str | None:
    """甘国栋 in 市领导郑军、甘国栋、张卫等: an item of a list of names, its length fixed by the 、
    around it (甘国 alone reads as a word; so does 黄河, a name when a 、 follows it too)."""
    m = _LISTED_NAME.match(text, at)
    if m is None:
        return None
    name = m.group()
    if has_surname(name) and name[0] not in _PARTICLE:
        if not gz.is_word(name) or _NEXT_IN_LIST.match(text, m.end()):
            return name
    return None


def clean_title(title: str) -> str:
    return _TITLE_LEAD.sub("", _TITLE_CUT.split(title)[-1])


def is_group_label(title: str) -> bool:
    """区领导, 常州市领导: a group of officials, not an office."""
    return title.endswith("领导")


@dataclass
class Person:
    name: str
    titles: list[str] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)

    def add_title(self, title: str) -> None:
        if not title or is_group_label(title):
            return
        for i, known in enumerate(self.titles):
            if title in known:
                return
            if known in title:  # keep the fuller form: 常州市委书记 over 市委书记
                self.titles[i] = title
                return
        self.titles.append(title)


def find_people(doc: Layout) -> dict[str, Person]:
    """Officials named next to an office, plus names listed as 区领导 or 等…领导."""
    text = doc.text
    people: dict[str, Person] = {}

    def add(name: str, titles: list[str], start: int, end: int) -> None:
        person = people.setdefault(name, Person(name))
        for title in titles:
            person.add_title(title)
        if len(person.evidence) < 3:
            person.evidence.append(doc.evidence(start, end))

    for core in _CORE_AT.finditer(text):
        at = core.end() + (text[core.end()] == " ")  # 县长 周天斌 (a signature line)
        name = name_after_title(text[at : at + 5])
        if not name and core.group().endswith("领导") and (first := listed_name(text, at)):
            # 市领导高尚、葛锐: the first of a list of names, a word (高尚) as well as a name
            name = first if _NEXT_IN_LIST.match(text, at + len(first)) else None
        spaced = _SPACED_NAME.match(text, at) if not name else None
        if spaced and has_surname(spaced.group(1)):
            name = "".join(g for g in spaced.groups() if g)  # 市长 李 刚: a speaker's line, name spaced out
        if not name:
            continue
        # a title chain never crosses a clause break: start the (costly) search after the last one
        lo = max(core.end() - _TITLE_WINDOW, 0)
        last_break = _UP_TO_CLAUSE_MARK.match(text, lo, core.start())
        lo = last_break.end() if last_break else lo
        m = _TITLES_BEFORE.search(text, lo, core.end())
        if not m:
            continue
        titles = [clean_title(t) for t in m.group().split("、")]
        add(name, titles, m.start(), at + len(name))
        # 区领导石江水、王新辉陪同 / 市委常委陈东灵、沈学强: the office covers every name of the list
        listed = [] if is_group_label(titles[-1]) else titles
        pos = at + len(name)
        while (gap := _NEXT_IN_LIST.match(text, pos)) is not None:
            pos = gap.end()
            office = _CORE_AT.search(text, pos, pos + 12)
            if office and _ITEM_ENDS.isdisjoint(text[pos : office.start()]):
                break  # 区长X、区人大常委会主任Y: the next item is an office of its own
            nxt = name_after_title(text[pos : pos + 5]) or listed_name(text, pos)
            if not nxt:
                break
            add(nxt, listed, pos, pos + len(nxt))
            pos += len(nxt)
    for close in _NAME_LIST_END.finditer(text):  # find the rare 等…领导 first, then read back
        m = NAME_LIST.search(text, max(close.start() - 60, 0), close.end())
        if not m:
            continue
        names = m.group("list").split("、")
        if all(has_surname(n) and not gz.is_word(n) for n in names):
            for n in names:
                add(n, [], m.start(), m.end())
    for m in _SPACED_SIGNATURE.finditer(text):  # 区 长 魏振东: a signature line with its office spaced out
        title = _SPACES.sub("", m.group("title"))
        name = m.group("name")
        if _TITLES_BEFORE.fullmatch(title) and has_surname(name) and not gz.is_common_word(name[:2]):
            add(name, [title], m.start(), m.end())
    # company managers and heads of associations are not officials (SCHEMA.md: people)
    return {
        n: p for n, p in people.items() if not p.titles or not all(_COMPANY_TITLE.search(t) for t in p.titles)
    }


_SPACED_SIGNATURE = re.compile(
    rf"(?m)^[ \t]*(?P<title>[{HAN}](?:[ \t]+[{HAN}]){{1,4}})[ \t]+(?P<name>[{HAN}]{{2,3}})[ \t]*$"
)
_COMPANY_TITLE = re.compile(r"公司|集团|企业|董事|经理|总裁|总监|厂长|学会|协会|商会|基金会")


# ---- projects ----------------------------------------------------------------------------

# The characters before 项目 a project name is made of (brands may be Latin: SK, 5G, AI).
_MAX_NAME = 40
_NAME_RUN = re.compile(rf"[{HAN}A-Za-z0-9()（）“”\"·.\-+&、/]{{1,{_MAX_NAME}}}")


def name_run(text: str, lo: int, stop: int) -> str:
    """The longest run of name characters that ends at `stop` (not before `lo`), as a search for
    _NAME_RUN + "$" in text[lo:stop] finds it, but read backwards: one match instead of a
    match tried at every character of the window."""
    if stop > lo and text[stop - 1] == "\n":
        stop -= 1  # ($ also matches before a newline that ends the window)
    m = _NAME_RUN.match(text[lo:stop][::-1])
    return m.group()[::-1] if m else ""


_VISIT_VERB = r"(?:督查|督导|调研|视察|考察|观摩|察看|查看|走访|参观|来到|看望|检查)了?"
_VISIT_SPLIT = re.compile(_VISIT_VERB)
_VISIT_FIRST = frozenset("督调视考观察查走参来看检")  # the first characters of the visit verbs
_AND_CHARS = frozenset("和及与")
# Leading words that belong to the sentence, not to the name.
_NAME_LEAD = re.compile(
    r"^(?:[(（][^)）]*[)）]|每到|到|主要|建设|了|对|在|和|与|及|是|为|有|等|包括|其中|以及|还有|先后|实地|"
    r"一行|区领导|市领导|县领导|领导|如|像|将|把|以|由|从|走进|作为|重点|推进|加快|做大|做强|做优|壮大|新建的|针对|参加|出席|"
    r"\d+个|[一二三四五六七八九十两]+[个项批]|、)+"
)
_COMPANY = re.compile(
    rf"^(?P<company>[{HAN}A-Za-z0-9()（）·]{{2,30}}?"
    r"(?:股份有限公司|有限责任公司|有限公司|集团有限公司|集团公司))"
)
# A run ending in a generic word (重点项目, 落地项目) is rejected before any segmentation.
_GENERIC_ENDINGS = tuple(gz.GENERIC_PROJECT_TAIL)
# 项目 followed by these is an office or a list, not the end of a name.
# (X项目个数和金额占比, X项目集中签约活动: a class's figures, a batch's ceremony)
_NOT_NAME_END = re.compile(r"项目(?:部|组|库|办|经理|负责人|单位|建设单位|业主|方|个数|数量|金额|占比|集中)")


@dataclass
class Mention:
    name: str
    company: str | None
    start: int
    end: int
    # an item of a list closed by 等…项目: the sentence's figures are the class's, not its
    listed: bool = False


def is_generic(core: str, tokens: list[str] | None = None) -> bool:
    """True for category phrases (重点民生实事, 政府性投资) that name no particular project."""
    if len(core) < 3:
        return True
    tokens = tokens or gz.segment(core)
    return tokens[-1] in gz.GENERIC_PROJECT_TAIL or all(
        t in gz.GENERIC_PROJECT_WORDS or t.isdigit() for t in tokens
    )


def is_discourse_verb(token: str) -> bool:
    """开展, and the words made of two of them: 深入开展, 全力推进."""
    return token in gz.DISCOURSE_VERBS or (
        len(token) == 4 and token[:2] in gz.DISCOURSE_VERBS and token[2:] in gz.DISCOURSE_VERBS
    )


def after_last_verb(run: str) -> tuple[str, list[str]]:
    """The words after the last verb of reporting or policy: '积极抢占X' → 'X' (and its words)."""
    tokens = gz.segment(run)
    for i in range(len(tokens) - 1, -1, -1):
        if is_discourse_verb(tokens[i]):
            return "".join(tokens[i + 1 :]), tokens[i + 1 :]
    return run, tokens


def coordinated(run: str) -> bool:
    """光学、光伏膜片 / 强链、延链、补链: parts of one name joined by 、 share a character in
    the same place on both sides of it, and the name goes on after the last part (延链、补链、强链项目
    names no project); the items of a list of projects (铜材、万洋) do not."""
    parts = run.split("、")
    return len(parts[-1]) >= 4 and all(
        len(left) >= 2 and len(right) >= 2 and (left[-2] == right[0] or left[-1] == right[1])
        for left, right in zip(parts, parts[1:], strict=False)
    )


# 与会领导一同为X有限公司年产…(项目): the sentence's words before a company that leads the name
_COMPANY_END = re.compile(r"股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司")
_BEFORE_COMPANY = re.compile(r".*(?:为|对|向|到|参加|出席|前往|宣布|见证|一同|共同|领导)")


def from_company(run: str) -> str:
    """The run from the company on, when the words before the company belong to the sentence."""
    m = _COMPANY_END.search(run)
    if m is None or len(run) - m.end() < 4:
        return run
    lead = _BEFORE_COMPANY.match(run, 0, m.start())
    return run[lead.end() :] if lead and m.start() - lead.end() >= 4 else run


_RESERVE = re.compile(r"储备\d")
_PARTY_VERB = re.compile(r"(?:签约|签订|合作)(?:建设|实施|打造)?|(?:投资)?(?:建设|新建)|就")
_BATCH_COUNT = re.compile(r"(?:\d*[2-9]\d*|\d{2,}|[两二三四五六七八九十]+)个")
_COUNT_CHARS = frozenset("0123456789两二三四五六七八九十")


def clean_project_name(run: str) -> tuple[str, str | None] | None:
    """(name, company) from the characters before 项目, or None for a generic phrase."""
    run = run.replace("“", "").replace("”", "").replace('"', "")
    run = run.rsplit("的", 1)[-1]  # 总投资80亿元的X → X
    if "--" in run:
        run = run.rsplit("--", 1)[-1]  # 取得实质性进展--X项目: the words before a dash are the sentence's
    if "暨" in run and _OUTING_BEFORE_JI.search(before := run.rsplit("暨", 1)[0]):
        # 重大项目集中开工暨X项目开工仪式: 暨 joins an outing and a project, X is the second
        # (农林业资源综合利用暨乡村振兴产业项目: two parts of one name)
        run = run[len(before) + 1 :]
    if "元" in run and _AMOUNT_CLASS.search(run):
        return None  # 固定资产超亿元精深加工项目, 5000万元以上项目: a class by size, not one project
    if "等" in run and "、" not in run and _CLASS_AFTER_ONE.search(run):
        return None  # 既有A等高新技术项目: an example of a class of projects (the list rules take A)
    if run.startswith("该"):
        if run[1:2] not in "县市区镇乡村州旗盟省":
            return None  # 该扩建项目: the project told before, under a word that says what it is
        run = run[2:]  # 该县X项目: X, a project of the place told before
    if run[:1] in _COUNT_CHARS and _BATCH_COUNT.match(run):
        return None  # 总投资24亿元的12个重大产业项目, 5个光伏发电项目: a batch counted, not one project
    if not _VISIT_FIRST.isdisjoint(run):
        run = _VISIT_SPLIT.split(run)[-1]  # 区领导督查X → X
    run = _NAME_LEAD.sub("", run)
    if "公司" in run:
        run = from_company(run)
    listed = "、" in run
    products = _PRODUCTS_IN_NAME.match(run) if listed and "等" in run else None
    if products and (_NOT_ITEM.search(products.group("kind")) or is_generic(products.group("kind"))):
        products = None
    # 年产3万吨A、2万吨B项目: one plant's products
    capacities = _CAPACITY_LIST.search(run) if listed else None
    if ("、" in run and not coordinated(run) and not products and not capacities) or _NOT_ITEM.search(
        run.replace("等", "", 1) if products else run
    ):
        return None  # a list of several projects; the list rules handle it  # a list of several projects; the enumeration rule handles it
    company, tokens = None, None
    m = _COMPANY.match(run) if "公司" in run else None
    if m and len(run) - m.end() >= 4:
        company, run = m.group("company"), run[m.end() :]
        owned = _OWNED_BY.match(company) if "属" in company else None
        if owned:  # X产业园属Y有限公司下游加工项目: the works X (its company is told after it)
            return owned.group("name"), None
        party = _PARTY_VERB.match(run)
        if party and len(run) - party.end() >= 4:
            # 福绵区与X有限公司签约Y项目: the parties of a signing, then the project's own name
            # (X有限公司投资建设Y项目, X有限公司新建Y项目: the company, what it builds, then the name)
            company, run = None, run[party.end() :]
    elif len(run) >= 3:
        run, tokens = after_last_verb(run)
        stripped = _NAME_LEAD.sub("", run)
        if stripped != run:
            run, tokens = stripped, None
    if (
        not run
        or is_generic(run, tokens)
        or _RESERVE.match(run)  # 公司已储备500兆瓦风力发电项目: a reserve, not a project under way
        or ("个" in run and _COUNTED.search(run))
        or _NOT_ONE_PROJECT.search(run)
    ):
        return None
    core = _PLACE_OR_TIME.sub("", run)
    if len(core) < 3 or (core != run and is_generic(core)):
        return None  # 巴林左旗项目, 穆棱市2019年秋季招商引资项目: a place's or a season's projects
    if "区" in run or "园" in run:
        run = _PARK_LEAD.sub("", run)  # (在X县经济开发区Y园区Z项目生产基地: where Z stands, then Z)
    return run + "项目", company


_OWNED_BY = re.compile(rf"(?P<name>[{HAN}]{{4,}}?(?:产业园|园区|基地|工程|厂))属于?.{{4,}}$")
_PARK_LEAD = re.compile(
    rf"^[{HAN}]{{2,8}}?(?:经济技术开发区|经济开发区|高新技术产业开发区|开发区|高新区|工业园区|工业园)(?:[{HAN}]{{2,6}}?园区)?(?=[{HAN}]{{5}})"
)


# 优质合金钻头、镐钎等五金工具系列制造(项目): the products a plant makes, then its kind, in one name
_PRODUCTS_IN_NAME = re.compile(
    rf"^[^等、]+(?:、[^等、]+)+等(?P<kind>[{HAN}A-Za-z]{{2,}}(?:制造|生产|加工|研发|生产线|制品))$"
)
# Units a capacity in a name is written in (立方 for 立方米; 万千瓦 is 万 + 千瓦; 兆瓦时 before 兆瓦)
_NAME_UNITS = r"(?:吨|立方米|立方|平方米|辆|台|套|件|重量箱|千瓦时|千瓦|兆瓦时|兆瓦|GWh|MWh|MW|GW"
_QUANTITY_IN_NAME = rf"\d+(?:\.\d+)?[万千亿]?{_NAME_UNITS}|头|只)"
_CAPACITY_LIST = re.compile(
    rf"(?:年产|年加工|年处理|产能){_QUANTITY_IN_NAME}[^、]+(?:、{_QUANTITY_IN_NAME}[^、]+)+$"
    # (年产1200万重量箱超白光伏、超薄电子玻璃: a name that opens on one quantity of two products)
    rf"|^(?:年产|年加工|年处理|产能){_QUANTITY_IN_NAME}[^、\d]{{2,10}}(?:、[^、\d]{{2,10}})+$",
    re.I,
)
# The place and time a name may start with (化隆县, 2023年, 12月底, 秋季).
_PLACE_OR_TIME = re.compile(
    rf"^(?:[{HAN}]{{2,6}}?(?:自治区|自治州|自治县|自治旗|省|市|州|县|旗|盟)(?![{HAN}]?(?:场|级|委|政府))|自治区|"
    r"\d{4}年度?|\d{1,2}月(?:份|底|初|末)?|[春夏秋冬]季|第?[一二三四]季度|上半年|下半年|今年|明年|第[一二三四五六七八九十\d]+批)+"
)


_BATCH_GAP = re.compile(r"等\d+个|等[一二三四五六七八九十两]+个|共计|合计|总计")
# A batch or a kind of projects, not one project: 本次集中开工项目, 多个胶合板项目, 又一领军项目.
_NOT_ONE_PROJECT = re.compile(
    r"本次|此次|这次|这批|本批|这一|这个|多个|一批|一个|又一|我县|我区|我市|我镇|全县|全区|全市|全省|每个|各个|[省市县]{2,}重点|"
    # a class of projects: 省市级重点建设项目, 一季度开工项目, 上两家项目
    r"^[省市县区]{1,3}级?(?:重点|重大)|^(?:[一二三四]季度|上半年|下半年|前三季度|今年|去年|明年|\d+月)|"
    r"[一二三四五六七八九十两\d]+[家个项批只]"
    r"|\d{4}年度?(?:第.批)?(?:[省市县区]级)?(?:重点|重大)"  # 西藏2022年重点建设项目: a year's programme
)
# (a yes/no test: found from its first character, a class the regex engine scans for, and read on
# from there, instead of trying every alternative at every character)
_NOT_ONE_PROJECT = re.compile(
    r"[本此这多一又我全每各省市县区上下前今去明二三四五六七八九十两\d](?<=(?=(?:"
    + _NOT_ONE_PROJECT.pattern
    + r"))(?s:.))"
)
_AND_AFTER_WORK = re.compile(r"(?<=工程|大道|公路|大桥|业园)(?:和|及|以及|与)")  # (业园: 产业园)
# X和项目, 第三还是项目, 代表县政府对项目的开工表示祝贺: a conjunction or a preposition, not the end of a name
_CONJUNCTION_END = ("和", "与", "及", "或", "还是", "以及", "并", "对", "向")
# 工业实体项目67个: a class counted, not a named project; 该项目为X产业项目: what it is, not another one
_COUNT_AFTER = re.compile(r"(?:共|有|达)?\d+(?:个|项)")
_DESCRIBED = re.compile(r"[,，]?(?:是|为|系|属于|也是|作为)[^,，。;；!?]*的")
_JOINED_IN_ITEM = re.compile(
    r"等|及|和|与"
)  # (新能源汽车等产业链项目, 研发中心及二期项目: a class or two things)
# (投资最大项目为X项目: a superlative picks one project of a batch and names it)
_COPULA_BEFORE = re.compile(r"(?<!最大)(?<!最大的)项目(?:为|是|属于|系)$")


# X工程,是“变废为宝”的循环经济项目 / X项目总投资10亿元,为产业链下游项目,…: after a project or work
# told in the same clause chain, a copula (and what follows it up to 的) makes the name what it is
# (该项目是X公司成立的全资子公司项目: the project just told, what it is said to be)
_DESCRIBING = re.compile(
    r"(?:(?:项目|工程)[^。;；!?\n]*[,，]|(?<=[该此])(?:项目|工程))"
    r"(?:是|为|系|属于|既是|也是|均为|都是|作为)(?P<of>[^。;；!?\n]*的)?$"
)
_DESCRIBING_ENDS = frozenset("的是为系于")


def _span_back(run: str, chars: int) -> int:
    """How far back from the run's end its last `chars` characters reach, quotation marks
    included (国家“双百工程基地”: the cleaned name lost its marks)."""
    if "“" not in run and '"' not in run:
        return chars
    back = 0
    for char in reversed(run):
        if chars == 0:
            break
        back += 1
        chars -= char not in '“”"'
    return back


def describes(text: str, at: int, end: int) -> bool:
    """The name text[at:end] is said of a project told before it in the sentence (是…的X项目)."""
    if at == 0 or text[at - 1] not in _DESCRIBING_ENDS:
        return False
    m = _DESCRIBING.search(text, max(0, at - 120), at)
    # (开工项目4个,总投资2.36亿元,为X项目: a counted class, then its projects named)
    return (
        m is not None
        and (m.group("of") is not None or text[end : end + 1] in ",，。;；")
        and _COUNTED.search(m.group()) is None
    )


# A heading that names a project without 项目 (01、X生产线 / 广东(清远)微型汽车生产基地:), then 该…
_HEADING_NAME = re.compile(
    rf"(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}})?[、.．]?(?P<name>[{HAN}A-Za-z0-9()（）·]{{4,40}}?"
    r"(?:基地|工程|新村|园区|产业园|[A-Z]区|生产线|电站))[)）]?(?=[:：]?该|$)"
)
_HEADING_NEXT = re.compile(r"[:：]?该(?:项目|工程|基地|园区|村|生产线|电站)")


def joined_in_list(text: str, a: Mention, b: Mention, joins: tuple[str, ...]) -> bool:
    """True when b follows a in a list: only a join between them, or a join and b's company
    (A项目、X有限公司B项目: a mention starts after the company written in front of its name)."""
    gap = text[a.end : b.start]
    if b.company and gap.endswith(b.company):
        gap = gap[: -len(b.company)]
    return gap in joins


def heading_project(text: str, start: int) -> Mention | None:
    """The project a heading names, where the words after it (in the same paragraph after a colon,
    or the next paragraph) go on with 该项目/该基地/该工程: the heading is that project's name."""
    if text.startswith("该", start):  # the heading is the paragraph before
        end = start
        while end > 0 and text[end - 1] in "\n \t":
            end -= 1
        begin = text.rfind("\n", 0, end) + 1
        m = _HEADING_NAME.fullmatch(text, begin, end) if 0 < end - begin <= 44 else None
    else:
        m = _HEADING_NAME.match(text, start)
        if m is None or not _HEADING_NEXT.match(text, m.end()) or text[m.end()] == "该":
            return None
    if m is None:
        return None
    name = m.group("name")
    if is_generic(name) or _NOT_ONE_PROJECT.search(name) or _NOT_ITEM.search(name):
        return None
    return Mention(name, None, m.start("name"), m.end("name"))


def find_project_mentions(text: str, start: int, end: int, standalone: bool) -> list[Mention]:
    """Every named project in text[start:end]; a standalone line (a caption) may hold 、."""
    mentions = []
    stop = text.find("项目", start, end)
    while stop >= 0:
        run = name_run(text, max(start, stop - _MAX_NAME), stop).rsplit("项目", 1)[-1]
        at = stop - len(run)
        if run[:1].isdigit() and text[at - 2 : at] == "/ " and at - 2 > start:
            # 100万千瓦/ 400万千瓦时…项目: a pair of capacities written with a space after the slash
            run = name_run(text, max(start, at - 1 - _MAX_NAME + len(run)), at - 1) + run
        if (
            not run
            or _NOT_NAME_END.match(text, stop)
            or run.endswith(_GENERIC_ENDINGS)
            or run.endswith(_CONJUNCTION_END)
            or _COUNT_AFTER.match(text, stop + 2)
        ):
            stop = text.find("项目", stop + 2, end)
            continue
        if standalone and "、" in run:
            run = run.replace("、", "\u0001")
        joined = _AND_AFTER_WORK.split(run) if not _AND_CHARS.isdisjoint(run) else [run]
        if len(joined) > 1:  # X工程和Y项目: two projects, the first named without 项目
            first = _VISIT_SPLIT.split(joined[0].rsplit("、", 1)[-1].rsplit("的", 1)[-1])[-1]
            first = _NAME_LEAD.sub("", after_last_verb(first)[0] if len(first) >= 3 else first)
            if len(first) >= 4 and not is_generic(first) and not _NOT_ONE_PROJECT.search(first):
                at = stop - len(run) + run.index(first)
                mentions.append(Mention(first, None, at, at + len(first)))
            run = joined[-1]
        cleaned = clean_project_name(run)
        if (
            cleaned is None
            and "、" in run
            and len(last := run.rsplit("、", 1)[1]) >= 6
            and not _JOINED_IN_ITEM.search(last)
        ):
            cleaned = clean_project_name(last)  # …道路工程、镇原县苹果产业项目: the last item of a list
        if cleaned and _COPULA_BEFORE.search(
            text, max(start, stop - len(cleaned[0]) - 2), stop - len(cleaned[0]) + 2
        ):
            cleaned = None
        if cleaned and (
            describes(text, max(start, stop + 2 - _span_back(run, len(cleaned[0]) - 2) - 2), stop + 2)
            or (run[:1] in _DESCRIBING_ENDS and describes(text, stop - len(run) + 1, stop + 2))
        ):
            cleaned = None  # (为明港产业集聚区…项目: the words the name lost began with the copula)
        if cleaned and _COUNTED_BEFORE.search(
            text, max(start, stop - len(cleaned[0]) - 2), stop - len(cleaned[0]) + 2
        ):
            cleaned = None  # 4个省重点项目、8个市重点项目和12个集中开工项目: classes counted, not projects
        if cleaned and mentions:
            # X项目,是全省…的延链补链项目: what the project told just before is, not another one
            gap = text[mentions[-1].end : stop - len(cleaned[0]) + 2]
            if _DESCRIBED.fullmatch(gap):
                cleaned = None
        if cleaned:
            name, company = cleaned
            name = name.lstrip("\u0001")  # 项目、X项目 in a short line: the 、 after a name ends it
            mentions.append(Mention(name.replace("\u0001", "、"), company, stop - len(name) + 2, stop + 2))
        stop = text.find("项目", stop + 2, end)
    return mentions


# 督查了A、B和C6个省级重大项目 / 督查了X项目等8个产业项目和Y项目
VISIT = re.compile(
    rf"{_VISIT_VERB}(?P<list>[^。;；!?]*?)(?P<count>\d+|[一二三四五六七八九十两]+)个"
    rf"(?P<kind>[{HAN}]{{0,8}}?)项目"
)


def enumerated_projects(listing: str) -> list[str]:
    """'A、B和C' → ['A项目', 'B项目', 'C项目'] when the items carry no 项目 of their own."""
    if "项目" in listing or not listing:
        return []
    items = listing.split("、")
    last = _AND_SPLIT.split(items[-1])
    items = items[:-1] + last
    names = []
    for item in items:
        item = _NAME_LEAD.sub("", _VISIT_SPLIT.split(item)[-1])
        if len(item) >= 3 and not is_generic(item):
            names.append(item + "项目")
    return names


# A、B、C等25个重点建设项目: every item before 等N个…项目 is a project, named as written.
_LISTED = re.compile(
    r"(?P<list>[^。;；!?:：,，\n]{2,600}?)等(?:(?P<count>\d+|[一二三四五六七八九十两]+)个|一批|多个)?[^。,，;；\n]{0,16}?项目"
    # 投资A的X、投资B的Y等11个正在…: items that each carry their amount need no 项目 after the count
    r"|(?P<amounts>(?:总?投资)\d[^。;；!?:：,，\n]{2,600}?)等(?:\d+|[一二三四五六七八九十两]+)个"
)
_SECTOR_CLOSURE = re.compile(r"产业(?!化)|行业|领域|方面")
_COUNT_NEXT = re.compile(r"(?:\d+|[一二三四五六七八九十两]+)[个项批]")
_COMPANY_HEAD = re.compile(
    rf"(?P<company>[{HAN}()（）]{{2,30}}?(?:股份有限公司|有限责任公司|有限公司|股份公司))(?=[^,，。]{{0,12}}[,，]?(?:地处|位于|是|成立|坐落))"
)
_BARE_AMOUNT = re.compile(
    r"(?<=投资|产值|投入|收入|营收|售额|造价)(?P<bound>(?:可|将|预计)?(?:约|达到?|为|超过?|近|逾|突破)?)"
    r"(?P<number>\d+(?:\.\d+)?)(?:多|余)?(?:亿|万)(?![元美亿万\d.])"
)
_SPAN_MARKS = frozenset("-—~～至到")
_LEADING_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_SPAN_LOW = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:-|—|~|～|至|到)\s*$")
_ITEM_KINDS = frozenset(("产业", "工程", "基地", "园区"))
_BUILDS_GAP = re.compile(r"[,，]?(?:建设|新建|兴建|打造)")
_AMOUNT_CLASS = re.compile(r"[超逾]?[\d一二三四五六七八九十百千]*(?:亿|千万|万)元(?:以上|以下)?")
_OUTING_BEFORE_JI = re.compile(r"(?:开工|竣工|投产|签约|观摩|仪式|活动|大会)$")
_CLASS_AFTER_ONE = re.compile(r"(?<![高中初同平对])等(?!级)..")
_CLASS_HAS = re.compile(r"项目(?:有|是|为)")
_WORKS_ENDINGS = ("工程", "基地", "产业园", "园区", "大道", "公路", "大桥")
_BUILDERS = re.compile(r"项目(?:单位|建设单位|业主|方|负责人|服务)")
_LISTED_END = re.compile(r"等(?:(?:\d+|[一二三四五六七八九十两]+)个|[^。,，;；\n]{0,18}?项目)")
# A、B项目、C;: a list in which some items end in 项目 holds projects only.
_LIST_SEGMENT = re.compile(r"[^。;；!?:：,，\n]+")
# An amount written before a listed name: 投资14亿元大众国轩三元正极材料.
# 投资14亿元大众国轩三元正极材料 / 投资8550万元的整村推进: an amount written before a listed name.
# (澳亚集团总投资7亿元的万头奶牛养殖: the investor before the amount goes with it)
_LEADING_AMOUNT = re.compile(
    rf"^(?:[{HAN}]{{0,10}}?总?投资|总?投资)?(?:约|达|近|超)?(?P<amount>\d+(?:\.\d+)?(?:万亿|亿|万)?元)的?"
)
# 投资1323万元的X工程和投资1.5亿元的Y: the last item of a list of amounts joined by 和
_LIST_ITEM_BREAK = re.compile(r"、|(?:和|及|以及)(?=(?:总?投资)?\d)")
_ITEM_LEAD = re.compile(r"^.*?(?:分别是|分别为|包括|主要有|项目有|项目是|签约|先后到|到)")


# 总投资1.6亿元的渭南高新区增材制造创新中心产业园,: a facility named after its investment.
_FACILITY = re.compile(
    # (…总投资20亿元,建设规划占地500亩的X产业园: the clause after the amount says what it builds)
    rf"投资(?:约|达到?|超过?|近|逾)?\d(?:[^,，。;；的]{{0,10}}|[^,，。;；的]{{0,8}}[,，](?:建设|新建|打造)[^,，。;；的]{{0,12}})"
    rf"的(?P<name>[{HAN}A-Za-z0-9()（）·]{{4,30}}?"
    r"(?:产业园|园区|基地|中心|综合体|工程|生产线|工厂|厂|馆|医院|学校|大道|公路|电站))(?=[,，。;；、]|$)"
)
# 作为全市重点项目,青阳煤矿总投资约41.43亿元: a works named without 项目 at a clause's head,
# with its own total
# (matched on the characters before each 总投资, so that it is not tried at every character)
# What a works named without 项目 ends in (青阳煤矿, X产学研合作基地, Y配套道路工程)
_WORKS = r"(?:产业园|园区|基地|中心|综合体|工程|生产线|工厂|厂|馆|医院|学校|大道|公路|电站|煤矿|矿井|水库|码头|机场)"
_NAMED_TOTAL = re.compile(
    rf"(?:^|(?<=[,，。;；:：\n]))(?P<name>[{HAN}A-Za-z0-9]{{2,16}}?{_WORKS})(?:计划|预计)?$"
)
# 附项目概况:A基地,计划投资5亿元,…;B工程,总投资1.18亿元: the items of a roll of projects
_ROLL_ITEM = re.compile(
    rf"(?<=[;；:：])(?P<name>[{HAN}A-Za-z0-9]{{2,24}}?{_WORKS})[,，](?:计划|预计)?总?投资"
)
# 以X工程为代表的13个交通类项目: the example that stands for a class of projects is one
_EXAMPLE = re.compile(r"以(?:建设)?(?P<name>[^,，。;；、]{4,40}?)为代表")
# 在X高新区Y生产基地开工典礼现场: a works named without 项目 by its own ceremony
_OWN_CEREMONY = re.compile(r"(?:开工|竣工|投产)(?:典礼|仪式)")
_WORKS_CEREMONY = re.compile(rf"(?<=[在于,，。:：\n])(?P<name>[{HAN}A-Za-z0-9]{{4,24}}?{_WORKS})$")
_AREA_LEAD = re.compile(r"^(?:全|我|各|本|该|这)")
# 投产的项目为X基地,该项目…: the project a relative clause introduces, named without 项目
_NAMED_AS = re.compile(rf"的项目(?:为|是)(?P<name>[{HAN}A-Za-z0-9]{{4,30}}?)(?=[,，。;；])")
_CAPACITY_ITEM = re.compile(
    rf"^(?:年产|年加工|年处理)?\d+(?:\.\d+)?[万千]?{_NAME_UNITS})[{HAN}]{{2,}}",
    re.I,
)
_LIST_LEAD = re.compile(  # (every alternative opens on a character: the engine scans for those)
    r"分别是|分别为|包括|主要有|项目有|项目是|先后到|先后签约|签约了?|参加|出席|"
    r"察看了?|查看了?|督查了?|观摩了?|调研了?|走访了?|参观了?|检查了?"
)
_NEXT_ITEM_AMOUNT = re.compile(r"、(?:计划)?总?投资")
_COUNT_AFTER_NAME = re.compile(r"(?:共|有)?\d+[个项]")
_COUNTED_BEFORE_LIST = re.compile(r"\d+个[^,，。;；]{0,6}项目[^,，。;；\d]{0,6}[,，]$")
_NOT_ITEM = re.compile(r"的|等$|进行|奠定|落实|书记|区长|县长|市长|主任|领导|董事长|经理")


def _item_name(item: str, pos: int) -> tuple[str, int, str | None]:
    amount = _LEADING_AMOUNT.match(item)
    if amount:
        item, pos = item[amount.end() :], pos + amount.end()
    stripped = _NAME_LEAD.sub("", item)
    return stripped.strip(), pos + len(item) - len(stripped), amount.group("amount") if amount else None


def listed_items(
    text: str, start: int, end: int, standalone: bool = False
) -> list[tuple[str, int, str | None, bool]]:
    """(name, offset, amount) of the items of the project lists in text[start:end]: every item
    before 等N个…项目, and the items of a list most of whose items are named projects."""
    if text.find("、", start, end) < 0 and text.find("等", start, end) < 0:
        return []  # no list in this paragraph
    spans = []
    found: list[tuple[str, int, str | None, bool]] = []
    segments = [
        seg
        for seg in _LIST_SEGMENT.finditer(text, start, end)
        if "、" in (part := seg.group()) or "等" in part
    ]
    for m in (
        m
        for seg in segments
        # the list's lazy start is tried at every character: only where a list can end
        if "等" in seg.group() and _LISTED_END.search(text, seg.start(), seg.end())
        for m in _LISTED.finditer(text, seg.start(), seg.end())
    ):
        group = "list" if m.group("list") else "amounts"
        at, listing = m.start(group), m.group(group)
        leads = list(_LIST_LEAD.finditer(listing))
        if leads:
            at, listing = at + leads[-1].end(), listing[leads[-1].end() :]
        elif not _LEADING_AMOUNT.match(listing):  # (集中开工了X等9个项目: one item, after the verb too)
            first, _ = after_last_verb(listing.split("、", 1)[0])
            cut = len(listing.split("、", 1)[0]) - len(first)
            at, listing = at + cut, listing[cut:]
        # A、B等一批项目 / A、B等500万元以上重点项目40个: the list stands for a class, whose
        # figures the sentence goes on to tell (A、B等8个项目 and A、B等项目 are told as before)
        closure = text[m.end(group) : m.end()]
        if _SECTOR_CLOSURE.search(closure) and not m.group("count"):
            continue  # 新能源汽车、智能装备等产业链项目: sectors, not projects
        if closure.startswith("等地"):
            continue  # 在A镇、B镇等地同时举行…项目集中开工仪式: places, not projects
        if group == "list" and _BUILDERS.match(text, m.end() - 2):
            continue  # A有限公司、B有限公司等项目单位负责人, A、B等项目服务举措: no projects
        counted_after = _COUNT_AFTER.match(text, m.end()) is not None  # A、B等项目17个
        spans.append(
            (
                at,
                listing,
                1,
                group == "list" and not m.group("count") and (closure != "等项目" or counted_after),
            )
        )
    # a caption's 、 joins the parts of one name (X焊带、漆包线项目; see find_project_mentions)
    for seg in () if standalone else segments:
        segment = seg.group()
        if "、" not in segment:
            continue
        if "项目" in segment and not segment.startswith("、", segment.rindex("项目") + 2):
            # 150万吨X技改项目已建成: the list ends at its last 项目 (A项目、B项目、C; goes on to C)
            segment = segment[: segment.rindex("项目") + 2]
        opening = _LIST_LEAD.match(segment)
        if opening and _COUNTED_BEFORE_LIST.search(text, max(start, seg.start() - 16), seg.start()):
            # 有5个项目竣工,包括A、B、C: the items of projects just counted, named without 项目
            spans.append((seg.start() + opening.end(), segment[opening.end() :], 3, False))
            continue
        leads = list(_LIST_LEAD.finditer(segment.split("项目", 1)[0]))
        if not leads and "项目" in (first_item := segment.split("、", 1)[0]):
            leads = list(_CLASS_HAS.finditer(first_item))  # 竣工项目有A、B: the class, then its items
        seg_start = seg.start() + (leads[-1].end() if leads else 0)
        segment = segment[leads[-1].end() :] if leads else segment
        items = segment.split("、")
        if len(items) >= 2 and all(_CAPACITY_ITEM.match(i) for i in items):
            # 年产2万吨锰合金生产线、2.5万吨钛白粉、1.5万吨海绵钛: plants named by what they make
            spans.append((seg_start, segment, 2, False))
            continue
        # each item's name cleaned once: an item without a lead of its own is not cleaned again below
        cleaned_items = {i: clean_project_name(i[:-2]) for i in items if i.endswith("项目")}
        named = [i for i in items if cleaned_items.get(i)]
        closing = leads and segment.endswith("等") and "等" not in segment[:-1]
        # 竣工项目有A工程、B项目: after a lead that says projects follow, one named item is enough
        # when the others are works (工程, 基地…)
        works = bool(leads) and all(i in named or i.endswith(_WORKS_ENDINGS) for i in items)
        if (
            len(items) >= 2
            and (len(named) >= 2 or (works and named))
            # (主要有A项目、B项目、C产业园、D总部等: a list its lead opens and 等 closes)
            and (len(named) * 2 >= len(items) or closing)
            and ("等" not in segment or closing)
        ):
            spans.append((seg_start, segment, 6, False))
            if closing:  # 主要有A项目、B项目、C产业园、D总部等: the item 等 closes is one too
                name = items[-1].removesuffix("等")
                if (
                    len(name) >= 4
                    and not is_generic(name)
                    and not _NOT_ITEM.search(name)
                    and not _NOT_ONE_PROJECT.search(name)
                ):
                    found.append((name, seg_start + segment.rindex(items[-1]), None, False))
            for item in named:  # A工程、B项目: B's name runs back only to the 、
                at = seg_start + segment.index(item)
                lead = list(_LIST_LEAD.finditer(item))
                cut = lead[-1].end() if lead else 0
                cleaned = clean_project_name(item[cut:-2]) if cut else cleaned_items[item]
                if cleaned and cleaned[1] is None:
                    found.append((cleaned[0], at + cut + len(item[cut:]) - len(cleaned[0]), None, False))
    for at, listing, shortest, closed in spans:
        offset = at
        items = _LIST_ITEM_BREAK.split(listing) if "投资" in listing else listing.split("、")
        if closed and min(len(i) for i in items) < 3:
            continue  # 合金钻头、镐钎等五金工具制造项目: products in one name, not projects
        for raw, sep in zip(
            items, [len(x.group()) for x in _LIST_ITEM_BREAK.finditer(listing)] + [1], strict=False
        ):
            name, pos, amount = _item_name(raw, offset)
            offset += len(raw) + (sep if "投资" in listing else 1)
            if shortest > 1:  # the last item of an open list runs on into the sentence
                name = _RUNS_ON.split(name)[0]
            if (
                len(name) < 4  # (a list of named projects too: 恒泰纺织、X项目、Y项目)
                or (name.endswith("项目") and shortest != 2)  # plants named by what they make keep 项目
                or is_generic(name)
                or _NOT_ONE_PROJECT.search(name)
                or _NOT_ITEM.search(name)
                or (has_surname(name) and len(name) <= 3)
            ):
                continue
            found.append((name, pos, amount, closed))
    return found


@dataclass
class Project:
    name: str
    company: str | None = None
    investment: dict | None = None
    phase_investment: dict | None = None
    annual_revenue: dict | None = None
    capacities: list[dict] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    # the text wrote the company in front of this name (X有限公司年产…项目)
    company_in_name: bool = False

    def as_json(self) -> dict:
        # the name as the text writes it: a company written in front of it belongs to it
        name = self.name
        if self.company and self.company_in_name and not name.startswith(self.company):
            name = self.company + name
        return {
            "name": name,
            "company": self.company,
            "investment": self.investment or self.phase_investment,
            "capacities": self.capacities,
            "annual_revenue": self.annual_revenue,
            "evidence": self.evidence,
        }


_TIMES = re.compile(r"(?<![\d.])(\d{1,2}) ?[×xX*] ?$")


def units_of(text: str, start: int) -> int:
    """2×100万千瓦: how many units of the capacity that follows (1 when the text gives no count)."""
    m = _TIMES.search(text, max(0, start - 5), start)
    return int(m.group(1)) if m else 1


# Every capacity starts with a digit or a numeral; most names hold neither (checked for every
# new project, and the capacity pattern, which ignores case, is slow to try at every character).
_NUMERAL = re.compile(r"[\d零〇○一二两三四五六七八九十百千]")


def name_capacities(name: str) -> list[dict]:
    """Capacities a project's name states: 年产50万吨食品添加剂项目 → 500000 吨 食品添加剂."""
    found: list[dict] = []
    if not _NUMERAL.search(name):
        return found
    for m in CAPACITY.finditer(name):
        q = quantity_from_match(m)
        # 年出栏百万头生猪: a number in words after a verb of production
        words_after_verb = _PRODUCTION_VERB.search(name, 0, m.start())
        if (
            q is None
            or q.unit in ("个", "亩")
            or not q.quantity
            or _PER_DAY.match(name, m.end())
            or _DAILY.search(name, max(0, m.start() - 8), m.start())
        ):
            continue  # (二期200t/d…回收项目, 日处理1200吨乳品加工厂: a daily size)
        if found and found[-1]["unit"] == q.unit and not _LIST_MARK.search(name, found[-1]["end"], m.start()):
            found.pop()  # 石门100万头生猪产业链乌木溪6000头种猪场: the whole's size, then the part built
        if not _DIGIT.search(m.group()) and not words_after_verb:
            continue
        product = _NAME_PRODUCT.match(name, m.end())
        found.append(
            {
                "quantity": plain(float(q.quantity) * units_of(name, m.start())),
                "unit": q.unit,
                "product": product.group() if product else None,
                "end": m.end(),
            }
        )
    for item in found:
        del item["end"]
    return found


_REACH = re.compile(r"辐射|半径|距离|相距|范围")
_PER_DAY = re.compile(r"\s*/\s*(?:d|日|天)(?![A-Za-z])", re.I)
_LIST_MARK = re.compile(r"、|和|及|与|/")


_NAME_CAPACITY = re.compile(rf"(?:年产|年加工|年处理|产能)?\d+(?:\.\d+)?[万亿千]?{_NAME_UNITS})", re.I)
_COMPANY_FORM = re.compile(r"(?:股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司|公司)$")
_KEY_TAIL = re.compile(r"(?:生产|建设|新建|扩建)+$")


@lru_cache(maxsize=4096)
def project_key(name: str, company: str | None = None) -> str:
    """A project's name without its capacity and with its company's short name in front:
    广西佳马木业有限公司 + 年产18万立方米胶合板项目 → 广西佳马木业胶合板项目."""
    key = _NAME_CAPACITY.sub("", name).removesuffix("项目")
    key = _KEY_TAIL.sub("", key) or key  # (X锰酸锂生产项目 / X锰酸锂项目: the same works)
    if company:
        short = _COMPANY_FORM.sub("", company)
        if not key.startswith(short[:2]):
            key = short + key
    return key


def same_project(a: str, b: str, a_company: str | None = None, b_company: str | None = None) -> bool:
    """当升锂电材料产业基地项目 and 当升科技锂电材料产业基地项目 are one project; so are
    广西佳马胶合板项目 and 广西佳马木业有限公司年产18万立方米胶合板项目."""
    if a == b:
        return True
    # 浙江X粮油科技有限公司项目, then X粮油15万吨/年…基地项目: a project named by its company alone,
    # then by the company's brand
    if a.endswith("公司项目") != b.endswith("公司项目"):
        by_company, named = (a, b) if a.endswith("公司项目") else (b, a)
        if len(named) >= 8 and named[:4] in _COMPANY_FORM.sub("", by_company[:-2]):
            return True
    # 运达风电项目 after 山西运达风电设备有限公司X项目: a project called by its company's brand
    if a_company and not b_company and len(b) >= 6 and b.removesuffix("项目") in a_company:
        return True
    if b_company and not a_company and len(a) >= 6 and a.removesuffix("项目") in b_company:
        return True
    # (a plain comparison, not sorted() with a key: _match calls this for every known project)
    shorter, s_company, longer = (a, a_company, b) if len(a) <= len(b) else (b, b_company, a)
    if len(shorter) >= 5 and longer.endswith(shorter):
        # the longer name's lead must not contradict the company that goes with the shorter one
        lead = longer[: len(longer) - len(shorter)]
        if not s_company or lead[:2] in _COMPANY_FORM.sub("", s_company):
            return True
    if len(shorter) >= 6 and ratio(a, b) >= 85:
        return True
    a, b = project_key(a, a_company), project_key(b, b_company)
    if len(b) < len(a):
        a, b = b, a
    if a == b:
        return True
    # 180万吨合金带钢项目 / 信钢公司180万吨合金带钢生产线项目: the same capacity in both names
    # (looked for only where it decides: for a key of 3 to 5 characters)
    same_capacity = (
        3 <= len(a) < 6
        and _DIGIT.search(shorter) is not None
        and (capacity := _NAME_CAPACITY.search(shorter)) is not None
        and capacity.group().removeprefix("年产") in longer
    )
    # one key is the other with words left out (广西佳马胶合板 / 广西佳马木业胶合板), not a
    # different brand (广西闽祥木业胶合板 / 广西闽标木业胶合板)
    rest = iter(b)
    return len(a) >= (3 if same_capacity else 6) and all(char in rest for char in a)


class ProjectBook:
    """Projects of one document, merging repeated mentions of the same project."""

    def __init__(self) -> None:
        self.projects: list[Project] = []
        self._by_name: dict[str, Project] = {}

    def get(self, name: str, company: str | None) -> Project:
        known = self._by_name.get(name)
        if known is not None and (known.company or not company):
            return known
        project = self._match(name, company)
        self._by_name[name] = project
        return project

    def _match(self, name: str, company: str | None) -> Project:
        for project in self.projects:
            if same_project(project.name, name, project.company, company):
                if company and not project.company:
                    project.company = company
                # the name that carries no company is the one the text uses on its own
                if len(name) > len(project.name) and not company and project.company:
                    project.name, project.company_in_name = name, False
                elif not company and not project.company and name.endswith(project.name) and name[:1] != "该":
                    project.name = name  # 砂石骨料生产线 then 枞阳南方材料年产…砂石骨料生产线: the full name
                for item in name_capacities(name):
                    if all(
                        c["quantity"] != item["quantity"] or c["unit"] != item["unit"]
                        for c in project.capacities
                    ):
                        project.capacities.append(item)
                return project
        project = Project(name, company, company_in_name=bool(company))
        project.capacities = name_capacities(name)
        self.projects.append(project)
        return project


# ---- money, capacities ---------------------------------------------------------------------

_TOTAL = re.compile(
    r"(?:计划|预计)?(?:总投资额?|投资总额|总投入|总造价|工程总造价)(?:约|达到?|为|超过?|近)?$"
)
_PHASE = re.compile(r"(?:[一二三四首]期(?:工程|项目)?)(?:计划)?(?:总?投资额?|投入)(?:约|达到?|为|超过?)?$")
_INVEST = re.compile(
    r"(?<!完成)(?<!到位)(?<!完成工程)(?<!已完成)(?<!累计完成)(?:计划|拟|预计)?(?:投资|耗资|投入资金|签约金额|签约额|合同金额|协议金额)(?:额)?"
    r"(?:约|达到?|为|超过?|近|逾)?$"
)
_REVENUE = re.compile(
    r"(?<![\d年])(?:(?:可|将|预计)?实现)?年(?:均|可|将|预计)?(?:实现|达到|形成|新增)?(?:销售收入|销售额|销售|产值|营业收入|营业额|营收|开票销售收入?|收入|工业产值)"
    r"(?:有望|预计|将|可|能)*(?:约|达到?|为|超过?|近|逾|突破)?$"
)
# 达产后预计可实现产值30亿元: what a project is expected to sell, said without 年
_EXPECTED_REVENUE = re.compile(
    r"(?:(?:预计|可|将|有望)+(?:实现|形成|新增)?|新增)(?:综合)?(?:产值|销售收入|销售额|营业收入|营业额|营收|工业产值|开票)"
    r"(?:有望|预计|将|可|能)*(?:约|达到?|为|超过?|近|逾|突破)?$"
)
_BUILDING = re.compile(r"(?:标准)?(?:厂房|建筑|综合楼|办公楼|仓库|仓储|车间|宿舍|用房|场地|道路)")
_BUILDING_BEFORE = re.compile(
    r"(?:厂房|建筑面积|面积|占地|用地|综合楼|办公楼|仓库|车间|宿舍|用房|配套设施)(?:约|达到?|为|共|总计)?$"
)
_DIMENSION = re.compile(r"总长|全长|长度|宽度|占地|用地|建筑面积|路线|里程")
_OUTPUT = re.compile(
    r"(?:实现|新增|形成)?(?:产值|销售收入|营业收入|营业额|销售额|营收)(?:约|达到?|为|超过?|近|逾|突破)?$"
)
_CAPACITY_CONTEXT = re.compile(
    r"产能|生产能力|年产|每年可生产|每年生产|生产规模|产量|年生产|年加工|年处理|年可生产|年可产|年可加工|可年产|装机|生产线|"
    r"出栏|存栏|养殖规模|饲养规模|设计能力|处理能力|吞吐|运量|货物量|中转量|可生产|可形成|(?:配置|配套)[^,，。;；]{0,24}储能|"
    r"额定容量|年开采"
)
# 安装2.5兆瓦风力发电机组54台: the equipment a project installs, not what it makes
# (新上年产25万吨柠檬酸生产线: a line told by its yearly output is the capacity)
_EQUIPMENT_BEFORE = re.compile(
    r"(?:安装|购置|购买|配置|配备|引进|新增|新上)(?![^,，;；。]*年产)[^,，;；。]{0,12}$"
)
# (相当于节约标煤40万吨, 减少二氧化碳排放25万吨: a saving)
_TRADED = re.compile(r"交易|销售|销量|成交|带动|增加|节约|节省|减排|减少|排放")
# 日处理150吨…生产线: a line's daily size, not the yearly output the contract asks for
_DAILY = re.compile(r"(?:日|每天|每日)(?:可)?(?:处理|加工|生产|产|屠宰)(?:能力)?(?:约|达到?|为)?$")
_POWER_UNITS = frozenset(("千瓦", "千瓦时", "兆瓦", "兆瓦时", "MW", "MWh", "GW", "GWh"))
# (5万吨储煤设施, 10兆瓦风机: what a project installs, not what it makes)
_EQUIPMENT = re.compile(r"(?:机组|设备|装置|机器人|风机|设施|泊位)$")
# 23.4公里铁路专用线: the length of a line built
_LINE = re.compile(r"(?:线|路|管|网|道|渠|堤)$")
_AGGREGATE = re.compile(
    r"累计|全区|全市|全县|全镇|全年|今年以来|我区|我市|我县|共计|合计|\d+-\d+月|截至|截止|月底|月末|\d+个项目|项目(?:共|共计|合计)?\d+[个项]|[1-9]\d*个[^,。]{0,6}项目"
    r"|比重"  # 项目数量占工业项目的比重由10%上升为35%: a share of a whole, not the last project's
)
_AGGREGATE = re.compile(
    r"(?=[累全今我共合\d截月项比])(?:" + _AGGREGATE.pattern + ")"
)  # a quick first look at the first character


def money_role(text: str, start: int, clause_start: int, outlook: bool = False) -> str:
    """'investment', 'phase', 'revenue' or 'other', from the words just before an amount."""
    before = text[clause_start:start]
    if "带动" in before:
        return "other"  # 可带动下游产业新增产值100亿元: what it brings others, not its own
    # (each pattern is tried only when the words before hold a character all its matches have:
    # a search ending in $ is tried at every character)
    sales = "产值" in before or "销" in before or "营" in before or "开票" in before
    if "期" in before and _PHASE.search(before):
        return "phase"
    if "总" in before and _TOTAL.search(before):
        return "investment"
    if ("年" in before and _REVENUE.search(before)) or (sales and _EXPECTED_REVENUE.search(before)):
        return "revenue"
    if outlook and sales and _OUTPUT.search(before):
        return "revenue"  # 项目全面建成后,…,实现产值100亿元: the output expected at full production
    if ("资" in before or "额" in before) and _INVEST.search(before):
        return "investment"
    return "other"


def clause_start(text: str, pos: int, floor: int) -> int:
    for i in range(pos - 1, max(floor, pos - 60) - 1, -1):
        if text[i] in ",，;；。！？!?\n":
            return i + 1
    return max(floor, pos - 60)


def capacity_product(text: str, start: int, end: int, limit: int) -> str | None:
    """The product a capacity counts: after the unit ('18GWh动力电池'), else before ('年产电控设备100万台')."""
    after = text[end : min(end + 30, limit)]
    if after.startswith("的"):  # 年产13万吨的X项目
        m = _PRODUCT_OF.match(after)
        return m.group(1) if m else None
    m = _PRODUCT_AFTER.match(after)
    if m and len(m.group()) >= 2:
        return m.group()
    m = re.search(
        rf"(?:年产|年产能|产能|年加工|年处理|年生产|可生产|可年产)([{HAN}A-Za-z]{{2,20}}?)(?:约|达到?|近|超过?)?$",
        text[max(start - 25, 0) : start],
    )
    return m.group(1) if m else None


# ---- indicators --------------------------------------------------------------------------

INDICATOR_VALUE = re.compile(
    # (the number opens on one class of characters, which the engine scans for fast; the
    # look-behinds after it read the character before the number)
    rf"(?P<number>[\d百千](?<![\d.第].)(?:(?<=\d)\d*(?:,\d{{3}})*(?:\.\d+)?|(?<=[超逾近约达过破].)(?<=[百千])(?=亿|万)))"
    rf"(?P<approx>多|余)?(?P<scale>万亿|亿|万|千)?"
    rf"(?P<unit>{gz.INDICATOR_UNITS})(?!(?<=个)月)"  # 前8个月 is a period, not a count
)
_YOY = re.compile(
    r"(?:同比|比上年|较上年|比去年同期|较去年同期)?"
    r"(?P<dir>增长|增加|提高|上升|下降|减少|回落|下滑|降低|比增|增幅|增速|降幅)(?:了|为|达到?)?(?P<pct>\d+(?:\.\d+)?)%"
)
_YOY = re.compile(
    r"(?=[同比较增提上下减回降])(?:" + _YOY.pattern + ")"
)  # a quick first look at the first character
_NEGATIVE = ("下降", "减少", "回落", "下滑", "降低", "降幅")
_IND_LEAD = re.compile(
    r"^(?:全区|全市|全县|全镇|全省|全州|全旗|全盟|我区|我市|我县|该市|该县|该区|元月|全年|今年以来|今年|本年度(?=截至|截止)|累计(?!完成投资)|实现|完成(?!投资|率|年度(?:目标)?任务项目)|共|其中|上报|"
    r"预计|力争|将|已|另外|此外|同时|目前|截至目前|据了解|\d(?![\d.]*(?:万亿|亿|万|千)?(?:美元|元))[\d\-~至到月份年度底末]*|[,，:：、“]|"
    r"前三季度|上半年|下半年|第?[一二三四]季度|年初以来|去年|前(?:\d{1,2}|[一二三四五六七八九十]{1,3})个?月份?|"
    r"[一二三四五六七八九十]+个?(?:市地|地市|市州|县区|县市区|县市|市县|区县|乡镇|镇街)|"  # 七市地: the places counted
    r"[{HAN}]{{0,6}}?(?:共谋划|谋划|安排|确定|共有|拥有|列入|下达|方面|实施)|有(?=总)|在(?=续建|新建|总投资))+".replace(
        "{HAN}", HAN
    )
    .replace("{{", "{")
    .replace("}}", "}")
)
# The place a statistic is of (吴忠市, 延边州, 巴林左旗): the indicator's name leaves it out
# (not 省市县 / 县区, classes of level; not 市场, 地区生产总值).
_PLACE = re.compile(
    rf"^(?:[{HAN}](?<![省市县区州旗全我本各已])[{HAN}]{{1,5}}?(?:自治区|自治州|自治县|自治旗|省|市|州|县|旗|盟|新区|(?<![园社景片校矿库辖城])区)"
    r"(?!场|生产|级|内|域|外|直|[省市县区州旗]))+"
)
_IND_TAIL = re.compile(
    r"(?:达到|达|为|实现|完成|共|约|超过|超|过|有|是|突破|累计|总计|合计|计|近|逾|高达|首次|首度|再次|一举|已(?=有|达|超))+$"
)
# The lead of place and time only: 全年谋划实施项目382个 keeps 谋划实施项目 when the full lead leaves 项目.
_IND_PLACE_LEAD = re.compile(
    r"^(?:全区|全市|全县|全镇|全省|全州|全旗|全盟|我区|我市|我县|该市|该县|该区|元月|全年|今年以来|今年|其中|\d[\d\-~至到月份年度底末]*|[,，:：、“]|"
    r"前三季度|上半年|下半年|第?[一二三四]季度|年初以来|去年)+"
)
# 列入某某市重点项目95项, 纳入自治区X项目10个: a count in the programme of a place above keeps
# the verb and the place (not 重点项目, the area's own)
_INTO_LEVEL = re.compile(
    rf"(?:列入|纳入)(?P<level>国家|省|自治区|[{HAN}]{{2,5}}?(?:自治区|省|市|州))(?P<rest>[{HAN}“”]*)$"
)
_INTO_PREFIX = re.compile(rf"^(?:列入|纳入)(?:国家|省|自治区|[{HAN}]{{2,5}}?(?:自治区|省|市|州))")
_TOTAL_OF_STAGE = re.compile(
    r"(?<=[^,，])共(?=(?:签约|开工|开复工|复工|竣工|投产|建成|落地|引进|实施)[^,，]*项目$)"
)
_IND_VERB = re.compile(r"(?:组建|新建|建成|引进|培育|新增|完成|实施|开展|举办|设立)了?$")
# Cheap looks before the patterns: the last character each of their matches can end in, and
# the characters every place name of _PLACE holds.
_IND_TAIL_ENDS = frozenset("到达为现成共约过超有是破计近逾次度举")
_IND_VERB_ENDS = frozenset("建成进育增施展办立了")
_PLACE_ENDS = frozenset("区州县省市旗盟")
_SCALE = {None: 1, "千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12}


_GROWTH_BEFORE = re.compile(r"(?:增长|下降|增加|减少|提高|上升|回落|比增|增速|增幅)(?:了|约|达|为|分别)*$")
# A measure whose subject the sentence gives before it: 全市安排重点项目458个,总投资7206.7亿元
# → 重点项目总投资 (corpus README: indicators).
_RELATIVE_MEASURE = re.compile(
    r"^(?:(?:计划)?总投资额?|投资总额|(?:年度|当年|年)?计划(?:完成)?投资|(?:年度|当年|本年)(?:完成)?投资|(?:累计|已)?完成投资|投资|"
    r"总规模|已开工|新开工|竣工|实现产值|产值|概算投资|投入|净增|(?:年内|今年|本年度?)(?:计划)?(?:完成)?投资)$"
)
# 其中133个续建项目完成投资454.31亿元: a count before the thing counted, then its measures.
# Figures that qualify a named project (总投资10.6亿元的X项目), not the area's.
_PROJECT_FIGURE = re.compile(r"总投资[^,，;；。]*的$|投资[^,，;；。]*的$")
# (A、B等48个复工项目稳步推进 / 等8个总投资127亿元项目开工建设 / 等5个亿元项目竣工投产)
_STAGE_COUNT = re.compile(
    r"等(?P<count>\d+)个(?:(?P<pre>复工|新建|续建|新开工|开复工|在建)|总投资(?P<money>\d+(?:\.\d+)?[亿万]元)的?"
    r"|(?P<kind>亿元以上|亿元))?项目(?P<stage>建成投产|开工建设|竣工投产|建成|投产|开工|竣工|签约落地)?"
)
_AREA_SUBJECT = re.compile(r"(?:[省市县区]级)?(?:重点|重大)(?:建设|工程)?项目|(?:重点|重大)(?:建设)?工程")
_COUNT_LEAD = re.compile(
    r"^(?:其中|另外|此外|全市|全区|全县|全省|全州|全旗|自治区|我市|我区|我县|该市|该县|该区|元月|累计|共|有|[,，:：、]|"
    r"(?:安排|确定|列入|谋划)了?(?=\d))+"  # 安排了140个市级重点项目: the verb that sets the count
)
_COUNT_FIRST = re.compile(
    rf"^(?:其中|共|有)?(?P<count>\d+)(?P<unit>个|项)(?P<name>[{HAN}“](?:[{HAN}“]|、(?=[{HAN}])){{1,12}}?(?:项目|工程|基金)”?)"
)
_A_COUNT = re.compile(r"\d+[个项]")


def count_first(clause: str) -> re.Match | None:
    """30个重点项目, 某市安排了30个重点项目: a count before the thing counted, after a lead."""
    if "个" not in clause and "项" not in clause:
        return None  # every count is of 个 or 项
    lead = _COUNT_LEAD.sub("", clause)
    m = _COUNT_FIRST.match(lead)
    if m is None and not lead[:1].isdigit() and _A_COUNT.search(lead):
        m = _COUNT_FIRST.match(_COUNT_LEAD.sub("", _PLACE.sub("", lead)))  # after the place
    return m


# 组建振川一号、盈润一号等5只产业投资基金: examples, then the count of the whole.
_COUNT_LAST = re.compile(rf"等(?P<count>\d+)(?P<unit>个|只|家|项|所)(?P<name>[{HAN}]{{3,12}})$")
# Figures of the batch an event starts or visits describe the event, not the area
# (这12个项目当中有9个…, 上述9个项目总投资…: the batch just counted or listed, taken up again).
_BATCH = re.compile(
    r"此次|本次|这次|这批|本批|当天|活动|仪式|集中(?:开复工|复工|开工|竣工|签约|投产)|开竣工|现场签约"
    r"|(?:这|上述)\d+个[^,，。;；]{0,6}?项目"
    r"|在[^,，。;；]{0,8}?的?(?:开工|签约|开复工|竣工|投产)\d+个[^,，。;；]{0,6}?项目中"  # 在二季度的开工7个项目中
)
# 本次集中开工项目10个。主要有:A类项目3个…: the next sentence tells the parts of the batch
_BATCH_PARTS = re.compile(
    r"\s*(?:(?:其中|主要有|主要包括|包括|分别是|分别为|涵盖|具体为)|(?:现场|集中)?(?:开工|开复工|签约|竣工|投产)项目(?:共|有)?\d"
    r"|(?:从|按|按照|根据|依据)[^,，。;；]{1,10}?(?:来看|看|划分|分)|分[^,，。;；:：]{1,4}看[,，:：])"  # 从项目类别来看: by kinds
)
# 根据位置划分,A街道项目3个…: the batch told earlier in the report, by place or kind
# (分地区看:A区项目16个…: told before the venue the report sets at a project's site)
_BREAKDOWN_LEAD = re.compile(
    r"\s*(?:(?:按|按照|根据|依据)[^,，。;；]{1,8}?划分[,，]|分[^,，。;；:：]{1,4}看[,，:：])"
)
# 分会场设在X项目现场: a ceremony's venue at a project's site (an outing, and the report's batch)
_SITE_VENUE = re.compile(r"[主分]会场(?:设在|设于|位于)[^,，。;；]{2,60}?项目(?:现场|工地)")
_PARTS_REACH = 2  # a batch's parts may follow it after a sentence on something else (项目主要集中在…)
_INSTRUCTION = re.compile(r"(?:说|指出|强调|要求)[,，:：]\s*要")
# (该市元月集中开工项目51个, 3月份集中开工…: a month's tally, not a ceremony's batch)
_WHOLE_YEAR = re.compile(r"[,，;；]?(?:预计|力争)?全年")
_MONTHS_TALLY = re.compile(r"元月|\d月份")  # (该市元月集中开工、签约项目51个: a month's tally)
_RUNNING_TOTAL = re.compile(r"累计|全年|共举办|今年以来|" + _MONTHS_TALLY.pattern)
# (a yes/no test: found from its first character, a class the regex engine scans for, and read
# on from there; \d月份 keeps the alternatives from opening on a literal each)
_RUNNING_TOTAL = re.compile(r"[累全共今元\d](?<=(?=(?:" + _RUNNING_TOTAL.pattern + r"))(?s:.))")
# A report of a start, signing or opening ceremony: its counts of projects by that stage
# (一季度开工项目20个, 计划签约项目22个) are the ceremony's batch, unless told as running totals.
_CEREMONY_REPORT = re.compile(  # (every alternative opens on a character: it reads the whole report)
    r"集中(?:开工|开复工|复工|签约|投产|竣工)|开工(?:活动|仪式)|开复工(?:活动|仪式)|签约(?:活动|仪式)|投产(?:活动|仪式)"
    r"|竣工(?:活动|仪式)"
)
_BATCH_STAGE = re.compile(r"(?:计划|拟)?(?:集中)?(?:新?开工|开复工|复工|签约|投产|竣工|开竣工)项目")
_SINCE = re.compile(
    r"累计|全年|今年以来|年初以来|截至|截止|目前|上半年|前三季度"
    r"|\d{1,2}\s*[-~至到—]\s*\d{1,2}\s*月|前[\d一二三四五六七八九十]+个?月"  # 1-5月, 前8个月
)
_GROWTH_WORD = re.compile(r"增长|下降|增加|减少|提高|上升|回落|比增|增速|增幅")
# What a project is expected to yield, not what the area has: 建成后预计年销售收入 (and a plant's
# yearly throughput, 年屠宰肉牛5万头, 年加工玉米8万吨; what it can do, 可解决就业200人, 可产X).
_PROJECT_OUTLOOK = re.compile(  # (every alternative opens on a character: the engine scans for those)
    r"位于|将建设|年产|年加工|年屠宰|年处理|年深加工|年深屠宰|年深处理|年精加工|年精屠宰|年精处理|"
    r"年粗加工|年粗屠宰|年粗处理|产能|生产能力|生产线|建成后|投产后|达产后|达效后|运营后|竣工后|"
    r"可实现|可产|可生产|可解决|可带动|可安置|可提供|预计|将实现|将达产|"
    r"占地|用地|建筑面积|项目总投资|该|公司|是由|拟投资|一期|二期|三期|四期|首期"
)


_VALUE_TEXT = rf"\d+(?:,\d{{3}})*(?:\.\d+)?(?:多|余)?(?:万亿|亿|万|千)?(?:{gz.INDICATOR_UNITS})"
# 市、县重点建设项目分别完成投资38.64亿元、82.5亿元: one measure of several subjects, in order
# (subjects of one length: 市、县 / 工业、农业).
_RESPECTIVELY = [
    re.compile(
        rf"^(?P<pre>.*?)(?P<heads>[{HAN}]{{{n}}}(?:、[{HAN}]{{{n}}})+)(?P<common>[{HAN}]*?)分别"
        rf"(?P<measure>[{HAN}]*?)(?P<values>{_VALUE_TEXT}(?:、{_VALUE_TEXT})+)$"
    )
    for n in (1, 2, 3, 4)
]


_RESPECTIVELY_UNEVEN = re.compile(
    rf"^(?P<heads>[{HAN}]{{2,16}}(?:、[{HAN}]{{2,16}})*(?:和|及|与)[{HAN}]{{2,16}}?)分别(?:实现|达到|达|为|完成)?"
    rf"(?P<measure>[{HAN}]{{2,8}}?)(?P<values>{_VALUE_TEXT}(?:、{_VALUE_TEXT})*(?:和|及|与){_VALUE_TEXT})$"
)
_LAST_JOINED = re.compile(r"、|和|及|与")
_TOWN_AND_COUNTRY = re.compile(
    rf"^.*?(?:城乡|城镇和农村|城镇与农村)居民(?P<name>[{HAN}]+?)分别(?:达到|达|为)?(?P<values>{_VALUE_TEXT}、{_VALUE_TEXT})$"
)
_BRACKETS = re.compile(r"\([^()]*\)")
# (亿元以上9个,10亿元以上1个): the parts of a class of projects by size, inside its brackets
_SIZE_PART = re.compile(
    r"(?<=[(,，、;；])(?P<size>\d*(?:\.\d+)?(?:万亿|亿|万)?元以上)(?P<count>\d+)(?P<unit>个|项)"
)
_COUNT_UNITS = ("家", "个", "项", "户", "所", "人")


_PARTS_THEN_WHOLE = re.compile(
    r"\d+[个项][^,，;；]{2,16}?项目(?:和|及|、)\d+[个项][^,，;；]{2,20}?项目共\d+[个项]"
)
_COUNT_BREAK = re.compile(r"(?<=项目)(?:和|及|、|共)(?=\d+[个项])")


_AMOUNT_OF_CLASS = re.compile(
    rf"总投资(?P<amount>\d+(?:\.\d+)?(?:万亿|亿|万)?元)的(?P<name>[{HAN}“”]{{2,14}}?项目)(?P<count>\d+[个项])$"
)

# 并有3个项目竣工 / 总投资20亿元的8个项目已于3月份集中开工: bare projects counted, then the stage
# they reached (and their total before them) → 竣工项目3个 | 总投资20亿元
_STAGE_AFTER_COUNT = ("开工", "复工", "竣工", "投产", "建成", "开工建设", "签约", "签约落地", "投运", "任务")
_COUNT_THEN_STAGE = re.compile(
    r"(?<!等)(?:总投资(?P<amount>\d+(?:\.\d+)?(?:万亿|亿|万)?元)的)?(?P<count>\d+[个项])项目"
    r"(?:已经?|均|也|顺利)?(?:于[^,，;；的]{1,10}?)?(?P<stage>(?:集中)?(?:开复工|开工建设|开工|复工|竣工投产|建成投产|竣工|投产|建成)"
    r"|签约落地|签约|投产或投运|完成年度(?:目标)?任务)$"  # (40个项目顺利投产或投运, 62个项目完成年度目标任务)
)

# 4个省重点项目、8个市重点项目和12个园区项目: classes of projects, each counted before its name
_COUNTED_CLASSES = re.compile(
    rf"[^、]*?\d+[个项][{HAN}“”]{{1,12}}?项目(?:(?:、|和|及|以及)\d+[个项][{HAN}“”]{{1,12}}?项目)+"
)
_TALLY_LEAD = re.compile(r"\s*[而但]?(?:截至|截止|到)目前")
_COUNTED_CLASS_BREAK = re.compile(r"、|(?:和|及|以及)(?=\d)")
# …,投资完成率分别达到100%、95%和98%: one measure of the classes counted just before, in order
_RESPECTIVE_LEVELS = re.compile(
    rf"^(?P<measure>[{HAN}]{{2,12}}?)分别(?:达到|达|为|是)?(?P<values>{_VALUE_TEXT}(?:(?:、|和|及|与){_VALUE_TEXT})+)$"
)

# 全区共有516家企业复工复产: things other than projects counted (after 有/共 or first), then the
# stage they reached (not 入驻46家企业陆续投产: what the count is of is the verb before it)
_DONE_AFTER_COUNT = ("复工", "复产", "开工", "投产", "竣工")
_COUNT_THEN_DONE = re.compile(
    rf"(?:^|有|共)(?P<count>\d+(?:家|户|个))(?P<noun>[{HAN}]{{2,4}}?)(?<!项目)(?:已经?|均|也|全部|陆续|相继)?"
    r"(?P<stage>复工复产|开复工|复工|复产|开工|投产|竣工)$"
)


def split_values(clause: str) -> list[str]:
    """A clause with several figures as one clause per figure: 工业投资90亿元、技改投资28亿元
    → 工业投资90亿元 | 技改投资28亿元; 市、县X分别完成投资A、B → 市X完成投资A | 县X完成投资B."""
    if clause.endswith(_STAGE_AFTER_COUNT) and (reached := _COUNT_THEN_STAGE.search(clause)) is not None:
        parts = [reached.group("stage") + "项目" + reached.group("count")]
        return parts + ["总投资" + reached.group("amount")] if reached.group("amount") else parts
    if clause.endswith(_DONE_AFTER_COUNT) and (done := _COUNT_THEN_DONE.search(clause)) is not None:
        return [done.group("stage") + done.group("noun") + done.group("count")]  # 复工复产企业516家
    if "的" in clause and (qualified := _AMOUNT_OF_CLASS.search(clause)) is not None:
        # 确定了总投资280亿元的省市县重点项目50个: the class counted, then its total
        return [qualified.group("name") + qualified.group("count"), "总投资" + qualified.group("amount")]
    if "共" in clause and _PARTS_THEN_WHOLE.search(clause):
        # 3个产业项目和33个民生项目共36个省重点项目: the parts, then the whole (counted last)
        return _COUNT_BREAK.split(clause)
    if "项目" in clause and _COUNTED_CLASSES.fullmatch(clause):
        return _COUNTED_CLASS_BREAK.split(clause)  # 4个省重点项目、8个市重点项目和12个X项目: each class
    if "、" not in clause or _PROJECT_OUTLOOK.search(clause):
        return [clause]
    town_country = _TOWN_AND_COUNTRY.match(clause) if "分别" in clause else None
    if town_country:  # 城乡居民人均可支配收入分别达55072元、37787元: town's, then country's
        name, values = town_country.group("name"), town_country.group("values").split("、")
        return [f"城镇居民{name}{values[0]}", f"农村居民{name}{values[1]}"]
    for pattern in _RESPECTIVELY if "分别" in clause else ():
        m = pattern.match(clause)
        heads, values = (m.group("heads").split("、"), m.group("values").split("、")) if m else ((), ())
        if m and heads and len(heads) == len(values):
            return [
                m.group("pre") + h + m.group("common") + m.group("measure") + v
                for h, v in zip(heads, values, strict=True)
            ]
    uneven = _RESPECTIVELY_UNEVEN.match(clause) if "分别" in clause else None
    if uneven:  # 电气机械制造业、金属制品业和纺织行业分别实现增加值A、B和C: heads of any length
        heads = _LAST_JOINED.split(uneven.group("heads"))
        values = _LAST_JOINED.split(uneven.group("values"))
        if len(heads) == len(values):
            return [h + uneven.group("measure") + v for h, v in zip(heads, values, strict=True)]
    parts = clause.split("、")
    # (not a threshold: 百亿级项目1个、50亿元以上项目2个 → 1个 | 2个)
    figures = [first_statistic_value(part, []) for part in parts]
    # 工业4家、建筑业56家: bare parts of a count are not indicators (corpus README)
    if all(v and v.group("unit") not in _COUNT_UNITS for v in figures):
        return parts
    counts = [bool(v and v.group("unit") in _COUNT_UNITS) for v in figures]
    # (each part but the last ends in its figure: 283个省、市重点项目… is one name, not two parts)
    ends = all(v and v.end() == len(part) for v, part in zip(figures[:-1], parts, strict=False))
    if (
        all(figures)
        and ends
        and (
            not all(counts)  # 签约项目9个、签约资金32.89亿元: a count and a measure
            or all("项目" in part for part in parts)  # 项目储备66个、长线谋划项目17个: counts of named kinds
            # 签约项目30个、竣工投产12个: projects counted, then how many of them reached a stage
            or ("项目" in parts[0] and all(_STAGE_ONLY.match(part) for part in parts[1:]))
        )
    ):
        return parts
    if len(parts) > 2 and all(counts):
        return []
    return [clause]


_THRESHOLD = ("以上", "以下", "以内")
# GDP, CPI: a statistic named by its Latin abbreviation
_ACRONYM = re.compile(r"[A-Z]{2,5}")
_AMOUNT_RANGE = re.compile(
    r"(?=\d)\d+(?:\.\d+)?(?:万亿|亿|万)?元?[-—~至到](?:\d+(?:\.\d+)?)?(?:万亿|亿|万)元"
)
_THRESHOLD_TEXT = re.compile(r"\d+(?:\.\d+)?(?:万亿|亿|万)?元?(?:以上|以下|以内)")


_TASK_FORCES = ("专班", "小组", "工作组", "指挥部", "招商团队")
_YUAN_LEFT_OUT = re.compile(
    r"(?:额|资金|投资|收入|产值|总值|营收)[^\d,，;；。]{0,4}(?:\d+(?:\.\d+)?|(?<=[超逾近约达过破])[百千])(?:万亿|亿|万)(?=[,，;；。！？!?\n]?$)"
)


def first_statistic_value(
    clause: str, ranges: list[tuple[int, int]], first: re.Match | None = None
) -> re.Match | None:
    """The first value of the clause that is not a threshold (5亿元以上项目5个 → 5个) nor inside a
    span of amounts (500万元-1亿元项目12个 → 12个). `first`, the clause's first INDICATOR_VALUE
    match when the caller has already found it, is where the search starts (the clause is read once)."""

    def statistic(value: re.Match) -> bool:
        if clause.startswith("项目", value.end()) and value.group("unit").endswith("元"):
            return False  # 超千万元项目13个, 20亿元项目2个: an amount before 项目 marks off a class by size
        return not clause.startswith(_THRESHOLD, value.end()) and not (
            ranges and any(x <= value.start() < y for x, y in ranges)
        )

    values: Iterator[re.Match] = INDICATOR_VALUE.finditer(clause)
    if first is not None and first.string is clause:  # (not a match in another text)
        # the rest from where it ends (a look-behind still sees the characters before it)
        values = chain((first,), INDICATOR_VALUE.finditer(clause, first.end()))
    return next(filter(statistic, values), None)


# 比重由2023年的10%上升为35%: a level told with the one it changed from; the value is the new one
_CHANGED_TO = re.compile(
    r"[由从][^,，;；由从]*?\d[^,，;；]*?(?:上升|提高|增长|增加|下降|降低|减少|扩大|缩小|升至|降至)(?:为|到|至)?(?=\d)"
)
_YEAR_OF_LEVEL = re.compile(
    r"(?:19|20)\d\d年(?:底|末)?(?=\d)"
)  # 增加到2019年172.94亿元: the year of the level now


# 纳入《2020年X市重大项目名单》管理的项目: projects counted by the list they are in, named by its kind
_LISTED_IN = re.compile(rf"(?P<kind>[{HAN}]{{2,8}}?)项目(?:名单|清单|库)》(?:管理|调度)?的?项目$")


def indicator_from_clause(clause: str, first_value: re.Match | None = None) -> dict | None:
    """'全区规模以上企业456家' → {name: 规模以上企业, value: 456, unit: 家}; None if not one.
    `first_value`: INDICATOR_VALUE's first match in this very clause, if the caller has it."""
    if ("由" in clause or "从" in clause) and (change := _CHANGED_TO.search(clause)) is not None:
        after = change.end()  # 比重由10%上升为35%: the level now (and the year it is of, read as the period)
        if year := _YEAR_OF_LEVEL.match(clause, after):
            after = year.end()
        clause = clause[: change.start()] + clause[after:]
    if "元" not in clause and ("亿" in clause or "万" in clause) and (yuan := _YUAN_LEFT_OUT.search(clause)):
        clause = clause[: yuan.end()] + "元"  # 合同额过百亿: an amount of money written without 元
    # 5亿元以上项目5个: a threshold is part of the name; the value comes after it
    # 500万元-1亿元项目: a span of amounts marks off a class of projects, like a threshold
    spans_amounts = "元" in clause and (
        "-" in clause or "—" in clause or "~" in clause or "至" in clause or "到" in clause
    )
    ranges = [r.span() for r in _AMOUNT_RANGE.finditer(clause)] if spans_amounts else []
    m = first_statistic_value(clause, ranges, first_value)
    if not m or clause.lstrip().startswith(("同比", "增长", "比上年", "较上年")):
        return None
    if clause.lstrip().startswith("占") and "比重" not in clause[: m.start()]:
        return None  # 占年度计划的73%: a share of a plan; 占全市X的比重为69.3%: a named share
    number = parse_number(m.group("number"))  # 1,234.5 → 1234.5, 百 → 100 (超百亿元)
    unit = m.group("unit")
    if number is None or unit == "个百分点":
        return None
    value = number * _SCALE[m.group("scale")]
    if unit.endswith("元"):
        value *= {"亿元": 1e8, "万元": 1e4, "元": 1, "亿美元": 1e8, "万美元": 1e4, "美元": 1}[unit]
        unit = "美元" if "美元" in unit else "元"
    name = _SPACES.sub("", clause[: m.start()])
    if unit == "%" and _GROWTH_BEFORE.search(name):
        return None  # 固定资产投资同比增长12%: growth without a level (SCHEMA.md)
    following = clause[m.end() : m.end() + 2]
    if following.startswith(("以上", "以下", "以内")) or name.endswith("的"):
        return None  # a threshold (10亿元以上项目) or a share (计划的74.9%), not a statistic
    counted_noun = unit in ("个", "所", "家", "项", "户") and _HAN_CHAR.match(following)
    if unit in ("平方米", "万平方米", "亩", "公里") and (
        _HAN_CHAR.match(following) or _BUILDING.search(name) or _DIMENSION.search(name)
    ):
        return None  # 新建标准厂房8万平方米, 路线总长8.7公里: the size of a work, not a statistic
    if "、" in name and "等" in name:  # 明阳风电、辰泽提氦等500万元以上重点项目: examples, then the class
        examples, name = name.rsplit("等", 1)
        verb = gz.segment(_IND_LEAD.sub("", examples))[0] if examples else ""
        if name in ("项目", "工程") and verb in gz.DISCOURSE_VERBS:
            name = verb + name  # 争取A、B等项目17个: what was done with the projects names them
    whole = name
    bare = name = _PLACE.sub("", name) if not _PLACE_ENDS.isdisjoint(name) else name
    name = _IND_LEAD.sub("", name)
    if name in ("项目", "工程"):
        name = _IND_PLACE_LEAD.sub("", bare)
    if "年" in name:
        name = _YEAR_LEAD.sub("", name)  # 石泉县2022年市重点建设项目 → 市重点建设项目
    if name[-1:] in _IND_TAIL_ENDS:
        name = _IND_TAIL.sub("", name)
    name = name.rstrip("的")
    if ("列入" in whole or "纳入" in whole) and name.endswith("项目") and (into := _INTO_LEVEL.search(whole)):
        rest = _IND_TAIL.sub("", into.group("rest")).replace("“", "").replace("”", "")
        if rest == name.replace("“", "").replace("”", ""):  # (the place the name had lost comes back)
            name = whole[into.start() : into.end("level")] + rest
    if "》" in name and name.endswith("项目") and (listed := _LISTED_IN.search(name)):
        name = _PLACE.sub("", listed.group("kind")) + "项目"  # 纳入《X市重大项目名单》管理的项目: its kind
    if "共" in name[1:] and name.endswith("项目") and (total := _TOTAL_OF_STAGE.search(name)):
        name = name[total.end() :]  # 三大园区共签约项目217个: what comes before 共 is whose, not what
    if name.endswith("项目计划"):
        name = name[:-2]  # 下达市重点项目计划340项: the plan lists the projects counted
    if name.endswith("各") or (unit in ("家", "户") and _BARE_STAGE.fullmatch(name)):
        return None  # A类、B类项目各1个: a count shared by several parts; 在建6家: firms of no name
    if (name[-1:] in _IND_VERB_ENDS and _IND_VERB.search(name)) or counted_noun:
        # 组建了17个教育集团: the thing counted follows the number
        tail = _HAN_WORD.match(clause, m.end())
        name = tail.group() if tail and _IND_VERB.search(clause[: m.start()]) else ""
    name = name.replace("“", "").replace("”", "")
    if name.startswith("为") or name.endswith(_TASK_FORCES):
        # 为中小企业解决资金3500万元: what was done for someone; 组建23个工作专班: an office's teams
        return None
    if unit == "个" and (name.endswith("棚") or _BUILDING.search(name)):
        return None  # 其中主体厂房4个, 新建100个育苗大棚: the buildings of a work, not a statistic
    if (
        not (2 <= len(name) <= 30)
        or name.endswith("等")
        or not (_HAN_CHAR.search(name) or _ACRONYM.fullmatch(name))
    ):
        return None
    if _BARE_LEVEL.fullmatch(name):
        return None  # 省级6项: a bare part of a whole told before (corpus README: indicators)
    if (
        _DIGIT.search(name)
        and _DIGIT.search(
            _AMOUNT_RANGE.sub("", _THRESHOLD_TEXT.sub("", name)) if ranges else _THRESHOLD_TEXT.sub("", name)
        )
    ) or _PROJECT_OUTLOOK.search(name):
        return None
    if (
        gz.segment(name)[-1] in gz.DISCOURSE_VERBS
        and not name.endswith("投资")
        and not _RELATIVE_MEASURE.match(name)
    ):
        return None
    if unit == "%" and _GROWTH_WORD.search(name) and not name.endswith(("率", "比重", "面")):
        return None
    return {"name": name, "value": plain(value), "unit": unit}


# ---- events ------------------------------------------------------------------------------

_EVENT_TITLE = re.compile(
    rf"(?:“[^”]{{1,20}}”|\d{{4}}年度[{HAN}]{{0,10}}?)?(?:第[一二三四五六七八九十\d]+次)?$"
)
_RIGHT_AFTER = re.compile(
    r"(?:本报讯\s*)?(?:活动结束后|仪式结束后|会后|随后|当天下午|当天上午"
    r"|(?:参加|出席)[^,，。]{0,12}?(?:仪式|活动|会议)(?:结束)?后)"  # 参加开工仪式后,X还查看了…
)
_CEREMONY = re.compile(r"开工|复工|竣工|开\(竣\)工|签约|投产|仪式")
_CEREMONY_COUNT = re.compile(
    r"(?P<n>\d+)个[^,，。;；]{0,12}?项目(?:近日|日前|今天|今日|昨天|当天)?(?:集中)?(?:开复工|开工|复工|竣工|投产|签约)"
    r"|集中(?:开复工|开工|复工|竣工|投产|签约)(?:的(?P<k>\d+)个|[^,，。;；]{0,10}?项目(?:共有|共|有)?(?P<m>\d+)个)"
)
_SIGNING_ONLY = re.compile(r"(?:重点项目|重大项目|项目)?(?:集中)?签约(?:仪式|活动)?")
_WORKS_START = re.compile(r"开工|复工|竣工|投产")
_HELD = re.compile(r"举行|举办|宣布|启动")
_TITLE_SUFFIX = re.compile(r"(?:会议|会|活动)$")
_ANNOUNCES = re.compile(r"宣布[^,，。;；]{0,4}开工|致辞|讲话")
_NOT_LEADER = re.compile(r"[^,，。;；]{0,12}?(?:参加|陪同|出席|列席)")


@dataclass
class Event:
    kind: str
    title: str
    date: date | None
    leaders: list[str]
    project_count: int | None
    evidence: list[dict] = field(default_factory=list)

    def accepts(self, other: Event) -> bool:
        # a ceremony and the inspection tour after it are two outings (corpus README: events)
        if bool(_CEREMONY.search(self.kind)) != bool(_CEREMONY.search(other.kind)):
            return False
        if self.date and other.date:
            return self.date == other.date  # one outing of a sort a day
        mine, theirs = (_TITLE_SUFFIX.sub("", t) for t in (self.title, other.title))
        if mine and theirs and "第" in mine + theirs and mine not in theirs and theirs not in mine:
            return False  # 第一次 and 第四次 campaigns are different outings
        # an outing told without its date is the one the report is about
        return (
            bool(set(self.leaders) & set(other.leaders))
            or not other.leaders
            or not (self.date and other.date)
        )

    def absorb(self, other: Event) -> None:
        if len(other.kind) > len(self.kind):
            self.kind = other.kind
        if len(other.title) > len(self.title):
            self.title = other.title
        self.date = self.date or other.date
        self.leaders += [n for n in other.leaders if n not in self.leaders]
        self.project_count = self.project_count or other.project_count
        self.evidence += other.evidence[: max(0, 4 - len(self.evidence))]

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "leaders": self.leaders,
            "project_count": self.project_count,
            "title": self.title or None,
            "evidence": self.evidence,
        }


# Projects a later short or bare name may refer to: the last ones told (keeps long inputs linear).
_RECENT_PROJECTS = 30
_EVENT_HINT = re.compile(
    r"督查|督导|调研|观摩|视察|考察|巡查|检查|拉练|评议|察看|查看|开工|竣工|集中开|签约|投产|现场会|推进会"
)

# ---- confidence ----------------------------------------------------------------------------

# Below this the review page flags a fact for a closer look.
LOW_CONFIDENCE = 0.6


def confidence(kind: str, fact: dict) -> float:
    """How sure the rules are of a fact, 0–1, from what backs it up: a project named as one
    (…项目) with its own figures, an indicator with its period and growth and a short name of
    its own, an official with an office, an outing with its date and leader. A ranking for the
    reviewer, measured against the development corpus (see the corpus README), not a probability."""
    score = 0.6
    if kind == "projects":
        name = fact["name"]
        score += 0.15 * name.endswith("项目") + 0.15 * bool(
            fact["investment"] or fact["capacities"] or fact["annual_revenue"]
        )
        score += 0.05 * bool(fact["company"]) - 0.2 * (len(name) < 6)
    elif kind == "indicators":
        name = fact["name"]
        score += 0.1 * (fact["period"] is not None) + 0.15 * (fact["yoy_pct"] is not None)
        score -= 0.2 * (len(name) > 12) + 0.1 * (fact["unit"] in ("个", "项", "家", "只", "所"))
    elif kind == "people":
        score += 0.3 if fact["titles"] else 0.05
    elif kind == "events":
        score += 0.2 * (fact["date"] is not None) + 0.15 * bool(fact["leaders"])
    return round(min(max(score, 0.05), 0.99), 2)


# ---- the document ------------------------------------------------------------------------

# Sentences worth a closer look carry a digit, 项目, an outing word or a money amount.
_INTERESTING = re.compile(r"项目|\d|督查|督导|调研|观摩|视察|考察|开工|竣工|检查|巡查|拉练|察看|元")
# (the same test, found from its first character, a class the regex engine scans for, and read on from there)
_INTERESTING = re.compile(r"[项\d督调观视考开竣检巡拉察元](?<=(?=(?:" + _INTERESTING.pattern + r"))(?s:.))")


_THE_PROJECT = re.compile(  # (该项目是省重点民生工程,…我县…: a sentence opening on 该项目 is the project's)
    r"(?:(?:据了解|据悉|据介绍)[,，])?"  # (据了解,该项目总投资…: the source told first)
    r"(?:(?:该|这个)项目|此?项目(?:建成|投产|达产|竣工|全面|计划|总投资|预计|将|占地|位于|主要|由))"
)
_THESE_PROJECTS = re.compile(r"(?:这些|上述|以上|这批|各个?)(?:重点|重大)?项目")
_GROWTHS = (
    r"(?:比上年|同比)?(?P<dir>增长|增加|提高|上升|下降|减少|回落|下滑|降低)(?:了|为)?"
    r"\d+(?:\.\d+)?%(?:(?:、|和|与|及|,|，)\d+(?:\.\d+)?%)+"
)
_RESPECTIVE_GROWTH = re.compile("分别" + _GROWTHS)
# 增长36.9%、24.5%和12.3%: growths in order that open their clause, without 分别
_OPENING_GROWTHS = re.compile(_GROWTHS)


def respective_growth(clause: str) -> re.Match | None:
    if "%" not in clause:
        return None
    return _RESPECTIVE_GROWTH.search(clause) or _OPENING_GROWTHS.match(clause)


# A clause of its own subject before its growth (规上工业总产值同比增长9.6%) is not the growth of
# the figure before it.
_GROWTH_SUBJECT = re.compile(rf"[{HAN}]{{2,}}(?<!同比)(?<!比上年)(?<!较上年)(?<!去年同期)(?<!分别)$")
_GROWTH_PREFIX = re.compile(r"(?:同比|比上年|较上年|比去年同期|较去年同期)$")
# 达到325.4亿元: a level with no name of its own
_LEVEL_ONLY = re.compile(r"^(?:总量|规模|总额)?(?:达到|达|为|突破|超过|超|实现)\d")
_BARE_HUNDRED = re.compile(r"[超逾近约达过破][百千][万亿]")
_ELIDED_SUBJECT = re.compile(r"^(?P<threshold>[^,，;；]*?(?:以上|以下))的(?=\d+(?:个|项))")
_BARE_PART = re.compile(r"^(?:其中)?(?:(?:国家|省|市|县|区|镇|乡)级|[省市县区]{1,3})\d+(?:个|项)")
# 其中续建45项,新建51项 / 已开工68个: projects counted by their stage, named without 项目
_STAGE_ONLY = re.compile(
    r"^(?:其中|目前|截至目前|另外|此外|同时|全年|今年|累计|[,，:：])*(?P<stage>(?:已|新|计划)?(?:开复工|开工|复工|续建|"
    rf"新建|竣工投产|建成投产|竣工|投产|建成|完工|签约|在建|储备|前期)(?:建设)?)(?P<count>\d+)(?P<unit>个|项)(?![{HAN}])"
)
# A class of projects marked off by level or size (市级亿元以上重点项目): its stages and rates
# told after it without a name of their own are its (共开复工38项 → 市级…重点项目开复工)
_QUALIFIED_CLASS = re.compile(
    r"(?:[省市县区旗州盟]级|以上|以下|元)[^,，;；]*项目$|^(?:省|市|县|自治区)[^级,，;；]{1,10}项目$"
)
_STAGE_OF_SUBJECT = re.compile(
    r"(?:已|未|新)?(?:开复工|开工|复工|竣工|投产|完工)(?:项目)?|(?:开复工|开工复工|开工|复工|竣工|投资完成)率"
)
_SHARE_IN = re.compile(rf"^(?P<share>对[{HAN}]{{2,16}}?的?贡献率)")
_MEASURE_END = re.compile(r"(?:增加值|总产值|产值|投资|营业收入|收入)$")
_RATE_OF_SUBJECT = re.compile(r"(?:年度|当年|本年度?)?(?P<stage>投资完成|计划完成)率")
_STAGE_PART = re.compile(r"(?:新建|续建|在建|新开工|已开工|计划新开工|前期)项目")
_BARE_STAGE = re.compile(r"开复工|开工|复工|续建|新建|竣工投产|建成投产|竣工|投产|建成|完工|签约|在建")
_PROGRAMME = re.compile(r"(?:实施|安排|谋划|计划|推进)项目$")
_STAGE_LEAD = re.compile(r"(?:已|新|计划)?(?:" + _BARE_STAGE.pattern + "|前期|储备)")
_COUNT_OF_WHOLE = re.compile(rf"^中(?:有)?(?P<count>\d+)(?P<unit>个|项)(?P<what>[{HAN}]{{2,8}})$")
_BARE_LEVEL = re.compile(r"(?:国家|省|市|县|区|镇|乡)级|[省市县区]{1,3}")
_COPULA_CLAUSE = re.compile(r"项目(?:是|为|属于|系|列入|被列为)")
_OUTLOOK_CLAUSE = re.compile(r"(?:建成|投产|达产|达效|运营|竣工)后")
_TOLD_WITH = re.compile(r"实现|完成|达到")
# The year an outing's sentence names (举行2020年…仪式), for a report of unknown date.
_CLASS_COUNT = re.compile(r"(?=[项\d])(?:项目(?:共|共计|合计)?\d+[个项]|\d+[个项][^,，。;；]{0,6}项目)")
# ,今年计划完成投资8500万元,主要建设: between a project and what it builds, in one sentence
_CONTENT_GAP = re.compile(
    r"[^。;；!?！？\n]*[,，](?:项目)?主要(?:实施|建设|建有|包括|生产)(?:内容为|内容是)?[:：]?"
)
_YEAR_IN_SENTENCE = re.compile(r"((?:19|20)\d\d)年")


def _unquoted(name: str) -> str:
    return name.replace("“", "").replace("”", "")


_AREA_UNITS = frozenset(("亩", "平方公里", "公顷", "平方米"))
_PLANNED_AREA = re.compile(r"(?:规划|占地|用地|建设)总?(?:面积|规模)$|^总?(?:面积|规模)$")


class _Extraction:
    def __init__(self, text: str, doc_date: date | None) -> None:
        self.doc = layout(normalise(text))
        self.text = self.doc.text
        self.doc_date = doc_date or document_date(self.text)
        self.people = find_people(self.doc)
        self.book = ProjectBook()
        self.indicators: list[dict] = []
        self.events: list[Event] = []
        self.last_told: Project | None = None
        self.company_head: str | None = None  # a company a paragraph opened on, whose project may follow
        self.ceremony = _CEREMONY_REPORT.search(self.text) is not None
        self.site_venue = "会场" in self.text and _SITE_VENUE.search(self.text) is not None
        self.breakdown = -1  # the paragraph that opens on a breakdown of the batch (分地区看:…)
        names = sorted(self.people, key=len, reverse=True)
        self.name_re = re.compile("|".join(map(re.escape, names))) if names else None

    def run(self) -> dict:
        headline = 0  # how many indicators the headline told (a first line without a full stop)
        for start, end in self.doc.paragraphs:
            if _INTERESTING.search(self.text, start, end):
                self.paragraph(start, end)
            elif "公司" in self.text[start : start + 40]:
                self.opens_on_company(start, end)
            if start == self.doc.paragraphs[0][0] and self.text.find("。", start, end) < 0:
                headline = len(self.indicators)
        told = {(item["value"], item["unit"]) for item in self.indicators[headline:]} if headline else set()
        seen: set[tuple] = set()  # a figure the report repeats is one indicator
        indicators: list[dict] = []
        # 110个开工固投项目扎实推进 above …目前,110个开工项目…: the headline's figure told again
        # in the body is the body's, by the body's name
        self.indicators[:headline] = [
            x for x in self.indicators[:headline] if (x["value"], x["unit"]) not in told
        ]
        # the kept indicators in %, the only ones told twice by name, by their (period, value):
        # a long input compares a new percentage only with those of the same figure
        percentages: dict[tuple, list[dict]] = {}
        for item in self.indicators:
            # 第一产业实现增加值72.61亿元 … 第一产业增加值72.61亿元: the same figure told twice
            key = (_TOLD_WITH.sub("", item["name"]), item["period"], item["value"], item["unit"])
            if key in seen or (item["unit"] in _AREA_UNITS and _PLANNED_AREA.search(item["name"])):
                continue  # (总规划面积1.3万亩, 建设总规模4000亩: the size of a park or a site, not a statistic)
            seen.add(key)
            # 宁夏80个重点建设项目开工率达98.75% … 开工率达98.75%: one figure, by its shorter name
            same = None
            if item["unit"] == "%":
                same = next(
                    (
                        told
                        for told in percentages.get(key[1:3], ())
                        if (
                            _unquoted(told["name"]).endswith(_unquoted(item["name"]))
                            or _unquoted(item["name"]).endswith(_unquoted(told["name"]))
                        )
                    ),
                    None,
                )
            if same is None:
                indicators.append(item)
                if item["unit"] == "%":
                    percentages.setdefault(key[1:3], []).append(item)
            elif len(item["name"]) < len(same["name"]):
                same["name"] = item["name"]
        result = {
            "projects": [p.as_json() for p in self.book.projects],
            "indicators": indicators,
            "people": [
                {"name": p.name, "titles": p.titles, "evidence": p.evidence} for p in self.people.values()
            ],
            # a ceremony told only by its batch (no day, no leader) is the report's outing only
            # when the report tells no other (a headline's 集中开工重点项目25个 before the 现场会)
            "events": [e.as_json() for e in self.events if e.leaders or e.date or len(self.events) == 1],
        }
        for kind, facts in result.items():
            for fact in facts:
                fact["confidence"] = confidence(kind, fact)
        return result

    def paragraph(self, start: int, end: int) -> None:
        text = self.text
        standalone = end - start <= 40
        mentions = find_project_mentions(text, start, end, standalone)
        # (a visit counts its projects with 个; a facility is named after its 投资)
        visits = list(VISIT.finditer(text, start, end)) if text.find("个", start, end) >= 0 else []
        for v in visits:
            for name in enumerated_projects(v.group("list")):
                at = text.find(name[:-2], v.start(), v.end())
                mentions.append(Mention(name, None, at, at + len(name) - 2))
        for m in _FACILITY.finditer(text, start, end) if text.find("投资", start, end) >= 0 else ():
            name = m.group("name")
            if not is_generic(name) and not _NOT_ITEM.search(name) and not _NOT_ONE_PROJECT.search(name):
                mentions.append(Mention(name, None, m.start("name"), m.end("name")))
        for m in _NAMED_AS.finditer(text, start, end) if text.find("的项目", start, end) >= 0 else ():
            name = m.group("name")
            if not name.endswith("项目") and not is_generic(name) and not _NOT_ONE_PROJECT.search(name):
                mentions.append(Mention(name, None, m.start("name"), m.end("name")))
        for m in _EXAMPLE.finditer(text, start, end) if text.find("为代表", start, end) >= 0 else ():
            name = m.group("name")  # (a name ending in 项目 is found as any other)
            if not name.endswith("项目") and not is_generic(name) and not _NOT_ONE_PROJECT.search(name):
                # (listed: the figures after it are the class's)
                mentions.append(Mention(name, None, m.start("name"), m.end("name"), True))
        for c in _OWN_CEREMONY.finditer(text, start, end) if text.find("工", start, end) >= 0 else ():
            works = _WORKS_CEREMONY.search(text, max(start, c.start() - 26), c.start())
            name = _PARK_LEAD.sub("", works.group("name")) if works else ""
            if (
                name
                and not is_generic(name)
                and not _NOT_ONE_PROJECT.search(name)
                and not _NOT_ITEM.search(name)
            ):
                mentions.append(Mention(name, None, c.start() - len(name), c.start()))
        total = text.find("总投资", start, end)
        while total >= 0:
            named = _NAMED_TOTAL.search(text, max(start, total - 20), total)
            name = named.group("name") if named else ""
            if (
                named
                and not _AREA_LEAD.match(name)
                and not is_generic(name)
                and not _NOT_ONE_PROJECT.search(name)
            ):
                mentions.append(Mention(name, None, named.start("name"), named.end("name")))
            total = text.find("总投资", total + 3, end)
        for m in _ROLL_ITEM.finditer(text, start, end) if text.find(";", start, end) >= 0 else ():
            name = m.group("name")
            if not is_generic(name) and not _NOT_ONE_PROJECT.search(name):
                mentions.append(Mention(name, None, m.start("name"), m.end("name")))
        if text.startswith("该", start) or text.find("该", start, start + 48) >= 0:
            heading = heading_project(text, start)
            if heading is not None:
                mentions.insert(0, heading)
                if heading.start < start:  # (the paragraph before: the project its 该项目 is)
                    self.last_told = self.book.get(heading.name, None)
        known = {m.start for m in mentions}
        for name, at, amount, closed in listed_items(text, start, end, standalone):
            if at not in known:
                mentions.append(Mention(name, None, at, at + len(name), closed))
                if amount and not self.batch_amount(at + len(name), end):
                    project = self.book.get(name, None)
                    money = parse_money(amount)
                    project.investment = project.investment or (money.as_json() if money else None)
        # 聚泰项目 after 浙江聚泰新能源电池正极材料项目: a short name of a project told before
        # (and of a project named earlier in this paragraph: 还包括国恩X项目等。…国恩项目,总投资…)
        stop = text.find("项目", start, end)
        recent: list[tuple[str, str | None]] = []
        if stop >= 0:  # (most paragraphs without 项目 need no list of the names told)
            recent = [(p.name, p.company) for p in self.book.projects[-_RECENT_PROJECTS:]]
            recent += [(m.name, m.company) for m in mentions]
            if not recent:
                stop = -1
        recent_names = "\n".join(name for name, _ in recent)  # one look at all of them first
        while stop >= 0:
            # (六广镇项目1个,总投资0.12亿元: a class of projects by place, counted after its name)
            if not any(m.start <= stop < m.end + 2 for m in mentions) and not _COUNT_AFTER_NAME.match(
                text, stop + 2
            ):
                for k in (4, 3, 2):
                    core = text[max(start, stop - k) : stop]
                    if len(core) != k or core not in recent_names or not _ALL_HAN.fullmatch(core):
                        continue
                    if _COUNTED_BEFORE.search(text, max(start, stop - k - 4), stop - k):
                        break  # 4个城市更新项目: a class of projects counted, not one of them
                    full = next((p for p in recent if core in p[0] and len(p[0]) > k + 3), None)
                    if full is not None and not all(t in gz.GENERIC_PROJECT_WORDS for t in gz.segment(core)):
                        mentions.append(Mention(full[0], full[1], stop - k, stop + 2))
                        break
            stop = text.find("项目", stop + 2, end)
        # 大藤峡博物馆 after 大藤峡博物馆项目: a project told before, named without its 项目
        # (and an item of a list earlier in this paragraph: 先后来到A、B等项目现场。计划投资10亿元的B,…)
        told = [(p.name, p.company) for p in self.book.projects[-_RECENT_PROJECTS:]]
        told += [(m.name, m.company) for m in mentions if (m.name, m.company) not in told]
        for name, company in told:
            core = name.removesuffix("项目")
            if len(core) < 4:
                continue  # (顶辉新材料, a listed project named without 项目, is looked for as well)
            at = text.find(core, start, end)
            while at >= 0:
                # (没有上亿元X大项目: a class of projects of the kind, not the one told)
                if not text.startswith(("项目", "大项目", "类项目"), at + len(core)) and not any(
                    m.start <= at < m.end + 2 for m in mentions
                ):
                    mentions.append(Mention(name, company, at, at + len(core)))
                at = text.find(core, at + len(core), end)
        mentions.sort(key=lambda m: m.start)
        mentions = self.contents_of_projects(mentions)
        for mention in mentions:
            project = self.book.get(mention.name, mention.company)
            if len(project.evidence) < 3:
                project.evidence.append(self.doc.evidence(mention.start, mention.end))
        period = None
        self.subject: str | None = None  # the thing counted that later measures of the paragraph are about
        self.bare_part = False  # after 省级6项: the measures that follow are the part's
        self.batch_sentence = -2  # the last sentence that told the figures of an event's batch
        last_project: Project | None = None
        if not mentions:
            self.opens_on_company(start, end)
        for s_start, s_end in self.doc.sentences_in(start, end):
            the_project = _THE_PROJECT.match(text, s_start)
            if last_project is None and the_project:
                last_project = self.last_told  # 项目投产后,年可生产…: the project told just before
                if last_project is None and self.company_head:
                    last_project = self.book.get(self.company_head, self.company_head)
            s_end = min(s_end, end)
            if not _INTERESTING.search(text, s_start, s_end):
                continue
            here = [m for m in mentions if s_start <= m.start < s_end and not m.listed]
            sentence = text[s_start:s_end]
            if not here and "项目" in sentence and _THESE_PROJECTS.search(sentence):
                # 这些项目的落地开工,…。项目建成后,预计每年新增工业产值超35亿元: the batch's, not the last one's
                last_project = self.last_told = None
            batch = _BATCH.search(sentence) is not None and not _RUNNING_TOTAL.search(sentence)
            if batch:
                self.batch_sentence = self.doc.sentence_of(s_start)
            if here and not batch and "等" in sentence:
                # 博大精密、宇宙电子等16个项目建成投产: how many projects reached a stage
                for m in _STAGE_COUNT.finditer(sentence):
                    stage = m.group("stage") or m.group("pre")
                    if stage is None or (m.group("stage") is None and _VISIT_SPLIT.search(sentence)):
                        continue  # 等8个项目: no stage; 观摩了…等24个新开工项目: the outing's batch
                    name = stage + (m.group("kind") or "") + "项目"  # (竣工投产亿元项目)
                    evidence = self.doc.evidence(s_start + m.start(), s_start + m.end())
                    when = parse_period(sentence[: m.start()])[0] or period  # (一季度,…等8个)
                    self.indicators.append(
                        {"name": name, "period": when, "value": int(m.group("count")), "unit": "个"}
                        | {"yoy_pct": None, "evidence": evidence}
                    )
                    money = parse_money(m.group("money")) if m.group("money") else None
                    if money is not None and money.currency == "CNY":  # 开工建设项目总投资
                        self.indicators.append(
                            {"name": name + "总投资", "period": when, "unit": "元"}
                            | {"value": money.as_json()["amount"]}
                            | {"yoy_pct": None, "evidence": evidence}
                        )
            # 这个项目总投资30亿元,…截至9月底…: a sentence about "the project" is the last one's
            if here or (
                last_project
                and (the_project or (not _AGGREGATE.search(sentence) and not self.has_subject(sentence)))
            ):
                if here and _DIGIT.search(text, s_start, here[0].start):
                    # 1-3月份,亿元以上新开工项目49个,…,分别是总投资10.6亿元的X项目: the clauses
                    # before the first named project may be the area's figures
                    cut = clause_start(text, here[0].start, s_start)
                    if cut <= s_start:  # 投资额达35亿元的X项目: the clause of the 的 is the project's
                        qualifier = text.rfind("的", s_start, here[0].start)
                        cut = clause_start(text, qualifier, s_start) if qualifier > s_start else s_start
                    if cut > s_start and not _PROJECT_FIGURE.search(text, s_start, cut):
                        period = self.indicator_facts(s_start, cut, period)
                own_end = s_end
                if here and (tail := _CLASS_COUNT.search(text, here[-1].end + 2, s_end)) is not None:
                    # 加上此前开工的X项目,全县一季度开工重点项目4个,总投资26.6亿元: after the last
                    # named project, a clause that counts a class starts the area's figures
                    cut = clause_start(text, tail.start(), s_start)
                    if (
                        cut > here[-1].end
                        and INDICATOR_VALUE.search(text, cut, tail.start()) is None
                        # (本次开工的A、B等25个项目,其中市级重点项目18个: the parts of the batch)
                        and not text.startswith("其中", cut)
                        and not _BATCH.search(text, s_start, cut)
                    ):
                        period = self.indicator_facts(cut, s_end, period)
                        own_end = cut
                in_sentence = [m for m in mentions if s_start <= m.start < own_end]  # (listed items too)
                last_project = self.project_facts(s_start, own_end, here, last_project, in_sentence)
            elif INDICATOR_VALUE.search(text, s_start, s_end) and not any(
                s_start <= v.start() < s_end for v in visits
            ):
                period = self.indicator_facts(s_start, s_end, period)
                found_period = None
            if found_period := parse_period(sentence)[0] if not here else None:
                period = found_period
            if here:
                last_project = self.book.get(here[-1].name, here[-1].company)
            if self.lists_projects(mentions, s_start, s_end):
                last_project = None  # 分别为A项目、B项目。总投资超过10亿元: the figures after a list are its
            self.event_facts(s_start, s_end, visits)
        if last_project is not None or mentions:
            self.last_told = last_project  # (a paragraph that names no project keeps the one told before)
            if mentions:
                self.company_head = None

    def opens_on_company(self, start: int, end: int) -> None:
        """X有限公司地处…,是一家…的公司。/ 项目总投资…: a paragraph that opens on a company and names no
        project; the project told after it (项目…, 该项目…) is the company's."""
        head = _COMPANY_HEAD.match(self.text, start, end)
        if head is not None and "项目" not in head.group("company"):
            self.company_head, self.last_told = head.group("company"), None

    def batch_amount(self, after: int, end: int) -> bool:
        """投资5.9亿元的A、B、C等三个基础配套项目: the amount before the first item, the others
        without theirs, is the batch's (`after`: where the first item's name ends)."""
        text = self.text
        if not text.startswith("、", after) or _NEXT_ITEM_AMOUNT.match(text, after):
            return False
        stop = text.find("。", after, end)
        return _LISTED_END.search(text, after, stop if stop >= 0 else end) is not None

    def lists_projects(self, mentions: list[Mention], s_start: int, s_end: int) -> bool:
        """True when the sentence names projects one after the other (A项目、B项目和C项目)."""
        if len(mentions) < 2:
            return False
        named = [m for m in mentions if s_start <= m.start < s_end]
        return any(
            a.name != b.name and joined_in_list(self.text, a, b, ("、", "和", "及", "以及", "与"))
            for a, b in zip(named, named[1:], strict=False)
        )

    def contents_of_projects(self, mentions: list[Mention]) -> list[Mention]:
        """X项目,今年计划完成投资8500万元,主要建设年产5万吨铝锭生产线项目: the second name
        tells what the first project builds; its capacities are the first's, and it is no other."""
        kept: list[Mention] = []
        for mention in mentions:
            before = kept[-1] if kept else None
            if before is not None and _CONTENT_GAP.fullmatch(self.text, before.end, mention.start):
                project = self.book.get(before.name, before.company)
                for item in name_capacities(mention.name):
                    if all(
                        c["quantity"] != item["quantity"] or c["unit"] != item["unit"]
                        for c in project.capacities
                    ):
                        project.capacities.append(item)
                continue
            kept.append(mention)
        return kept

    def has_subject(self, sentence: str) -> bool:
        """A sentence about the area as a whole (全区…) or a person, not the last project."""
        return bool(_AREA_SENTENCE.match(sentence)) or (
            self.name_re is not None and self.name_re.match(sentence) is not None
        )

    def project_facts(
        self, s_start: int, s_end: int, here: list[Mention], last: Project | None, named: list[Mention]
    ) -> Project | None:
        """Money and capacities of a sentence, each given to the project it describes."""
        text = self.text

        def owner(pos: int, end: int) -> Project | None:
            if text.startswith("的", end) and _COUNT_NEXT.match(text, end + 1):
                return None  # 总投资48亿元的19个重点项目: the batch's amount
            # "总投资80亿元的X项目": an amount that qualifies the name right after it
            following = [m for m in here if m.start >= end]
            gap = text[end : following[0].start] if following else ""
            # (not across another amount: 投资A的X、投资B的Y gives A to X only)
            if following and _QUALIFIER_GAP.fullmatch(gap):
                if self.batch_amount(following[0].end, s_end):
                    return None  # 投资5.9亿元的A、B、C等三个基础配套项目: the batch's amount
                return self.book.get(following[0].name, following[0].company)
            if following and (not gap.strip() or _BUILDS_GAP.fullmatch(gap)):
                return self.book.get(following[0].name, following[0].company)  # 投资14亿元X, 投资18亿元,建设X
            preceding = [m for m in here if m.end <= pos]
            if len(preceding) >= 2 and joined_in_list(text, preceding[-2], preceding[-1], ("、", "和", "及")):
                return None  # 包括A项目、B项目,总投资21.9亿元: the sum of the list
            if (
                preceding
                and text.startswith("、", preceding[-1].start - 1)
                and text[preceding[-1].start - 3 : preceding[-1].start - 1] in _ITEM_KINDS
                and pos - preceding[-1].end <= 5
            ):
                return None  # 签约A产业、B项目,总投资约4亿元: the list's sum (A named without 项目)
            if preceding and _CLASS_COUNT.search(text, preceding[-1].end, pos):
                return None  # 加上此前开工的X项目,全县开工项目4个,总投资…: the class's figure, X one of them
            if preceding:
                if _BATCH_GAP.search(text, preceding[-1].end, pos) or text.startswith(
                    "等", preceding[-1].end
                ):
                    return None  # A、B等8个项目,总投资8.8亿元 / A、B等,项目总投资…: the batch's figure
                return self.book.get(preceding[-1].name, preceding[-1].company)
            if _CLASS_COUNT.search(text, s_start, pos):
                return None  # 产业项目44项,总投资227亿元,主要有A项目…: the class's figure, before its items
            return last

        amounts = list(MONEY.finditer(text, s_start, s_end))
        if text.find("亿", s_start, s_end) >= 0 or text.find("万", s_start, s_end) >= 0:
            # 总投资26亿的X项目: an amount after the words of money, written without 元
            amounts = sorted(
                amounts + list(_BARE_AMOUNT.finditer(text, s_start, s_end)), key=lambda x: x.start()
            )
        for m in amounts:
            money = money_from_match(m) if m.re is MONEY else parse_money(m.group() + "元")
            project = owner(m.start(), m.end())
            if money is None or project is None:
                continue
            at, value = m.start(), money.as_json()
            span = (
                _SPAN_LOW.search(text, max(s_start, at - 10), at)
                if text[at - 1 : at] in _SPAN_MARKS
                else None
            )
            top = _LEADING_DIGITS.match(m.group("number")) if span and not m.group("bound") else None
            if span and top and (high := float(top.group())):
                # 年产值300—400亿元, 7-8亿元: a span, told by its lower end
                at, value = (
                    span.start(),
                    {**value, "amount": plain(value["amount"] * float(span.group(1)) / high)},
                )
            role = money_role(
                text,
                at,
                clause_start(text, at, s_start),
                # one project's: a sentence listing several tells their sum
                len(here) <= 1 and _OUTLOOK_CLAUSE.search(text, s_start, at) is not None,
            )
            if role == "investment" and project.investment is None:
                project.investment = value
            elif role == "phase" and project.phase_investment is None:
                project.phase_investment = value
            elif role == "revenue" and project.annual_revenue is None:
                project.annual_revenue = value
        if _CAPACITY_CONTEXT.search(text, s_start, s_end):
            for m in CAPACITY.finditer(text, s_start, s_end):
                if any(x.start <= m.start() < x.end for x in named):
                    continue  # part of a project's name (an item of a list too): name_capacities took it
                if _TRADED.search(text, clause_start(text, m.start(), s_start), m.start()):
                    continue  # 交易市场完成10万头: what a market trades, not what a plant makes
                if _DAILY.search(text, max(s_start, m.start() - 8), m.start()) or _PER_DAY.match(
                    text, m.end()
                ):
                    continue  # (日处理150吨, 200t/d: a daily size)
                if m.group("unit") in ("公里", "米", "千米") and _REACH.search(
                    text, clause_start(text, m.start(), s_start), min(s_end, m.end() + 2)
                ):
                    continue  # 可辐射周边约200公里范围: how far it reaches, not what it makes
                q = quantity_from_match(m)
                project = owner(m.start(), m.end())
                if q is None or project is None or q.unit in ("个", "条", "亩") or not q.quantity:
                    continue
                product = capacity_product(text, m.start(), m.end(), s_end)
                if _BUILDING_BEFORE.search(text, max(s_start, m.start() - 8), m.start()) or (
                    product and _BUILDING.match(product)
                ):
                    continue  # 厂房1万平方米, 建4万平方米的厂房: floor space, not what the plant makes
                # (配置10万千瓦/20万千瓦时储能: the storage installed is the capacity)
                storage = q.unit in _POWER_UNITS and "储能" in (product or text[m.end() : m.end() + 16])
                if (
                    (not storage and _EQUIPMENT_BEFORE.search(text, max(s_start, m.start() - 14), m.start()))
                    # (年产5万吨保温材料生产线一条及其配套设施: the line, then what goes with it)
                    or (product and not storage and _EQUIPMENT.search(product.split("及", 1)[0]))
                    or (q.unit == "台" and text.startswith("套", m.end()))
                    or (q.unit == "台" and _DIGIT.match(text, m.end()))  # 16台7.5兆瓦风机
                    or text.startswith("级", m.end())  # 10000吨级码头泊位: a class of size
                    or (q.unit in ("公里", "米") and product and _LINE.search(product))
                ):
                    continue  # 6台套生产线: sets of equipment counted, not what they make
                item = {
                    "quantity": plain(float(q.quantity) * units_of(text, m.start())),
                    "unit": q.unit,
                    "product": product,
                }
                if all(
                    c["quantity"] != item["quantity"] or c["unit"] != item["unit"] for c in project.capacities
                ):
                    project.capacities.append(item)
        return self.book.get(here[-1].name, here[-1].company) if here else last

    def parts_of_batch(self, here: int) -> bool:
        """The sentence right after the batch's figures, or the one after a sentence without
        figures between (本次开工项目17个。项目主要集中在新材料等领域。其中,…); a breakdown
        (根据行业划分,…) of a report that told a ceremony's batch before, in any paragraph."""
        gap = here - self.batch_sentence
        if gap == 1:
            return True
        start = self.doc.sentences[here][0]
        if _BREAKDOWN_LEAD.match(self.text, start) and (
            self.site_venue or _CEREMONY_REPORT.search(self.text, 0, start)
        ):
            return True
        if gap != _PARTS_REACH or self.batch_sentence < 0:
            return False
        start, end = self.doc.sentences[here - 1]
        return _DIGIT.search(self.text, start, end) is None

    def indicator_facts(self, s_start: int, s_end: int, period: str | None) -> str | None:
        """District statistics: one per clause, with the growth rate of the clause after it.
        A period (1-3月, 近5年来) holds for the clauses after it; returns the last one."""
        text = self.text
        if _INSTRUCTION.search(text, s_start, s_end):
            return period  # X说,要…,即实施重点项目200个: the targets of a speech, not the area's figures
        if _BATCH_PARTS.match(text, s_start) and self.parts_of_batch(here := self.doc.sentence_of(s_start)):
            self.batch_sentence = here  # 其中,开工项目15个…: the parts of the batch just told
            if _BREAKDOWN_LEAD.match(text, s_start):
                self.breakdown = self.doc.paragraph_of(s_start)
            return period
        if self.breakdown >= 0 and self.doc.paragraph_of(s_start) == self.breakdown:
            return period  # 分领域看:A项目27个…。B项目17个…: a breakdown of the batch holds for its paragraph
        # 重大项目204项(A项目40项;B项目55项),总投资…: the breaks inside brackets end no clause
        bracketed = text.find("(", s_start, s_end) >= 0
        asides = [m.span() for m in _BRACKETS.finditer(text, s_start, s_end)] if bracketed else []
        bounds = [s_start] + [
            m.end()
            for m in CLAUSE_BREAK.finditer(text, s_start, s_end)
            if not asides or not any(x < m.start() < y for x, y in asides)
        ]
        clauses = [(a, b) for a, b in zip(bounds, bounds[1:] + [s_end], strict=True) if b > a]
        previous = None
        # each part with whether it holds a digit, when the split has already looked (None: not yet)
        parts: list[tuple[int, int, str, bool | None]] = []
        for index, (a, b) in enumerate(clauses):
            clause_text = text[a:b]
            digit_in_clause = _DIGIT.search(clause_text) is not None
            if (
                digit_in_clause
                and "分别" in clause_text
                and index
                and _RESPECTIVE_LEVELS.match(clause_text.rstrip(",，;；。！？!?\n"))
                and len(_A_COUNT.findall(text, *clauses[index - 1])) > 1
            ):
                # 4个A项目、8个B项目,投资完成率分别达到100%、95%: read whole, after the counts
                parts.append((a, b, clause_text.rstrip(",，;；。！？!?\n"), True))
            elif digit_in_clause and not respective_growth(clause_text.lstrip(",，;；")):
                # 建设项目27项(省级6项、市级5项): the parts in brackets are not indicators
                bare = _BRACKETS.sub("", clause_text) if bracketed and "(" in clause_text else clause_text
                unbroken = bare.rstrip(",，;；。！？!?\n")
                # (a part that is the whole clause holds the digit the clause does)
                parts.extend(
                    (a, b, part, True if part == unbroken and bare is clause_text else None)
                    for part in split_values(unbroken)
                )
            else:
                parts.append((a, b, clause_text, digit_in_clause))  # no figure: only its period matters
        batch_words = _BATCH.search(text, s_start, s_end) is not None
        in_parts = False  # after 其中 the counts are parts of the subject, not new subjects
        in_batch = False
        months = False  # the sentence gave a span of months: a year later in it does not undo it
        whole = None
        told_here: list[dict] = []  # the indicators of this sentence, for 分别增长A%、B%
        last_count = False
        growth_first: tuple[str, re.Match] | None = None
        counted_subject = False  # the subject was counted in this sentence (33个重点项目…)
        class_first = False  # the sentence opened on a class and its count (新材料项目12个,…)
        held: list[str | None] = []  # the period a point in time (截至2020年底) sets aside for one clause
        counted_here: list[dict] = []  # the classes counted in this sentence, for 分别达到A%、B%
        # 截至目前,…12个集中开工项目: a running tally, whose counts by stage are not a ceremony's batch
        tally = batch_words and _TALLY_LEAD.match(text, s_start) is not None
        outlook = False  # after 建成后: the clauses tell what projects will yield, up to a semicolon
        for a, b, clause, has_digit in parts:
            if held:
                period = held.pop()
            found_period, period_match = parse_period(clause)
            if period_match and ("由" in clause or "从" in clause) and (change := _CHANGED_TO.search(clause)):
                if change.start() < period_match.start() < change.end():
                    found_period = period_match = None  # 由2022年的21%提高到29.5%: the time changed from
            if (period_match is not None and period_match.group("point")) or (
                "全年" in clause and _WHOLE_YEAR.match(clause)
            ):
                held.append(period)  # 截至2020年底累计完成投资: a running total, of no period
                period = None  # (1至11月…,预计全年将完成投资126亿元: the year's estimate, not 1-11月's)
            if found_period and not (months and found_period.endswith("年")):
                period = found_period
                months = found_period.endswith("月")
            if in_batch or (
                batch_words
                and (batch_word := _BATCH.search(clause))
                and not _RUNNING_TOTAL.search(text, a, b)
                and not (tally and batch_word.group().startswith("集中"))
            ):
                in_batch = True  # this clause and the rest of the sentence tell the batch
                self.batch_sentence = self.doc.sentence_of(s_start)
                previous = None
                continue
            in_parts = in_parts or clause.startswith("其中")
            levels = _RESPECTIVE_LEVELS.match(clause) if has_digit and "分别" in clause else None
            if levels:
                values = _LAST_JOINED.split(levels.group("values"))
                told = counted_here[-len(values) :]
                for item, value in zip(told, values, strict=True) if len(told) == len(values) else ():
                    if (level := indicator_from_clause(levels.group("measure") + value)) is not None:
                        self._indicator(item["name"] + levels.group("measure"), period, level, None, a, b)
                previous = None
                continue
            digit = _DIGIT.search(clause) is not None if has_digit is None else has_digit
            counts = "个" in clause or "项" in clause  # every count pattern needs one of them
            counted = (
                (count_first(clause) if counts else None)
                or (_COUNT_LAST.search(clause) if "等" in clause else None)
                if digit
                else None
            )
            if outlook and text[a - 1 : a] in ";；":
                outlook = False  # …,建成后预计年产值55亿元;新开工项目13个: a semicolon ends the outlook
            if outlook or ("后" in clause and _OUTLOOK_CLAUSE.search(clause)):
                outlook = True  # 项目投产后,年可生产…,实现营收…: what a project will yield, not the area's
                previous = None
                continue
            # the clause's first value, looked for once: indicator_from_clause starts from it
            first_value = None
            if not counted:
                figure = digit or _BARE_HUNDRED.search(clause)
                first_value = INDICATOR_VALUE.search(clause) if figure else None
                if not (
                    figure
                    and (
                        first_value or (("亿" in clause or "万" in clause) and _YUAN_LEFT_OUT.search(clause))
                    )
                ):
                    # 今年1-5月我县重大项目呈现了良好开局,完成新开工10个: the subject of what follows
                    subject = _AREA_SUBJECT.search(clause) if "项目" in clause or "工程" in clause else None
                    if subject and not _COPULA_CLAUSE.search(clause):  # 该项目是省重点项目: what it is
                        self.subject = subject.group()
                    previous = None
                    continue  # no figure: nothing to read but the period
            if counts and _BARE_PART.match(clause):
                self.subject, self.bare_part, previous = None, True, None
                continue
            if counted:
                self.bare_part = False
                self.subject = counted.group("name")
                counted_subject = True
                item = {
                    "name": self.subject,
                    "period": period,
                    "value": int(counted.group("count")),
                    "unit": counted.group("unit"),
                    "yoy_pct": None,
                    "evidence": self.doc.evidence(a, b),
                }
                self.indicators.append(item)
                counted_here.append(item)
                previous = item
                clause = clause[clause.index(counted.group("name")) + len(counted.group("name")) :]
            respective = respective_growth(clause.lstrip(",，;；"))
            if respective and not INDICATOR_VALUE.search(clause[: respective.start()]):
                # 接待游客1256万人次,实现旅游收入98.6亿元,分别增长25.3%、31.2%: in order
                pcts = [float(x) for x in _PERCENTS.findall(respective.group())]
                told = told_here[-len(pcts) :]
                if len(told) == len(pcts) and all(t["yoy_pct"] is None for t in told):
                    sign = -1 if respective.group("dir") in _NEGATIVE else 1
                    for item, pct in zip(told, pcts, strict=True):
                        item["yoy_pct"] = sign * pct
                previous = None
                continue
            yoy = _YOY.search(clause) if "%" in clause else None
            if yoy and ("由" in clause or "从" in clause) and _CHANGED_TO.search(clause):
                yoy = None  # 比重由10%上升为35%: the change of a share, not a growth
            if (
                yoy
                and previous is not None
                and previous["yoy_pct"] is None
                and not INDICATOR_VALUE.search(clause[: yoy.start()])
                and not _GROWTH_SUBJECT.search(clause[: yoy.start()])
            ):
                previous["yoy_pct"] = self._signed(yoy)
                continue
            counts = "个" in clause or "项" in clause
            elided = _ELIDED_SUBJECT.match(clause) if counts and "的" in clause else None
            if elided and self.subject and self.subject.endswith("项目"):
                # 投资亿元以上的31个: the projects of the subject above a threshold
                clause = elided.group("threshold") + "项目" + clause[elided.end("threshold") + 1 :]
            stage = _STAGE_ONLY.match(clause) if counts else None
            found: dict | None
            of_whole = _COUNT_OF_WHOLE.match(clause) if counted else None
            if of_whole and self.subject:
                # 80个重点建设项目中79个开工建设: how many of them did what follows
                found = {
                    "name": self.subject + of_whole.group("what"),
                    "value": int(of_whole.group("count")),
                    "unit": of_whole.group("unit"),
                }
            elif stage and counted and self.subject:
                # 124个新建项目已开工122个: how many of the projects just counted reached a stage
                found = {
                    "name": self.subject + stage.group("stage"),
                    "value": int(stage.group("count")),
                    "unit": stage.group("unit"),
                }
            elif stage and self.subject and _QUALIFIED_CLASS.search(_unquoted(self.subject)):
                # 36个省“百大项目”,已开复工24个: the stage of the class marked off by level
                found = {
                    "name": self.subject + stage.group("stage").removeprefix("已"),
                    "value": int(stage.group("count")),
                    "unit": stage.group("unit"),
                }
            elif (
                stage
                and (self.subject or "").endswith("项目")
                # 重大项目…完成新开工10个: a stage of the subject's (重大项目新开工), but its parts
                # (其中新开工115个) and stages the measures do not know (开工248个) name projects
                and (in_parts or not _RELATIVE_MEASURE.match(stage.group("stage")))
            ):
                found = {
                    "name": stage.group("stage") + "项目",
                    "value": int(stage.group("count")),
                    "unit": stage.group("unit"),
                }
            else:
                found = indicator_from_clause(clause, first_value)
                if counted and found and found["name"].endswith("率") and clause.startswith(found["name"]):
                    found["name"] = self.subject + found["name"]  # 283个省、市重点项目投资完成率达到65.8%
                if (
                    found
                    and stage
                    and stage.group("stage").startswith("已")
                    and _BARE_STAGE.fullmatch(found["name"])
                ):
                    found["name"] = stage.group("stage") + "项目"  # 目前已开工68个: 已开工项目, not 开工
                if (
                    found is None
                    and clause.startswith("项目")
                    and (self.subject or "").endswith("项目")
                    and (measure := indicator_from_clause(clause[2:])) is not None
                    and _RELATIVE_MEASURE.match(measure["name"])
                ):
                    found = (
                        measure  # 实施各类项目103项,项目总投资190亿元: the measure of the subject's projects
                    )
            if found and self.bare_part:
                continue
            if (
                found
                and self.ceremony
                and found["unit"] in ("个", "项")
                and _BATCH_STAGE.fullmatch(found["name"])
                # (not 占全年…, told after it; nor after 截至目前 earlier in the paragraph, a running tally)
                and not _SINCE.search(text, self.doc.paragraphs[self.doc.paragraph_of(s_start)][0], b)
            ):
                in_batch = True  # the ceremony's batch: the rest of the sentence tells it too
                self.batch_sentence = self.doc.sentence_of(s_start)
                previous = None
                continue
            share = _SHARE_IN.match(clause) if found and found["unit"] == "%" else None
            head: str = growth_first[0] if growth_first else (str(previous["name"]) if previous else "")
            if found and share and (head := _MEASURE_END.sub("", _IND_LEAD.sub("", _PLACE.sub("", head)))):
                # 服务业增加值增长7.8%,对全市经济增长的贡献率达58%: the share of the sector before it
                found["name"] = head + share.group("share")
            if not found and growth_first and _LEVEL_ONLY.match(clause):
                # 规上工业总产值同比增长9.6%,达到325.4亿元: the growth told before the level
                found = indicator_from_clause(growth_first[0] + clause)
                yoy = growth_first[1] if found else yoy
            growth_first = None
            if not found and yoy and not INDICATOR_VALUE.search(clause[: yoy.start()]):
                growth_first = (_GROWTH_PREFIX.sub("", clause[: yoy.start()]), yoy)
            if not found:
                previous = None if not counted else previous
                continue
            name = found["name"]
            if self.subject and (
                (
                    _STAGE_OF_SUBJECT.fullmatch(name)
                    and (
                        (
                            _QUALIFIED_CLASS.search(_unquoted(self.subject))
                            # 已开复工亿元以上项目12个,其中新开工项目7个: a class by stage, its parts
                            # by stage named as projects keep their own name
                            and not (name.endswith("项目") and _STAGE_LEAD.match(self.subject))
                        )
                        # 新材料项目12个,…开复工项目9个,开复工率75%: the stages of the class the sentence
                        # opens on (a class by stage or the whole programme keeps the text's word)
                        or (
                            class_first
                            and not _STAGE_LEAD.match(self.subject)
                            and not _PROGRAMME.search(self.subject)
                            # (累计开复工项目45个: a running tally of the area's, named on its own)
                            and not clause.startswith("累计")
                        )
                    )
                )
                # 33个重点项目完成投资84亿元,年度投资完成率129%: the investment rate of the projects
                # just counted (a stage's rate after 已开工17个 is left as the text words it)
                or (
                    counted_subject
                    and (rate := _RATE_OF_SUBJECT.fullmatch(name)) is not None
                    and rate.group("stage") not in self.subject
                )
            ):
                # 列入市级重点项目40项…共开复工38项,开复工率为95%: the stages of the class counted
                last_count = False
                told_here.append(item := self._indicator(self.subject + name, period, found, yoy, a, b))
                previous = item
                continue
            if found["unit"] in ("个", "项") and name.endswith(("项目", "工程")):
                if (
                    not in_parts
                    and last_count
                    and self.subject
                    and _STAGE_PART.fullmatch(name)
                    and not _STAGE_PART.fullmatch(self.subject)
                ):
                    in_parts = True  # 重点项目40项,新建项目22项,续建项目18项;总投资…: its parts by stage
                if in_parts and self.subject and whole is None:
                    whole = self.subject  # the whole's subject comes back with the next sentence
                if in_parts and last_count and whole is not None:
                    # 其中A项目67个,B项目31个,总投资…: after parallel parts the measure is the whole's
                    self.subject = whole
                else:
                    # 其中:在建项目185项,总投资…: the part's own measures follow (列入X市重点项目95项,
                    # 总投资…: the measures are the class's, named without the programme it is in)
                    self.subject = _INTO_PREFIX.sub("", name) if name.startswith(("列入", "纳入")) else name
                last_count = True
                # 新材料项目12个,…: a class counted first (not 实施项目382个, the programme as a whole)
                class_first = class_first or not (told_here or _PROGRAMME.search(name))
                told_here.append(item := self._indicator(name, period, found, yoy, a, b))
                previous = item
                for x, y in asides if name.endswith("项目") and "以上" in text[a:b] else ():
                    # 新引进项目10个(亿元以上9个,10亿元以上1个): parts marked off by size have names of their own
                    for part in _SIZE_PART.finditer(text, x, y) if a <= x < b else ():
                        size = {"value": int(part.group("count")), "unit": part.group("unit")}
                        self._indicator(name[:-2] + part.group("size") + "项目", period, size, None, a, b)
                continue
            elif name == "净增" and previous is not None and previous["unit"] == found["unit"]:
                name = (
                    previous["name"] + name
                )  # 两税收入386.6亿元,净增50亿元: the growth of the level just told
            elif _RELATIVE_MEASURE.match(name):
                if not self.subject:
                    previous = None
                    continue  # 总投资5亿元 of no subject: a project's figure, not the area's
                name = self.subject + name
            last_count = False
            told_here.append(item := self._indicator(name, period, found, yoy, a, b))
            previous = item
        if whole is not None:
            self.subject = whole
        return held.pop() if held else period

    def _indicator(
        self, name: str, period: str | None, found: dict, yoy: re.Match | None, a: int, b: int
    ) -> dict:
        item = {
            "name": name,
            "period": period,
            "value": found["value"],
            "unit": found["unit"],
            "yoy_pct": self._signed(yoy) if yoy else None,
            "evidence": self.doc.evidence(a, b),
        }
        self.indicators.append(item)
        return item

    @staticmethod
    def _signed(m: re.Match) -> float:
        pct = float(m.group("pct"))
        return -pct if m.group("dir") in _NEGATIVE else pct

    def event_facts(self, s_start: int, s_end: int, visits: list[re.Match]) -> None:
        text = self.text
        if self.site_venue and (venue := _SITE_VENUE.search(text, s_start, s_end)) is not None:
            # 分会场设在X项目现场: a venue at a project's site is a start ceremony's (the report's
            # outing when it tells no other: undated and without leaders it is kept only then)
            if not _EVENT_HINT.search(text, s_start, s_end):
                leaders = (
                    [m.group() for m in self.name_re.finditer(text, s_start, s_end)] if self.name_re else []
                )
                evidence = self.doc.evidence(s_start, s_end)
                self.add_event(
                    Event("项目集中开工" + venue.group()[:3], "", None, leaders[:2], None, [evidence]), True
                )
                return
        if not _EVENT_HINT.search(text, s_start, s_end):
            return  # no outing word in the sentence (most sentences): no outing to read
        # the kind pattern starts with optional words, so try it only just before each outing word
        # 参加开工仪式后,X还查看了…: the outing of the sentence is the one after the ceremony told
        after = _RIGHT_AFTER.match(text, s_start)
        kinds = [
            k
            for h in _EVENT_HINT.finditer(text, after.end() if after else s_start, s_end)
            if (k := gz.EVENT_KIND.search(text, max(s_start, h.start() - 8), min(s_end, h.end() + 12)))
            # 开展项目策划、签约、集中观摩"五大比拼": an item of a list of campaigns, not an outing
            and text[k.start() - 1 : k.start()] != "、"
        ]
        if not kinds:
            return
        kind = max(kinds, key=lambda k: len(k.group()))
        if _SIGNING_ONLY.fullmatch(kind.group()) and not _WORKS_START.search(text, s_start, s_end):
            return  # 举行招商引资项目签约仪式: a signing is held in a room, not an outing
        if (
            _MONTHS_TALLY.search(text, clause_start(text, kind.start(), s_start), kind.start())
            and not _HELD.search(text, s_start, s_end)
            and not kind.group().endswith(("仪式", "活动"))
        ):
            return  # 该市元月集中开工、签约项目51个: a month's tally, not an outing
        sentence = text[s_start:s_end]
        leaders = []
        if self.name_re is not None:
            for m in self.name_re.finditer(sentence):
                if not _NOT_LEADER.match(sentence, m.end()) and m.group() not in leaders:
                    leaders.append(m.group())
        if not leaders and self.name_re is not None:
            # 7月4日上午,…举行集中开工活动 / 县委书记X出席: the leaders in the sentences after it
            p_index = self.doc.paragraph_of(s_start)
            paragraph_end = self.doc.paragraphs[p_index][1]
            for m in self.name_re.finditer(text, s_end, min(paragraph_end, s_end + 200)):
                if m.group() not in leaders and len(leaders) < 2:
                    leaders.append(m.group())
            if not leaders and p_index + 1 < len(self.doc.paragraphs):
                # …集中开工仪式在西昌举行。¶州委常委、常务副州长X宣布开工并讲话: the paragraph after it
                n_start, n_end = self.doc.sentences[self.doc.sentence_of(self.doc.paragraphs[p_index + 1][0])]
                if _ANNOUNCES.search(text, n_start, n_end):
                    for m in self.name_re.finditer(text, n_start, n_end):
                        if (
                            not _NOT_LEADER.match(text, m.end())
                            and m.group() not in leaders
                            and len(leaders) < 2
                        ):
                            leaders.append(m.group())
        when = None
        # the first date that is not a dateline (红网9月7日讯); 当天 and, once an outing is
        # known, 今天 in a quoted speech refer to the outing already told
        d = next((x for x in DATE.finditer(sentence) if sentence[x.end() : x.end() + 1] not in "讯电"), None)
        if d and d.group("relative") in ("当天", "当日") and not self.events:
            # 3月31日电 当日,…举行集中开工仪式: the day of the dateline
            d = next((x for x in DATE.finditer(text, 0, 200) if text[x.end() : x.end() + 1] in "讯电"), None)
        elif d and d.group("relative") and (d.group("relative") in ("当天", "当日") or self.events):
            d = None
        if d:
            hint = EVENT_YEAR.search(sentence)
            if hint is None and self.doc_date is None:
                hint = _YEAR_IN_SENTENCE.search(sentence)  # 4月13日,…举行2020年重点项目集中开工仪式
            when = resolve_date(d, self.doc_date, int(hint.group(1)) if hint else None)
        elif not self.events and (day := day_of_month(sentence, self.doc_date)) is not None:
            when = day  # 22号,…集中开工仪式在西昌举行: a day of the report's month
        elif self.events and _RIGHT_AFTER.match(sentence):
            when = self.events[-1].date  # 活动结束后,X还来到…调研: the same day
        elif not leaders and _CEREMONY.search(kind.group()):
            # 4月8日,X动员大会举行。集中开复工的74个项目中…: the ceremony of the day just told
            index = self.doc.sentence_of(s_start)
            p_start, p_end = self.doc.sentences[index - 1] if index > 0 else (0, 0)
            if p_end > self.doc.paragraphs[self.doc.paragraph_of(s_start)][0]:
                d = next((x for x in DATE.finditer(text, p_start, p_end) if not x.group("relative")), None)
                # (3月1日上午,…。作为2022年春季集中开工的…: the year the ceremony's sentence names)
                hint = _YEAR_IN_SENTENCE.search(sentence) if d and self.doc_date is None else None
                when = resolve_date(d, self.doc_date, int(hint.group(1)) if hint else None) if d else None
        count = None
        for v in visits:
            if s_start <= v.start() < s_end:
                count = int(parse_number(v.group("count")) or 0) or None
                tail = text[v.end() : s_end]
                extra = find_project_mentions(text, v.end(), s_end, False)
                if count and _JOINED.match(tail):
                    count += len(extra)
        ceremony = _CEREMONY.search(kind.group()) is not None
        if count is None and ceremony:
            # 集中开工和投产工业项目5个 / 14个重点项目集中开工: the ceremony's batch
            batch = _CEREMONY_COUNT.search(text, s_start, s_end)
            count = int(batch.group("n") or batch.group("m") or batch.group("k")) if batch else None
        held = ceremony and _HELD.search(text, s_start, kind.start()) is not None
        if not leaders and count is None and when is None and not held:
            return
        title_m = _EVENT_TITLE.search(text, max(s_start, kind.start() - 30), kind.start())
        title = ((title_m.group() if title_m else "") + kind.group()) if title_m and title_m.group() else ""
        evidence = self.doc.evidence(s_start, s_end)
        # (a ceremony of a stated batch, told undated; one the text says was held: 举行了…开工仪式)
        new = bool(leaders or when or (ceremony and count) or held)
        self.add_event(Event(kind.group(), title, when, leaders, count, [evidence]), new)
        for other in kinds:
            # 召开一季度观摩会暨二季度集中开工仪式: two outings told as one meeting
            between = text[min(other.end(), kind.end()) : max(other.start(), kind.start())]
            if (_CEREMONY.search(other.group()) is not None) != ceremony and "暨" in between:
                self.add_event(
                    Event(other.group(), "", when, leaders, None, [evidence]), bool(leaders or when)
                )
                break

    def add_event(self, event: Event, new: bool) -> None:
        """Add an outing to the one it repeats, or as a new one when `new`."""
        for known in reversed(self.events):
            if known.accepts(event):
                known.absorb(event)
                return
        if new:
            self.events.append(event)


def extract_document(text: str, *, source: str, doc_date: date | None = None) -> dict:
    """The SCHEMA.md object for one report; every key present, lists possibly empty."""
    if not isinstance(text, str):
        raise TypeError("text must be str; decode bytes with decode_bytes() first")
    result = _Extraction(text, doc_date).run()
    return {"source": source, **result}
