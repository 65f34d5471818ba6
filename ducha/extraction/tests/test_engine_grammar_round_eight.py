"""General grammar learnt on the eighth development round, on sentences written for these tests
(not taken from the corpus)."""

from datetime import date

from .grammar import events, indicators, people
from .grammar import projects_and_capacities as projects


def test_a_paragraph_without_a_project_keeps_the_project_told_before():
    text = (
        "南湖县果蔬深加工项目计划投资2亿元。\n"
        "该公司克服困难,积极推进建设进度,设备已全部到位。\n"
        "项目投产达效后,将年产果汁3万吨、果酱1.2万吨。预计可实现综合产值6亿元,税收800万元。"
    )
    assert projects(text) == [("南湖县果蔬深加工项目", 200000000, 600000000, [(30000, "吨"), (12000, "吨")])]
    assert indicators(text) == []


def test_a_lines_daily_size_is_not_a_yearly_capacity():
    text = "东岭粮油加工项目总投资1亿元,主要建设日处理200吨大豆精炼生产线,建成后年产食用油5万吨。"
    assert projects(text) == [("东岭粮油加工项目", 100000000, None, [(50000, "吨")])]


def test_a_groundbreaking_ceremony_with_its_foundation_stone_is_an_outing():
    text = "3月18日,西河县新材料产业园项目开工奠基仪式举行。"
    assert events(text, date(2021, 3, 20)) == [("项目开工奠基仪式", "2021-03-18", [], None)]


def test_an_item_of_a_visit_list_told_again_later_in_the_paragraph_takes_its_figures():
    text = (
        "县委书记李明一行先后来到华源电子、北辰食品、西岭新材等项目现场。"
        "计划投资12亿元的北辰食品,主要生产调味品,项目投产后年销售15亿元。"
    )
    assert projects(text) == [
        ("华源电子", None, None, []),
        ("北辰食品", 1200000000, 1500000000, []),
        ("西岭新材", None, None, []),
    ]


def test_new_machines_are_equipment_but_a_new_line_told_by_its_yearly_output_is_a_capacity():
    text = "东江纺织项目总投资5亿元,新上喷气织机、20套整经机等设备。"
    assert projects(text) == [("东江纺织项目", 500000000, None, [])]
    text = "东江化工项目总投资5亿元,新上年产8万吨环氧树脂生产线1条。"
    assert projects(text) == [("东江化工项目", 500000000, None, [(80000, "吨")])]


def test_a_works_named_without_xiangmu_at_a_clauses_head_with_its_total():
    text = "作为全市重点项目,北山煤矿总投资约12.5亿元,矿井设计产能90万吨/年。项目建成后将实现年收入4亿元。"
    assert projects(text) == [("北山煤矿", 1250000000, 400000000, [(900000, "吨")])]
    assert indicators(text) == []


def test_figures_after_a_sentence_on_these_projects_are_the_batchs():
    text = (
        "5月8日,东湖产业区项目集中开工,南岭光伏项目、西岭储能项目同时开工。"
        "这些项目的落地开工,是我县践行绿色发展的有力见证。项目建成后,预计每年新增工业产值超20亿元。"
    )
    assert [p[2] for p in projects(text)] == [None, None]


def test_the_verb_walking_into_a_site_is_not_part_of_the_name():
    text = "走进北坡光伏发电项目建设现场,工人们正在安装组件。"
    assert [p[0] for p in projects(text)] == ["北坡光伏发电项目"]


def test_the_parties_of_a_signing_are_not_part_of_the_projects_name():
    text = "南湖区与江东电器有限公司签约智能小家电制造项目,总投资3亿元,建成投产后年产值约2亿元。"
    assert projects(text) == [("智能小家电制造项目", 300000000, 200000000, [])]


def test_a_signing_ceremony_alone_is_no_outing_but_a_start_with_signing_is():
    assert events("3月2日,南湖区举行招商引资项目签约仪式,共签约项目5个。", date(2024, 3, 4)) == []
    text = "3月2日,南湖区举行重大项目集中签约、开工活动,集中开工项目8个。"
    assert [e[1] for e in events(text, date(2024, 3, 4))] == ["2024-03-02"]


def test_three_characters_between_an_office_and_a_mark_are_a_name_even_when_two_make_a_word():
    text = "区委常委、统战部部长游方全,区委常委、宣传部部长李红参加。"
    assert dict(people(text)) == {"游方全": ["区委常委", "统战部部长"], "李红": ["区委常委", "宣传部部长"]}


