"""General grammar of projects, money, capacities and people learnt on the ninth to twelfth development
rounds (news of ceremonies, visits and signings), on sentences written for these tests (not taken from the
corpus); the indicators of those rounds are tested in test_engine_grammar_round_*_indicators.py."""

from .grammar import capacities, people, projects


def test_a_verb_and_its_object_are_no_project():
    text = (
        "会上要求,要不遗余力引项目、全力以赴建项目,以上高端项目、育新兴产业为抓手,"
        "牢牢把握项目建设黄金期,以南岭食品加工项目建设带动产业链延伸,以蛋品核心项目为龙头。"
    )
    assert [name for name, _, _ in projects(text)] == ["南岭食品加工项目"]


def test_the_day_s_batch_is_no_project():
    text = "今天集中开工项目分别是:北塘物流园项目、西溪光电项目,总投资12亿元。"
    assert projects(text) == [("北塘物流园项目", None, None), ("西溪光电项目", None, None)]


def test_the_second_of_two_things_joined_by_ji_is_the_project():
    text = "3月2日,东川县举行重大项目集中开工暨北辰光电产业园项目开工仪式。该项目总投资8亿元。"
    assert projects(text) == [("北辰光电产业园项目", 800000000, None)]


def test_the_project_told_after_a_source_is_the_last_one():
    text = "南山区举行北辰光电产业园项目开工仪式。\n“光电产业园”是此次集中开工项目中的龙头。据了解,该项目总投资20亿元。"
    assert projects(text) == [("北辰光电产业园项目", 2000000000, None)]


def test_an_amount_after_a_list_of_projects_with_their_companies_is_the_list_s():
    text = (
        "投产的项目是:东岭新能源有限公司储能设备制造项目、西川食品有限公司饮料加工项目,"
        "总投资16亿元,可实现年产值30亿元。"
    )
    assert projects(text) == [
        ("东岭新能源有限公司储能设备制造项目", None, None),
        ("西川食品有限公司饮料加工项目", None, None),
    ]


def test_an_amount_after_a_class_counted_after_a_project_is_the_class_s():
    text = "加上此前开工的北辰电气项目,东川县一季度开工重点项目5个,总投资26亿元。"
    assert projects(text) == [("北辰电气项目", None, None)]


def test_a_project_named_by_its_company_then_by_the_company_s_brand_is_one():
    text = (
        "当天,浙江南禾粮油科技有限公司项目开工仪式在东安镇举行。\n"
        "南禾粮油10万吨/年食品加工基地项目总投资5亿元,用地150亩。"
    )
    assert len(projects(text)) == 1
    assert projects(text)[0][1] == 500000000


def test_the_project_told_before_under_a_word_for_its_kind_is_no_new_project():
    text = "北塘油脂改扩建项目总投资13亿元。董事长说,该扩建项目达产后预计实现销售收入约30亿元。"
    assert projects(text) == [("北塘油脂改扩建项目", 1300000000, 3000000000)]


def test_a_project_of_the_county_is_still_a_project():
    text = "目前,该县新材料园区建设项目已累计完成投资15亿元。"
    assert [name for name, _, _ in projects(text)] == ["新材料园区建设项目"]


def test_a_preposition_before_project_ends_no_name():
    text = "县长在致辞中代表县委、县政府对项目的顺利开工表示祝贺。"
    assert projects(text) == []


def test_the_park_where_a_project_stands_is_not_part_of_its_name():
    text = "开工活动在东川县经济开发区城南园区北辰汽车线束项目生产基地举行。"
    assert [name for name, _, _ in projects(text)] == ["北辰汽车线束项目"]


def test_heads_of_associations_are_not_officials():
    text = "区长李明出席。中国食品学会油脂分会会长王瑞平到场祝贺。"
    assert people(text) == [("李明", ["区长"])]


def test_the_last_name_of_a_list_before_a_verb_of_attending():
    text = "市领导张雪龙、方伟、石海波参加开工仪式。"
    assert people(text) == [("张雪龙", []), ("方伟", []), ("石海波", [])]


