"""China-wide word lists: official titles, surnames, generic project words, outing kinds.

Nothing here names a place, company or person of any particular district.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

# Offices, longest first so the regex prefers 副区长 over 区长. Party, government, people's
# congress, CPPCC, departments, development zones and state-owned companies.
CORE_TITLES = sorted(
    {
        "书记",
        "副书记",
        "常务副书记",
        "专职副书记",
        "党委书记",
        "党组书记",
        "党工委书记",
        "省长",
        "副省长",
        "市长",
        "副市长",
        "常务副市长",
        "常务副省长",
        "常务副主席",
        "常务副州长",
        "旗长",
        "副旗长",
        "常务副旗长",
        "代旗长",
        "盟长",
        "副盟长",
        "特派员",
        "区长",
        "副区长",
        "常务副区长",
        "县长",
        "副县长",
        "常务副县长",
        "镇长",
        "副镇长",
        "乡长",
        "副乡长",
        "州长",
        "副州长",
        "代市长",
        "代区长",
        "代县长",
        "代镇长",
        "主任",
        "副主任",
        "常务副主任",
        "局长",
        "副局长",
        "厅长",
        "副厅长",
        "处长",
        "副处长",
        "科长",
        "副科长",
        "部长",
        "副部长",
        "主席",
        "副主席",
        "秘书长",
        "副秘书长",
        "常委",
        "委员",
        "组织部长",
        "宣传部长",
        "统战部长",
        "政法委书记",
        "纪委书记",
        "监委主任",
        "董事长",
        "副董事长",
        "总经理",
        "副总经理",
        "总裁",
        "副总裁",
        "院长",
        "副院长",
        "校长",
        "副校长",
        "检察长",
        "副检察长",
        "庭长",
        "所长",
        "站长",
        "队长",
        "支队长",
        "大队长",
        "主任委员",
        "总工程师",
        "总经济师",
        "主委",
        "社长",
        "会长",
        "副会长",
        "行长",
        "副行长",
        "总队长",
        "政委",
        "司令员",
        "党组成员",
        "巡视员",
        "调研员",
        "领导",
        "区领导",
        "市领导",
        "县领导",
        "省领导",
    },
    key=len,
    reverse=True,
)

# Organisation words a title may start with (区委, 常州市工信局, 金科园党工委 …).
ORG_SUFFIX = (
    "省|市|区|县|州|盟|旗|镇|乡|街道|村|社区|园区|园|开发区|高新区|新区|委|局|厅|办|部|院|"
    "会|署|中心|集团|公司|政府|人大|政协|党委|党组|党工委|管委会|常委会|委员会|支行|分行|所|站|队"
)

# Most frequent Chinese surnames (well over 90% of the population), plus common compounds.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程贠"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥"
    "南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支"
    "卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印"
    "逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "令狐",
    "慕容",
    "尉迟",
    "公孙",
    "夏侯",
    "司徒",
    "长孙",
    "宇文",
    "端木",
    "澹台",
    "呼延",
    "南宫",
)

# Characters that follow a name but never end one: verbs and particles of news reporting.
AFTER_NAME = set(
    "在等和与及的率带主就对向是要为说到赴陪也则都还从以将把被给深指强表出一先作进来分同听看等参召主"
)

# Words that make a "…项目" phrase a category rather than a named project.
GENERIC_PROJECT_WORDS = set(
    """
重点 重大 重要 产业 民生 实事 政府性 政府 投资 外资 内资 科技型 科技 签约 引进 优质 新 创新 工业 招商引资 引资 企业
服务业 产业类 支撑型 省级 市级 区级 县级 国家级 一批 各类 相关 在建 新开工 开工 竣工 续建 招商 头部
建设 推进 加快 储备 谋划 实施 落地 培育 示范 试点 好 大 小 该 此 这个 这些 这 其他 其它 所有 全部 各
一期 二期 三期 四期 首期 后期 前期 本 我区 全区 全市 我市 技改 技术改造 基础设施 社会事业 城建
制造业 先进 高端 新兴 传统 亿元 以上 万元 个 项 批 一个 两个 多个 年度 全年 今年 明年 去年 当年
产业链 链 体量 质量 好的 的 及 和 与 等 中 类 型 性 级 千 百 十 一 二 三 四 五 六 七 八 九 两 些
入库 储备库 备案 审批 核准 在谈 签约落地 新增 累计 总 已 未 正在 正 即将 拟 计划 预计 年 优 强 优强 建 新一轮 一轮
滞后 上下游 实体 同类 类似
产业化 配套 发展 创新 生态 合作 基础 高质量 龙头 招引 同类 类似 省 市 县 区 镇 乡 村 街道 园区
农牧业 农业 牧业 畜牧业 医药 健康 新能源 新材料 精深加工 精深 深加工 加工 文旅 旅游 现代服务业 数字经济
高科技 高新技术 战略性 新兴产业 民营 国有 大型 小型 中型
集中 今天 今日 当天 核心
""".split()
)

# A "…项目" phrase ending in one of these is a category (重点项目, 落地项目, 各项目).
GENERIC_PROJECT_TAIL = set(
    """