def test_names_in_a_list_of_attending_leaders_with_spaces_and_words_among_them():
    text = "县领导朱立伟、 许军、 黄河 、杨剑英、王超出席活动。"
    assert dict(people(text)) == {name: [] for name in ("朱立伟", "许军", "黄河", "杨剑英", "王超")}


def test_a_daily_rate_in_a_name_and_a_door_count_in_樘():
    assert projects("开启了概算投资2亿元的二期300t/d金精矿综合回收项目。") == [
        ("二期300t/d金精矿综合回收项目", 200000000, None, [])
    ]
    assert projects("东岭门业投资1亿元建设的年产30万樘门生产线,预计明年投产。") == [
        ("年产30万樘门生产线", 100000000, None, [(300000, "樘")])
    ]


def test_a_name_with_the_size_of_its_whole_and_of_the_part_built_keeps_the_part():
    text = "县领导出席南岭集团50万头生猪产业链北坡3000头种猪场项目开工仪式。"
    assert projects(text) == [("南岭集团50万头生猪产业链北坡3000头种猪场项目", None, None, [(3000, "头")])]


def test_yearly_freight_is_a_capacity_but_the_reach_of_a_port_is_not():
    text = "东港物流园项目总投资12亿元。该项目建成后,可辐射周边约150公里范围,年货物运量800万吨。"
    assert projects(text) == [("东港物流园项目", 1200000000, None, [(8000000, "吨")])]


def test_a_reserve_of_capacity_is_not_a_project():
    text = "目前,公司在本地已储备300兆瓦风力发电项目,争取早日开工。"
    assert projects(text) == []


def test_the_project_a_relative_clause_introduces_without_xiangmu():
    text = "投产的项目为东岭电子智能终端生产基地,该项目全面建成后,可实现年产值12亿元。"
    assert projects(text) == [("东岭电子智能终端生产基地", None, 1200000000, [])]


def test_a_plan_issued_counts_its_projects():
    text = "日前,我市已下达市重点项目计划120项,总投资860亿元,年度计划投资150亿元。"
    assert indicators(text) == [
        ("市重点项目", None, 120, "项"),
        ("市重点项目总投资", None, 86000000000, "元"),
        ("市重点项目年度计划投资", None, 15000000000, "元"),
    ]


def test_a_months_tally_of_starts_is_the_citys_statistic_not_an_outing():
    text = (
        "2月20日从南湖市发改委获悉,该市元月集中开工、签约项目36个,总投资额215亿元。"
        "据悉,南湖市元月有14个重大项目开工,总投资额达62亿元。"
    )
    assert indicators(text) == [
        ("集中开工、签约项目", "1月", 36, "个"),
        ("集中开工、签约项目总投资额", "1月", 21500000000, "元"),
        ("重大项目", "1月", 14, "个"),
        ("重大项目总投资额", "1月", 6200000000, "元"),
    ]
    assert events(text, date(2018, 2, 21)) == []
    # a ceremony named by its month is still one
    text = "3月9日,南湖县举行2021年3月份项目集中开工仪式。"
    assert [e[1] for e in events(text, date(2021, 3, 11))] == ["2021-03-09"]


def test_a_class_qualified_by_its_total_then_counted_and_the_years_aim():
    text = "今年以来,南湖县确定了总投资120亿元的省市县重点项目30个,力争年内完成投资40亿元。"
    assert indicators(text) == [
        ("省市县重点项目", None, 30, "个"),
        ("省市县重点项目总投资", None, 12000000000, "元"),
        ("省市县重点项目年内完成投资", None, 4000000000, "元"),
    ]


def test_the_items_of_projects_just_counted_are_projects_without_xiangmu():
    text = "这次开工、竣工的5个重点项目中,有3个项目竣工,包括南湖污水处理厂、北岭光伏电站、东关农贸大市场;有2个项目开工。"
    assert [p[0] for p in projects(text)] == ["南湖污水处理厂", "北岭光伏电站", "东关农贸大市场"]


def test_what_the_programme_will_complete_is_its_estimate():
    text = "1至11月,全县120个重点项目完成投资80亿元,预计全年将完成投资92亿元。"
    assert indicators(text) == [
        ("重点项目", "1-11月", 120, "个"),
        ("重点项目完成投资", "1-11月", 8000000000, "元"),
        ("重点项目完成投资", None, 9200000000, "元"),
    ]


def test_an_inspection_and_a_ceremony_told_as_one_meeting_are_two_outings():
    text = "4月10日,南湖县召开一季度重点项目观摩会暨二季度重点项目集中开工仪式。总投资12亿元的30个重点项目集中开工。"
    assert sorted(e[0] for e in events(text, date(2023, 4, 11))) == ["重点项目观摩会", "重点项目集中开工仪式"]