def test_a_name_opening_on_a_particle_s_character_in_the_escort_phrase():
    text = "市委书记李明在市委常委、秘书长向明远的陪同下调研项目建设。"
    assert people(text) == [("李明", ["市委书记"]), ("向明远", ["市委常委", "秘书长"])]


def test_the_largest_project_of_a_batch_named_after_a_copula_is_a_project():
    text = "在40个产业项目中,单体投资最大项目为东港丙烯产业链项目,总投资80亿元。"
    assert projects(text) == [("东港丙烯产业链项目", 8000000000, None)]


def test_one_item_before_its_count_after_a_verb():
    text = "当天,南川县集中开工了北辰电气有限公司智能装备生产等9个项目,总投资23亿元。"
    assert [name for name, _, _ in projects(text)] == ["北辰电气有限公司智能装备生产"]


def test_a_yearly_turnover_is_expected_output():
    text = "北辰智能装备项目位于县开发区,建成投用后年营业额可达3000万元。"
    assert projects(text) == [("北辰智能装备项目", None, 30000000)]


def test_rated_power_and_yearly_mining_are_capacities_emissions_avoided_are_not():
    text = (
        "东岭光伏发电项目建设额定容量200MW的光伏电站,每年减少二氧化碳排放25万吨。"
        "西岭石材开采项目年开采量100万立方米。"
    )
    assert capacities(text) == [(200, "MW"), (1000000, "立方米")]


def test_a_works_said_to_belong_to_its_company_is_the_project():
    text = "南山石材产业园属东岭矿业有限公司下游加工项目,计划总投资2亿元。"
    assert projects(text) == [("南山石材产业园", 200000000, None)]


def test_a_project_called_by_its_company_s_brand_is_the_company_s_project():
    text = (
        "投产的项目是:东岭风电设备有限公司智能风机制造基地项目、西川食品有限公司饮料加工项目。\n"
        "东岭风电项目从开工到投产用时6个月。"
    )
    assert len(projects(text)) == 2


def test_the_venue_set_for_a_project_after_the_verb():
    text = "此次开工仪式设北辰马铃薯全产业链项目主会场。"
    assert [name for name, _, _ in projects(text)] == ["北辰马铃薯全产业链项目"]


def test_companies_listed_before_the_builders_of_projects_are_no_projects():
    text = "东岭农业集团有限公司、西川农牧有限公司、南山生物科技有限公司等项目单位主要负责人出席仪式。"
    assert projects(text) == []


def test_a_works_and_a_project_after_a_class_that_has_them():
    text = "竣工项目有东城移民安置小区工程、北岭铝业有限公司年产2万吨铝型材项目,总投资5亿元。"
    assert [name for name, investment, _ in projects(text)] == [
        "东城移民安置小区工程",
        "北岭铝业有限公司年产2万吨铝型材项目",
    ]
    assert all(investment is None for _, investment, _ in projects(text))


def test_an_amount_that_qualifies_a_counted_batch_is_the_batch_s():
    text = "北岭水系连通工程项目暨全市重大项目集中开工仪式在南川县举行,总投资48亿元的19个重点项目集中开工。"
    assert projects(text) == [("北岭水系连通工程项目", None, None)]


def test_a_works_named_with_or_without_the_word_for_its_making_is_one():
    text = (
        "开工项目有东岭矿业有限公司年产3万吨高能量锰酸锂项目标准厂房建设、县医院综合楼项目。"
        "高能量锰酸锂生产项目的建设,有利于延伸产业链。"
    )
    assert len(projects(text)) == 2


# ---- round ten ----------------------------------------------------------------------------


def test_the_items_of_a_roll_of_projects_named_without_project():
    text = "附项目概况:北岭产学研合作基地,计划投资5亿元,规划用地78亩;南湖大道配套道路工程,总投资1.18亿元。"
    assert projects(text) == [
        ("北岭产学研合作基地", 500000000, None),
        ("南湖大道配套道路工程", 118000000, None),
    ]