重点 重大 各 后期 落地 优质 一批 大批 一大批 新 好 大 这些 该 其他 其它 相关 部分 签约 在建 续建
新开工 储备 招商 引进 实事 民生 政府性 投资 外资 内资 科技型 类 型 性 级 省级 市级 区级 县级
高质量 招引 头部 龙头 工业 这批 类似 同类
全部 所有 有关 更多 好的 本 此 这个 一些 多个 各类 两个 三个 重特大 小 中小 具体 单个 一轮 新一轮 一切 围着 盯着
核心 集中开工
""".split()
)

# Verbs of reporting and policy prose: a project name starts after the last of them.
DISCOURSE_VERBS = set(
    """
加快 推进 推动 抓好 抓 狠抓 确保 解决 协调 突出 突破 主攻 策划 精心策划 谋划 集聚 招引 服务 抢占
咬住 完成 传达 希望 要 加速 围绕 聚焦 支持 鼓励 实施 落实 开展 保障 做好 紧盯 盯 对接 争取 打造
培育 优化 强化 深化 扩大 促进 随着 通过 依托 督查 调研 视察 考察 观摩 察看 查看 走访 参观 来到
了 把 将 让 使 是 有 包括 其中 以及 还有 先后 实地 一行 帮助 帮扶 跟踪 分析 梳理 通报 介绍 听取
汇报 询问 了解 看 看望 检查 指导 关注 关心 重视 安排 部署 引领 带动 发挥 形成 实现 积极 主动
累计 新增 已 已有 目前 投资建设 投资 引进 落户 签约 开工建设 建成 竣工 投产 组织 远销 聚焦
全力 全力以赴 全面 持续 不断 进一步 大力 着力 切实 坚持 确定 明确 加大 增加 建立 完善 加强
宣布 下达 为 在 就 抓 抓实 大干 树立 深入 奋战 奋战在 位于 共同 一如既往 凝心聚力 聚力 发展 牢固树立
力抓 大力发展 除了 除 影响 解决 解决好 属于 成为 紧紧围绕 标志着 举行 做大 做强 按照 结合 预计
抓住 抓牢 擂响
引 上 把握 牢牢 献上 设 设有 既有 又有 也有 举办
""".split()
)

# Kinds of supervision outings, most specific first (SCHEMA.md: events).
EVENT_KIND = re.compile(
    r"(?:重点项目|重大项目|项目)?(?:集中)?(?:现场)?(?:观摩检查|督查|督导|调研|观摩|视察|考察|巡查|检查|拉练|评议|察看|查看)"
    r"(?:推进会|现场会|观摩会|点评会|会议|会|活动)?"
    r"|(?:重点项目|重大项目|项目)?集中(?:开复工|开竣工|开\(竣\)工|开工|复工|竣工|签约|投产)(?:投产)?(?:和[^,，。]{0,8}?)?(?:仪式|活动|现场会)?"
    r"|(?:重点项目|重大项目|项目)?(?:开工|开复工|竣工|签约|投产)(?:奠基)?(?:仪式|活动)|现场推进会|现场会"
)
# Every kind starts with one of these: the alternatives begin with optional words, so without
# this first look the regex tries all of them at every character (7× slower).
EVENT_KIND = re.compile(r"(?=[重项集现观督调视考巡检拉评察查开竣签投])(?:" + EVENT_KIND.pattern + ")")

# Units of district statistics (SCHEMA.md: indicators).
INDICATOR_UNITS = (
    "亿元|万元|元|亿美元|万美元|美元|家|个|所|项|户|人次|万人|人|套|辆|公里|平方公里|"
    "万平方米|平方米|亩|千瓦时|千伏安|千米|吨|头|只|件|%|个百分点"
)


@lru_cache(maxsize=1)
def word_frequencies() -> dict[str, int]:
    """jieba's shipped dictionary, loaded once and quietly."""
    import warnings

    with warnings.catch_warnings():  # jieba imports pkg_resources, which newer setuptools deprecate
        warnings.simplefilter("ignore", UserWarning)
        import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.dt.initialize()
    return jieba.dt.FREQ


def is_word(text: str) -> bool:
    """A word of jieba's dictionary (its prefix entries carry frequency 0)."""
    return word_frequencies().get(text, 0) > 0


@lru_cache(maxsize=1)
def name_like_words() -> frozenset[str]:
    """Two-character words of jieba's dictionary whose part-of-speech tag says they can be a
    person's name (黄忠 nr, 张家 nrfg) or are time words that are also given names (周天 t).
    Read with one pass over the dictionary file: jieba.posseg's own table takes seconds."""
    import jieba

    word_frequencies()
    with jieba.dt.get_dict_file() as file:
        entries = file.read().decode("utf-8")
    return frozenset(re.findall(r"^(\S{2}) \d+ (?:nr\w*|t)\s*$", entries, re.MULTILINE))


def is_common_word(text: str) -> bool:
    """A dictionary word that is not a person's name: 强调, 主持, 区长 (not 黄忠, 周天)."""
    return is_word(text) and text not in name_like_words()


@lru_cache(maxsize=8192)
def _segment(text: str) -> tuple[str, ...]:
    import jieba

    word_frequencies()
    return tuple(jieba.lcut(text, HMM=False))


def segment(text: str) -> list[str]:
    """Words of a short phrase, by jieba's dictionary alone (no HMM guesses for unknown words)."""
    return list(_segment(text))