def test_a_ceremony_the_text_says_was_held_is_an_outing_without_day_or_count():
    text = "日前,南湖县在东区产业园举行了简约而隆重的重点项目开工仪式,共有8个工业、6个城建重点项目。"
    assert events(text) == [("重点项目开工仪式", None, [], None)]


def test_a_batch_started_lately_is_counted():
    text = "南湖县总投资50亿元的32个项目近日集中开复工。"
    assert events(text) == [("集中开复工", None, [], 32)]


def test_a_ports_yearly_throughput_but_not_its_berths_lines_or_stores():
    text = (
        "东港物流园项目总投资20亿元,将建设12公里铁路专用线、30万吨储煤设施和3个5000吨级码头泊位,"
        "建成后年中转货物量可达900万吨。"
    )
    assert projects(text) == [("东港物流园项目", 2000000000, None, [(9000000, "吨")])]


def test_savings_and_the_wind_turbines_installed_are_not_capacities_but_storage_is():
    text = (
        "北山50万千瓦风电项目总投资25亿元,布局16台7.5兆瓦风机,配套2座升压站及5万千瓦/10万千瓦时储能设施,"
        "年新增绿电13亿千瓦时,相当于节约标煤40万吨、减排二氧化碳111万吨。"
    )
    capacities = projects(text)[0][3]
    assert (50000, "千瓦") in capacities and (100000, "千瓦时") in capacities
    assert not [c for c in capacities if c[1] in ("吨", "台", "兆瓦")]


def test_a_line_with_what_goes_with_it_keeps_its_yearly_output():
    text = "新型材料生产线项目总投资2亿元,主要建设年产5万吨保温材料生产线一条及其配套设施。"
    assert projects(text) == [("新型材料生产线项目", 200000000, None, [(50000, "吨")])]


def test_a_class_of_projects_by_place_counted_after_its_name_is_not_a_project():
    text = (
        "13个项目分别是南湖县东岭乡高丰村道路建设项目、北坡镇养猪场建设项目。"
        "根据位置划分,东岭乡项目1个,总投资0.14亿元;北坡镇项目1个,总投资0.05亿元。"
    )
    assert [p[1] for p in projects(text)] == [None, None]


def test_one_quantity_of_two_products_opens_one_name():
    text = "其中,年产800万重量箱超白光伏、超薄电子玻璃项目总投资12亿元,预计年产值30亿元。"
    assert projects(text) == [
        ("年产800万重量箱超白光伏、超薄电子玻璃项目", 1200000000, 3000000000, [(8000000, "重量箱")])
    ]


def test_new_output_is_the_projects_but_the_output_it_brings_others_is_not():
    text = "东岭新材料项目总投资3亿元,致力于实现高端材料国产化,新增工业产值5亿元以上。"
    assert projects(text) == [("东岭新材料项目", 300000000, 500000000, [])]
    text = "东岭合金带钢项目总投资15亿元,年生产热轧钢卷180万吨,可带动下游产业新增产值100亿元。"
    assert projects(text)[0][2] is None


def test_what_a_project_both_is_and_also_is_names_no_other_project():
    text = "东岭石膏板项目总投资20亿元。该项目既是国家“双百工程基地”项目,也是国家“固废综合利用基地”项目。"
    assert [p[0] for p in projects(text)] == ["东岭石膏板项目"]


def test_slogans_about_projects_name_no_project():
    text = "要迅速掀起新一轮项目建设热潮;一切围着项目转、一切盯着项目干。"
    assert projects(text) == []


def test_the_amount_after_a_list_of_projects_is_their_sum():
    text = "一季度集中开工项目共3个,包括东岭蛋鸡产业园项目、北坡牛奶生产项目、南湖康复中心建设项目,总投资12亿元。"
    assert [p[1] for p in projects(text)] == [None, None, None]


def test_an_amount_before_a_list_closed_by_a_count_is_the_batchs():
    text = (
        "其中工业项目3个,分别是投资2亿元的东岭照明生产项目,"
        "投资5.9亿元的分布式能源站、220千伏输变电、综合服务中心等三个基础配套项目。"
    )
    assert projects(text)[0][1] == 200000000
    assert all(p[1] is None for p in projects(text)[1:])


def test_the_words_before_a_dash_and_the_projects_of_every_company_name_no_project():
    text = "对俄合作取得实质性进展--北江跨境公路大桥项目总投资24亿元。各企业项目加快推进。"
    assert projects(text) == [("北江跨境公路大桥项目", 2400000000, None, [])]