def test_a_company_then_what_it_builds_then_the_project():
    text = (
        "东岭新材料有限公司投资建设280万米塑料管材生产项目,总投资约1.5亿元。"
        "西川科技有限责任公司新建烟用材料产业园项目,总投资约1.8亿元,新建厂房及配套设施约3.2万平方米。"
    )
    assert projects(text) == [
        ("280万米塑料管材生产项目", 150000000, None),
        ("烟用材料产业园项目", 180000000, None),
    ]
    assert capacities(text) == [(2800000, "米")]


def test_a_park_and_a_project_joined_by_and_are_two():
    text = "书记一行来到北岭新能源材料产业园和南湖镍业不锈钢棒线材加工项目现场调研。"
    assert [name for name, _, _ in projects(text)] == ["北岭新能源材料产业园", "南湖镍业不锈钢棒线材加工项目"]


def test_one_example_before_a_class_of_projects_is_a_project():
    text = "这些项目既有北岭特种水泥等高新技术项目,也有南湖杏鲍菇、年产20万吨饲料加工等生态农业产业化项目。"
    assert [name for name, _, _ in projects(text)] == ["北岭特种水泥", "南湖杏鲍菇", "年产20万吨饲料加工"]
    assert capacities(text) == [(200000, "吨")]


def test_the_services_given_to_projects_are_no_projects():
    text = "该县深化重大项目包保、重点项目前期手续代办等项目服务举措。"
    assert projects(text) == []


def test_the_floor_space_of_buildings_and_their_facilities_is_no_capacity():
    text = "南湖印材产业园项目总投资1.8亿元,新建生产厂房、办公楼及配套设施约3.2万平方米。"
    assert capacities(text) == []


def test_a_daily_size_in_a_name_is_no_capacity():
    assert capacities("西岭乳业有限公司日处理800吨乳品加工厂建设项目开工。") == []


def test_heads_of_foundations_are_not_officials():
    text = "区长李明出席。东岭文化发展基金会常务副主席王明远到场。"
    assert people(text) == [("李明", ["区长"])]


def test_what_a_county_holds_is_no_project():
    assert projects("新兴县举办2019年项目集中开工仪式。") == []


def test_a_name_with_a_two_character_surname():
    assert people("伴随副市长欧阳明的一声令下,项目开工。") == [("欧阳明", ["副市长"])]


def test_a_works_named_by_its_own_ceremony():
    text = "在东川高新区北辰药业原料药生产基地开工典礼现场,区委书记李明讲话。"
    assert [name for name, _, _ in projects(text)] == ["北辰药业原料药生产基地"]


def test_the_example_that_stands_for_a_class_is_a_project_without_the_class_s_figures():
    text = (
        "此次集中开工40个项目。其中,以建设南岭农产品交易市场为代表的21个城建及社会事业项目,总投资82亿元;"
        "以北岭河流域水环境综合治理工程为代表的5个水利项目,总投资1.2亿元。"
    )
    assert projects(text) == [
        ("南岭农产品交易市场", None, None),
        ("北岭河流域水环境综合治理工程", None, None),
    ]


def test_places_listed_before_a_ceremony_are_no_projects():
    assert projects("东川县在五里镇、丹水镇、太平镇等地同时举行重大项目集中开工仪式。") == []


# ---- round eleven -------------------------------------------------------------------------


def test_ji_inside_a_project_s_name_joins_its_parts():
    text = "北岭资源综合利用暨乡村振兴产业项目,总投资3亿元。"
    assert projects(text) == [("北岭资源综合利用暨乡村振兴产业项目", 300000000, None)]


def test_the_sum_after_two_items_of_which_the_first_is_named_without_project():
    text = "城郊镇分别与两家公司签约南山艾草深加工产业、北岭资源综合利用产业项目,总投资约4亿元。"
    assert [investment for _, investment, _ in projects(text)] == [None]


def test_a_project_s_builder_is_no_project():
    assert projects("北辰供电生产线项目负责人代表开工项目业主作表态发言。") == []


def test_the_industrial_park_where_a_project_stands_is_not_part_of_its_name():
    text = "我市同步在岳山工业园湖北北辰生物项目现场举行集中开工仪式。"
    assert [name for name, _, _ in projects(text)] == ["湖北北辰生物项目"]


def test_an_office_after_a_name_ends_the_list_of_names():
    text = "区委书记秦文明、区长江志刚、区人大常委会主任张献文出席开工活动。"
    assert people(text) == [("秦文明", ["区委书记"]), ("江志刚", ["区长"]), ("张献文", ["区人大常委会主任"])]


def test_a_candidate_for_an_office():
    assert people("县委常委、副县长候选人胡明伟介绍了情况。") == [("胡明伟", ["县委常委", "副县长候选人"])]


def test_a_span_of_output_is_told_by_its_lower_end():
    assert projects("南岭数码城项目总投资5亿元,预计全部投产后可实现年产值300—400亿元。") == [
        ("南岭数码城项目", 500000000, 30000000000)
    ]
    assert projects("北岭油脂项目总投资1.3亿元,达产后年产值可达7-8亿元。") == [
        ("北岭油脂项目", 130000000, 700000000)
    ]


def test_invoicing_expected_is_output():
    text = "北辰电磁线项目总投资20亿元,项目全部投产达效后可实现开票20亿元以上。"
    assert projects(text) == [("北辰电磁线项目", 2000000000, 2000000000)]


def test_the_project_told_after_a_paragraph_that_opens_on_a_company_is_the_company_s():
    text = (
        "东岭油脂有限公司地处城南工业园,是一家以生产棉籽蛋白为主的公司。\n"
        "项目总投资近1.3亿元,新建厂房约18万平方米。"
    )
    assert projects(text) == [("东岭油脂有限公司", 130000000, None)]


def test_a_project_a_company_builds_is_not_named_by_the_company():
    text = "该项目由东岭生物科技股份有限公司投资建设,年产大豆油1.5万吨。"
    assert projects(text) == []


# ---- round twelve -------------------------------------------------------------------------


def test_an_amount_after_the_words_of_money_written_without_yuan():
    assert projects("北岭铝材项目总投资26亿,投产后产值可达700多亿。") == [
        ("北岭铝材项目", 2600000000, 70000000000)
    ]
    text = "签约项目分别是总投资26亿的年产20万吨高端铝材项目、总投资10亿的东岭门窗生产基地项目等。"
    assert [investment for _, investment, _ in projects(text)] == [2600000000, 1000000000]


def test_a_count_of_ten_thousand_is_no_amount():
    assert projects("北岭养殖项目总投资2亿元,建成后年出栏生猪10万头,带动就业1万人。")[0][1:] == (
        200000000,
        None,
    )


def test_a_big_project_of_the_kind_is_not_the_one_told():
    text = (
        "北岭板材有限公司投资1亿元的中高密度板项目,填补了该县没有上亿元木材深加工大项目的空白。"
        "项目现已试生产,达产后年可实现产值1亿元。该县与南湖集团洽谈的木材深加工项目已取得进展。"
    )
    assert projects(text)[0] == ("中高密度板项目", 100000000, 100000000)


def test_a_class_of_projects_by_size_is_no_project():
    assert projects("今年,该县重点上固定资产超亿元精深加工项目,扶持小型加工户。") == []


def test_yards_of_cloth_are_a_capacity():
    assert capacities("北岭纺织面料项目总投资11亿元,建设织布生产线100条,年生产高端面料8400万码。") == [
        (84000000, "码")
    ]


def test_an_amount_then_what_it_builds_is_the_project_s():
    text = "董事长说,公司将在本区投资18亿元,建设年产60万吨日用玻璃生产项目,全面达产后年税收超过1亿元。"
    assert projects(text) == [("年产60万吨日用玻璃生产项目", 1800000000, None)]


def test_the_first_name_of_a_list_after_a_group_of_officials_may_be_a_word():
    assert people("市领导高尚、葛明、常言龙出席。") == [("高尚", []), ("葛明", []), ("常言龙", [])]
    assert people("市领导来我县,调研项目建设。") == []
