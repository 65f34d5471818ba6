"""General grammar of the rules, on sentences written for these tests (not taken from the corpus)."""

from datetime import date

from ducha.extraction.engine import extract_document
from ducha.extraction.engine.text import layout


def indicators(text: str) -> list[tuple]:
    result = extract_document(text, source="t")
    return [(i["name"], i["period"], i["value"], i["unit"], i["yoy_pct"]) for i in result["indicators"]]


def projects(text: str) -> list[tuple]:
    result = extract_document(text, source="t")
    return [
        (
            p["name"],
            p["investment"] and p["investment"]["amount"],
            p["annual_revenue"] and p["annual_revenue"]["amount"],
            [(c["quantity"], c["unit"]) for c in p["capacities"]],
        )
        for p in result["projects"]
    ]


def test_spaces_around_figures_are_read_and_offsets_still_map_to_the_input():
    text = "上半年,全县策划入库项目 93 个,总投资 45 亿元。"
    assert indicators(text) == [
        ("策划入库项目", "1-6月", 93, "个", None),
        ("策划入库项目总投资", "1-6月", 4500000000, "元", None),
    ]
    doc = layout(text)
    at = doc.text.index("45")
    assert text[doc.origin(at) : doc.origin(at) + 2] == "45"


def test_growth_words_and_growth_before_the_level():
    assert indicators("前三季度全县实现地区生产总值356.2亿元,增幅为6.5%。") == [
        ("地区生产总值", "1-9月", 35620000000, "元", 6.5)
    ]
    assert indicators("1-10月,全区规上工业总产值同比增长9.6%,达到325.4亿元。") == [
        ("规上工业总产值", "1-10月", 32540000000, "元", 9.6)
    ]
    # a growth without any level stays out (SCHEMA.md)
    assert indicators("上半年,全县固定资产投资同比增长8.5%。") == []


def test_respective_growths_go_to_the_figures_in_order():
    assert indicators("前三季度,全市接待游客1256万人次,实现旅游收入98.6亿元,分别增长25.3%、31.2%。") == [
        ("接待游客", "1-9月", 12560000, "人次", 25.3),
        ("旅游收入", "1-9月", 9860000000, "元", 31.2),
    ]


def test_threshold_amount_is_kept_and_elided_subject_restored():
    assert indicators("今年以来,全市开工重点项目94个,其中投资亿元以上的31个,10亿元以上的5个。") == [
        ("开工重点项目", None, 94, "个", None),
        ("投资亿元以上项目", None, 31, "个", None),
        ("10亿元以上项目", None, 5, "个", None),
    ]


def test_bare_hundred_and_outlook_of_a_project():
    assert projects("华友新能源材料项目总投资超百亿元,达产后预计可实现产值30亿元。") == [
        ("华友新能源材料项目", 10000000000, 3000000000, [])
    ]
    # what a project will yield after it is built is not the area's statistic
    assert indicators("项目建成后,亩均产值可达到150万元,亩均税收11万元。") == []


def test_classes_of_projects_are_not_projects():
    assert projects("今年以来,我市共开工重点项目94个,其中工业实体项目67个。") == []
    assert projects("一季度开工项目20个,总投资30.49亿元。") == []
    assert projects("宏达精密铸造项目开工。该项目为先进制造业项目,总投资3亿元。") == [
        ("宏达精密铸造项目", 300000000, None, [])
    ]


def test_coordinated_name_and_two_works_joined_by_and():
    assert [p[0] for p in projects("市领导来到宏远强链、延链、补链新材料项目。")] == [
        "宏远强链、延链、补链新材料项目"
    ]
    assert [
        p[0]
        for p in projects(
            "调研组一行先后来到正威铜材、万洋众创城项目,实地察看项目建设进度情况,听取企业负责人关于生产经营的汇报。"
        )
    ] == []
    names = [
        p[0]
        for p in projects(
            "调研组一行先后来到金山湖生态修复工程和城南污水处理厂提标改造项目,详细了解项目进展。"
        )
    ]
    assert names == ["金山湖生态修复工程", "城南污水处理厂提标改造项目"]


def test_capacities_counted_in_units_and_floor_space_left_out():
    assert projects("华能电厂扩建项目总投资80亿元,装机容量2×100万千瓦。")[0][3] == [(2000000, "千瓦")]
    assert projects("宏达纸品包装项目总投资2亿元,建设厂房1万平方米、年产纸箱5000万平方米的生产线。")[0][
        3
    ] == [(50000000, "平方米")]


def test_projects_counted_by_their_stage_are_named_as_projects():
    assert indicators("今年全镇计划实施项目40项,其中续建12项,新建28项,当年投资6亿元。") == [
        ("计划实施项目", None, 40, "项", None),
        ("续建项目", None, 12, "项", None),
        ("新建项目", None, 28, "项", None),
        ("计划实施项目当年投资", None, 600000000, "元", None),
    ]
    # no projects talked about: the stage word is not made a class of projects
    assert "开工项目" not in [i[0] for i in indicators("全年开工18个。")]


def test_a_list_of_amounts_each_before_its_name():
    found = projects(
        "截至目前,投资3200万元的东河堤防工程(二期)、投资1.2亿元的南山安置小区和投资860万元的"
        "北坡小学等3个项目已完工,投资2.6亿元的西湾硅业矿热炉二期、投资900万元的红星路改造等5个正在做开工准备。"
    )
    assert [(p[0], p[1]) for p in found] == [
        ("东河堤防工程(二期)", 32000000),
        ("南山安置小区", 120000000),
        ("北坡小学", 8600000),
        ("西湾硅业矿热炉二期", 260000000),
        ("红星路改造", 9000000),
    ]


def test_place_and_examples_are_left_out_of_an_indicator_name():
    assert indicators("今年,青山县实施宏达光伏、云岭提氦等500万元以上重点项目32个,总投资61亿元。") == [
        ("500万元以上重点项目", None, 32, "个", None),
        ("500万元以上重点项目总投资", None, 6100000000, "元", None),
    ]
    assert indicators("1-6月,松原州地区生产总值310.5亿元,同比增长5.2%。") == [
        ("地区生产总值", "1-6月", 31050000000, "元", 5.2)
    ]
    # 市场 and 省市县 are not places
    assert [i[0] for i in indicators("全县新增市场主体3200户。省市县重点项目25个。")] == [
        "新增市场主体",
        "省市县重点项目",
    ]


def test_parts_of_an_event_batch_told_in_the_next_sentence():
    assert (
        indicators(
            "本次集中开工仪式共有8个项目,总投资9.6亿元。主要有:农业类项目3个,总投资2亿元;"
            "水利类项目、教育类项目各1个,总投资0.8亿元。"
        )
        == []
    )
    assert indicators("全县在乌兰镇举行招商引资项目集中签约仪式。现场签约项目12个,签约总额超过9亿元。") == []


def test_a_place_or_a_season_with_projects_names_no_project():
    text = "近日,青山市2021年秋季招商引资项目集中签约。白水县紧紧围绕项目建设抓落实。红岩县兴达陶瓷项目开工。"
    assert [p[0] for p in projects(text)] == ["红岩县兴达陶瓷项目"]


def test_ceremony_on_the_day_of_the_dateline_and_joint_restart():
    result = extract_document(
        "新华网西宁4月2日电 当日,青山县举行2022年重点项目集中开复工仪式,开工的18个项目涵盖多个领域。",
        source="t",
        doc_date=date(2022, 4, 3),
    )
    assert [(e["kind"], e["date"]) for e in result["events"]] == [("重点项目集中开复工仪式", "2022-04-02")]


def test_two_character_name_before_a_word_that_follows_names():
    result = extract_document("县委书记袁力参加拉练,介绍相关情况。", source="t")
    assert [(p["name"], p["titles"]) for p in result["people"]] == [("袁力", ["县委书记"])]


def test_what_a_project_is_said_to_be_is_not_another_project():
    found = projects("东湖园区宏盛新材料项目,是全省打造新材料基地的强链补链项目,总投资12亿元。")
    assert [(p[0], p[1]) for p in found] == [("东湖园区宏盛新材料项目", 1200000000)]


def test_capacities_of_livestock_and_equipment_left_out():
    assert projects("年出栏百万头生猪养殖项目开工。")[0][3] == [(1000000, "头")]
    found = projects("青松风电场项目总投资9亿元,规划装机规模10万千瓦,安装2.5兆瓦风力发电机组40台。")
    assert found[0][3] == [(100000, "千瓦")]
    assert projects("白云文旅小镇项目占地300亩,耗资近12亿元。")[0][1] == 1200000000


def test_a_listed_project_named_without_xiangmu_gets_its_figures_later():
    found = projects(
        "县领导参加宏光新材料、汉鼎电子科技等2个项目集中开工仪式。\n"
        "宏光新材料计划总投资3.6亿元,拟建设厂房、仓库等。项目全部建成达产后,预计年产值可达1亿元以上。"
    )
    assert ("宏光新材料", 360000000, 100000000, []) in found


def test_a_signed_amount_is_investment_and_a_handling_capacity_is_a_capacity():
    assert projects("现场签约的青山智能装备制造项目,签约金额8亿元。")[0][1] == 800000000
    found = projects("长河港区码头扩建项目总投资5亿元,建成后年吞吐量300万吨。")
    assert found[0][3] == [(3000000, "吨")]


def test_a_count_of_months_is_a_period_not_a_count():
    assert indicators("前8个月全区新开工项目26个。") == [("新开工项目", "1-8月", 26, "个", None)]
    assert indicators("今年前8个月实现规上工业产值120亿元。") == [
        ("规上工业产值", "1-8月", 12000000000, "元", None)
    ]


def test_a_period_compared_with_is_not_the_figures_period():
    assert indicators(
        "上半年,全市新登记市场主体2.1万户,较一季度提高12个百分点;全市货物发送量560万吨,增长9.5%。"
    ) == [
        ("新登记市场主体", "1-6月", 21000, "户", None),
        ("货物发送量", "1-6月", 5600000, "吨", 9.5),
    ]


def test_livestock_heads_lengths_and_transformer_capacity_are_indicator_units():
    assert indicators(
        "前三季度,全县羊出栏12.5万只,增长3.1%;全市电力电缆产量3200千米,变压器产量150万千伏安。"
    ) == [
        ("羊出栏", "1-9月", 125000, "只", 3.1),
        ("电力电缆产量", "1-9月", 3200, "千米", None),
        ("变压器产量", "1-9月", 1500000, "千伏安", None),
    ]


def test_a_statistic_named_by_its_latin_abbreviation():
    assert indicators("上半年,全州GDP实现210.5亿元,增长6.1%。") == [("GDP", "1-6月", 21050000000, "元", 6.1)]


def test_a_ceremony_reports_counts_of_its_stage_are_its_batch():
    text = (
        "3月2日,全区举行一季度重点项目集中开工活动。\n"
        "一季度开工项目12个,总投资18亿元,占全年新开工项目的40%;计划投产项目5个,总投资6亿元。\n"
        "今年以来,全区累计开工项目30个。"
    )
    assert indicators(text) == [("开工项目", None, 30, "个", None)]


def test_a_stage_count_of_the_projects_just_counted_and_a_comma_left_out_after_a_percentage():
    assert indicators(
        "1-6月,全市30个新建项目已开工28个,完成投资12亿元,占年度计划的60%15个前期项目有序推进。"
    ) == [
        ("新建项目", "1-6月", 30, "个", None),
        ("新建项目已开工", "1-6月", 28, "个", None),
        ("新建项目完成投资", "1-6月", 1200000000, "元", None),
        ("前期项目", "1-6月", 15, "个", None),
    ]


def outings(text: str) -> list[tuple]:
    result = extract_document(text, source="t")
    return [(e["kind"], e["date"], e["leaders"]) for e in result["events"]]


def test_a_start_ceremony_named_without_jizhong_and_dated_by_the_year_of_its_sentence():
    assert outings("4月13日,青山区举行2021年重点项目开工活动,区委书记张明宣布开工。") == [
        ("重点项目开工活动", "2021-04-13", ["张明"])
    ]


def test_an_inspection_after_taking_part_in_a_ceremony_is_an_outing_of_its_own():
    text = "3月10日,区委书记张明出席重点项目集中开工仪式。参加开工仪式后,张明一行还查看了城东污水处理厂项目建设情况。"
    assert outings(text) == [("重点项目集中开工仪式", None, ["张明"]), ("查看", None, ["张明"])]


def test_an_item_of_a_list_of_campaigns_is_no_outing():
    assert outings("区委书记张明说,全区深入开展项目策划、签约、集中观摩“三大比拼”。") == []


def test_a_verb_of_travel_and_a_place_after_an_office_is_no_name():
    result = extract_document("深入学习总书记来川视察重要指示精神。市领导来我县检查项目建设。", source="t")
    assert result["people"] == [] and result["events"] == []


def test_a_sentence_about_this_project_is_the_last_ones_even_with_words_of_a_total():
    found = projects(
        "同时,青山智能铸造产业园项目建设也在推进。这个项目总投资12亿元,截至9月底已完成年度计划的80%。"
    )
    assert found == [("青山智能铸造产业园项目", 1200000000, None, [])]


def test_a_short_name_of_a_project_listed_earlier_in_the_paragraph_gets_its_figures():
    found = projects("此次开工的还有青山先进高分子材料一体化项目等。位于园区的青山项目,总投资8亿元。")
    assert ("青山先进高分子材料一体化项目", 800000000, None, []) in found


def test_a_batch_total_after_a_list_and_a_counted_class_are_no_projects_figures():
    found = projects(
        "开工项目包括城东片区城市更新项目、长河智能装备产业园项目等,项目总投资52亿元。"
        "其中,3个城市更新项目集中开工,总投资9亿元。"
    )
    assert all(p[1] is None for p in found)


def test_items_of_a_list_closed_by_a_class_of_projects_are_projects_and_the_figures_the_classs():
    text = "全县实施青松风电、长河天然气提氦等500万元以上重点项目40个,总投资82亿元。"
    assert [p[0] for p in projects(text)] == ["青松风电", "长河天然气提氦"]
    assert indicators(text) == [
        ("500万元以上重点项目", None, 40, "个", None),
        ("500万元以上重点项目总投资", None, 8200000000, "元", None),
    ]
    assert [p[0] for p in projects("晶华光伏、泰和新材料等一批项目竣工投产。")] == ["晶华光伏", "泰和新材料"]
    found = projects("该公司投资3000万元建设合金钻头、镐钎等五金工具系列制造项目,达产后年产值2亿元。")
    assert "合金钻头" not in [p[0] for p in found]


def test_a_count_and_a_measure_joined_by_a_list_mark_are_two_indicators():
    assert indicators("全县成功签约项目12个、签约资金18.5亿元。") == [
        ("成功签约项目", None, 12, "个", None),
        ("签约资金", None, 1850000000, "元", None),
    ]
    assert indicators("全县项目储备66个、长线谋划项目17个。") == [
        ("项目储备", None, 66, "个", None),
        ("长线谋划项目", None, 17, "个", None),
    ]


def test_a_count_of_listed_projects_is_named_by_what_was_done_with_them():
    text = "今年全县争取青山水库除险加固工程、城东老旧小区改造等项目17个,项目储备66个。"
    assert indicators(text) == [("争取项目", None, 17, "个", None), ("项目储备", None, 66, "个", None)]


def test_how_many_of_the_projects_just_counted_did_what_follows():
    assert indicators("截至目前,全省80个重点建设项目中72个开工建设。") == [
        ("重点建设项目", None, 80, "个", None),
        ("重点建设项目开工建设", None, 72, "个", None),
    ]


def test_a_sentence_opened_by_tongshi_goes_on_about_the_project_and_traded_heads_are_no_capacity():
    text = (
        "总投资3亿元的青山肉牛产业园项目,今年计划投资1.2亿元。"
        "同时计划交易市场完成5万头肉牛,养殖规模达3000头,带动种植青贮玉米1万亩。"
    )
    assert projects(text) == [("青山肉牛产业园项目", 300000000, None, [(3000, "头")])]
    assert indicators(text) == []


def test_a_sector_named_with_xiangmu_is_no_project():
    assert projects("医药健康产业项目,在疫情中迎来发展机遇。") == []
    assert projects("全县要把握机遇,做大新能源项目,打造年产百万吨饲料项目以及相应的精深加工项目。") == [
        ("年产百万吨饲料项目", None, None, [(1000000, "吨")])
    ]


def test_a_short_name_that_ends_a_project_told_before_is_that_project():
    text = "总投资10亿元的湖北青山花田酒溪黄酒村项目开园。市领导指出,黄酒村项目将文化与民俗结合。"
    assert [p[0] for p in projects(text)] == ["湖北青山花田酒溪黄酒村项目"]


def test_a_facility_built_in_the_clause_after_its_amount_gets_it():
    found = projects("青山区与企业对接合作,计划总投资20亿元,建设规划占地500亩的青松医药健康产业园。")
    assert found == [("青松医药健康产业园", 2000000000, None, [])]


def test_an_investor_before_the_amount_of_a_listed_item_goes_with_the_amount():
    found = projects("今年,长河集团总投资7亿元的万头奶牛养殖等一大批项目开复工建设。")
    assert found == [("万头奶牛养殖", 700000000, None, [])]


def test_key_works_are_a_subject_and_the_projects_measure_is_the_subjects():
    assert indicators("截止目前,全县重点工程进展顺利,1-12月份,完成投资77.5亿元。") == [
        ("重点工程完成投资", "1-12月", 7750000000, "元", None)
    ]
    assert indicators("截至4月底,全县共实施各类项目103项,项目总投资190亿元。") == [
        ("各类项目", "1-4月", 103, "项", None),
        ("各类项目总投资", "1-4月", 19000000000, "元", None),
    ]


def test_offices_of_autonomous_regions_banners_and_audit_offices():
    result = extract_document(
        "区党委副书记、自治区常务副主席陈永奇,审计署特派办党组书记、特派员马晓方出席。", source="t"
    )
    assert [(p["name"], p["titles"]) for p in result["people"]] == [
        ("陈永奇", ["区党委副书记", "自治区常务副主席"]),
        ("马晓方", ["审计署特派办党组书记", "特派员"]),
    ]


def test_a_signature_line_with_its_office_spaced_out():
    result = extract_document("全区项目建设取得新成效。\n\n区 长 魏振东\n", source="t")
    assert [(p["name"], p["titles"]) for p in result["people"]] == [("魏振东", ["区长"])]


def test_a_count_of_projects_already_started_keeps_its_stage_and_projects():
    found = indicators("今年全县计划实施项目279个,总投资378亿元,目前已开工68个。")
    assert ("已开工项目", None, 68, "个", None) in found


def test_a_named_share_and_a_count_of_places_before_a_figure():
    assert indicators("上半年,全县实现规上工业总产值156亿元,占全市规上工业总产值的比重为69.3%。") == [
        ("规上工业总产值", "1-6月", 15600000000, "元", None),
        ("规上工业总产值的比重", "1-6月", 69.3, "%", None),
    ]
    assert indicators("七市地一季度共开工子项目996个。") == [("开工子项目", "1-3月", 996, "个", None)]


def test_a_ceremony_told_right_after_a_dated_sentence_takes_its_day():
    result = extract_document(
        "4月8日,全旗重大项目建设动员大会在产业园举行。集中开复工的74个项目中,列入重点调度项目45项。",
        source="t",
        doc_date=date(2022, 4, 10),
    )
    assert [(e["kind"], e["date"]) for e in result["events"]] == [("集中开复工", "2022-04-08")]


def test_a_ceremony_told_only_by_its_batch_is_an_outing_when_no_other_is_told():
    assert outings("近日,笔者从全市工业项目集中开工投产仪式分会场获悉,全县集中开工和投产工业项目5个。") == [
        ("项目集中开工投产仪式", None, [])
    ]
    text = "青山集中开工重点项目25个\n11月17日,全市项目推进现场会在青山召开,县委书记张明出席。"
    result = extract_document(text, source="t", doc_date=date(2022, 11, 17))
    assert [(e["kind"], e["date"]) for e in result["events"]] == [("现场会", "2022-11-17")]


def test_the_last_item_of_a_list_of_projects_may_be_named_without_xiangmu():
    found = projects(
        "今年全区文旅项目建设加快推进,重点推进青山水生态展示馆建设项目、长河文化综合体项目、东湖乡村振兴文旅综合体;"
    )
    assert sorted(p[0] for p in found) == sorted(
        ["青山水生态展示馆建设项目", "长河文化综合体项目", "东湖乡村振兴文旅综合体"]
    )


def test_a_four_character_item_of_a_list_of_named_projects_is_a_project():
    found = projects(
        "县领导一行先后到长泰纺织、青松制药中药产业项目、七星年产50万吨食品添加剂项目进行实地察看。"
    )
    assert "长泰纺织" in [p[0] for p in found]


def test_products_listed_inside_a_name_before_its_kind():
    found = projects(
        "青松工具有限责任公司优质合金钻头、镐钎等五金工具系列制造项目,计划总投资3000万元,投产后预计可实现年产值2.3亿元。"
    )
    assert found == [
        ("青松工具有限责任公司优质合金钻头、镐钎等五金工具系列制造项目", 30000000, 230000000, [])
    ]
    assert [
        p[0]
        for p in projects(
            "今年以来,全县积极争取青山水库除险加固、城东老旧小区改造等民生社会事业项目,各项工作稳步推进。"
        )
    ] == [
        "青山水库除险加固",
        "城东老旧小区改造",
    ]


def test_targets_a_speaker_sets_are_not_the_areas_figures():
    text = (
        "张明说,要切实增强承接产业转移能力,即实施重点项目200个,完成固定资产投资150亿元。全县新开工项目26个。"
    )
    assert indicators(text) == [("新开工项目", None, 26, "个", None)]


def test_a_thousands_comma_is_no_clause_break_and_help_given_is_no_statistic():
    assert indicators("全区农民人均纯收入实现6,010元,同比增长9.1%。") == [
        ("农民人均纯收入", None, 6010, "元", 9.1)
    ]
    assert indicators("全区为中小企业解决资金3,500余万元,为规模工业解决实际问题116项。") == []


def test_a_word_before_a_system_of_responsibility_is_no_name():
    result = extract_document("对27个重点工业项目逐一落实领导包保责任制,全程跟踪服务。", source="t")
    assert result["people"] == []


def test_a_net_increase_told_after_a_level_is_that_levels():
    assert indicators("全区两税收入386.6亿元,净增50亿元。") == [
        ("两税收入", None, 38660000000, "元", None),
        ("两税收入净增", None, 5000000000, "元", None),
    ]


def test_the_last_item_of_a_list_before_dengxiang_mu_is_a_project_when_it_is_one_thing():
    text = "开工的有城关镇莲池小学建设项目、滨河北路高庄段道路工程、青山县苹果产业项目等14个重点项目。"
    assert "青山县苹果产业项目" in [p[0] for p in projects(text)]
    text = "推进全市新能源汽车、智能装备、新能源汽车等产业链项目建设,壮大产业集群。"
    assert projects(text) == []


def test_a_ceremony_reports_running_counts_over_months_stay_indicators():
    text = "6月2日,全区举行重点项目集中开工活动。\n1-5月,全区新开工项目45个,总投资80亿元。"
    assert indicators(text) == [
        ("新开工项目", "1-5月", 45, "个", None),
        ("新开工项目总投资", "1-5月", 8000000000, "元", None),
    ]


def test_an_amount_of_money_written_without_yuan():
    assert indicators("全区签约项目41个,合同额过百亿,园区投资增长17.2%。") == [
        ("签约项目", None, 41, "个", None),
        ("合同额", None, 10000000000, "元", None),
    ]


def test_a_rate_right_after_a_count_of_projects_is_theirs_and_a_rate_told_twice_is_one():
    assert indicators("上半年,283个省、市重点项目投资完成率达到65.8%。") == [
        ("省、市重点项目", "1-6月", 283, "个", None),
        ("省、市重点项目投资完成率", "1-6月", 65.8, "%", None),
    ]
    text = "全省80个重点建设项目开工率达98.75%\n截至目前,全省80个重点建设项目中79个开工建设,开工率达98.75%。"
    assert [i for i in indicators(text) if i[3] == "%"] == [("开工率", None, 98.75, "%", None)]


def test_a_years_programme_of_key_projects_is_no_project():
    assert projects("西藏2022年重点建设项目集中开复工,涵盖产业发展、基础设施等领域。") == []


def test_teams_an_office_sets_up_are_no_statistic():
    assert indicators("全县组建23个重大项目工作专班,全年开复工重点项目58个。") == [
        ("开复工重点项目", None, 58, "个", None)
    ]


def test_town_and_country_figures_told_respectively():
    assert indicators("全年城乡居民人均可支配收入分别达55072元、37787元。") == [
        ("城镇居民人均可支配收入", None, 55072, "元", None),
        ("农村居民人均可支配收入", None, 37787, "元", None),
    ]


def test_a_name_listing_a_plants_capacities_is_one_project_and_its_products_leave_out_the_work():
    text = "投资2.5亿元的某某化工有限公司年产4万吨硫酸钾、1万吨氯化钙、2千吨二氧化碳回收项目开工。"
    assert projects(text) == [
        (
            "某某化工有限公司年产4万吨硫酸钾、1万吨氯化钙、2千吨二氧化碳回收项目",
            250000000,
            None,
            [(40000, "吨"), (10000, "吨"), (2000, "吨")],
        )
    ]
    result = extract_document(text, source="t")
    assert [c["product"] for c in result["projects"][0]["capacities"]] == ["硫酸钾", "氯化钙", "二氧化碳"]


def test_what_a_project_mainly_builds_is_its_content_not_another_project():
    text = "总投资2亿元的某某钢构技改项目,今年计划完成投资5000万元,主要建设年产6万吨钢板和2万吨钢管加工生产线项目。"
    result = extract_document(text, source="t")
    assert [p["name"] for p in result["projects"]] == ["某某钢构技改项目"]
    assert [(c["quantity"], c["product"]) for c in result["projects"][0]["capacities"]] == [
        (60000, "钢板"),
        (20000, "钢管"),
    ]


def test_parts_of_a_class_by_stage_leave_the_measures_to_the_class():
    assert indicators("2020年,全县列入省级重点项目30项,新建项目12项,续建项目18项;总投资96亿元。") == [
        ("省级重点项目", "2020年", 30, "项", None),
        ("新建项目", "2020年", 12, "项", None),
        ("续建项目", "2020年", 18, "项", None),
        ("省级重点项目总投资", "2020年", 9600000000, "元", None),
    ]


def test_stages_and_rates_after_a_class_marked_off_by_level_are_the_classs():
    text = "今年全县列入市级重点项目20项。截至目前,共开复工16项,未开复工4项,开复工率为80%,本年度截至目前完成投资5.5亿元。"
    assert indicators(text) == [
        ("市级重点项目", None, 20, "项", None),
        ("市级重点项目开复工", None, 16, "项", None),
        ("市级重点项目未开复工", None, 4, "项", None),
        ("市级重点项目开复工率", None, 80, "%", None),
        ("市级重点项目完成投资", None, 550000000, "元", None),
    ]


def test_a_running_total_up_to_a_years_end_has_no_period_and_keeps_the_years():
    text = (
        "2021年,全县实施县级重点项目25项,总投资80亿元,截至2020年底累计完成投资21亿元,本年度计划投资19亿元。"
    )
    found = indicators(text)
    assert ("县级重点项目累计完成投资", None, 2100000000, "元", None) in found
    assert ("县级重点项目本年度计划投资", "2021年", 1900000000, "元", None) in found


def test_breaks_inside_brackets_end_no_clause_and_a_span_of_amounts_is_a_class():
    text = "全县实施重点项目60项(县级1亿元以上项目20项;县级1000万元-1亿元项目40项),总投资150亿元。"
    assert indicators(text) == [
        ("重点项目", None, 60, "项", None),
        ("重点项目总投资", None, 15000000000, "元", None),
    ]
    assert indicators("二、县级1000万元-1亿元重点项目进展情况\n全县列入县级1000万元-1亿元重点项目40项。") == [
        ("县级1000万元-1亿元重点项目", None, 40, "项", None)
    ]


def test_figures_told_after_a_list_of_projects_are_the_lists_not_the_last_ones():
    text = (
        "县长介绍了开工的3个项目,分别为东河食品加工项目、南山光伏发电项目、西岭物流园项目。总投资超过6亿元。"
    )
    assert all(p[1] is None for p in projects(text))


def test_a_classs_figures_before_its_items_are_not_the_last_projects():
    text = (
        "青山钢铁技改项目开工。"
        "从项目类别看,工业项目30项,总投资约120亿元,主要有东河食品加工项目、南山光伏发电项目等。"
    )
    assert [p[1] for p in projects(text)] == [None, None, None]


def test_the_project_side_is_no_project_name():
    text = "东河食品有限公司负责人王强作为项目方代表,介绍了东河食品加工项目情况。"
    assert [p[0] for p in projects(text)] == ["东河食品加工项目"]


def test_heads_of_any_length_with_their_values_and_growths_in_order():
    text = (
        "上半年,全市食品加工业、家具制造业和印刷业分别实现增加值12.5亿元、8.2亿元和3亿元,增长6.1%、4.5%和2%。"
    )
    assert indicators(text) == [
        ("食品加工业增加值", "1-6月", 1250000000, "元", 6.1),
        ("家具制造业增加值", "1-6月", 820000000, "元", 4.5),
        ("印刷业增加值", "1-6月", 300000000, "元", 2.0),
    ]


def people(text: str) -> list[tuple]:
    return [(p["name"], p["titles"]) for p in extract_document(text, source="t")["people"]]


def test_every_name_of_a_list_after_an_office_is_read_by_the_commas_around_it():
    text = "市委书记刘明,市领导郑建、甘国栋、熊桢、吴超明等出席开工仪式。"
    assert [n for n, _ in people(text)] == ["刘明", "郑建", "甘国栋", "熊桢", "吴超明"]


def test_a_speakers_line_with_the_name_spaced_out():
    assert people("政府工作报告\n某某市人民政府市长 王 强\n各位代表:") == [("王强", ["某某市人民政府市长"])]


def test_town_and_country_named_apart_before_respectively():
    assert indicators("全年城镇和农村居民人均可支配收入分别达41000元、19800元。") == [
        ("城镇居民人均可支配收入", None, 41000, "元", None),
        ("农村居民人均可支配收入", None, 19800, "元", None),
    ]


def test_an_investment_rate_after_the_projects_counted_is_theirs():
    assert indicators("全县25个县级重点项目完成投资30亿元,年度投资完成率110%。")[-1] == (
        "县级重点项目年度投资完成率",
        None,
        110,
        "%",
        None,
    )


def test_a_contribution_to_growth_is_the_sectors_told_before_it():
    assert indicators("上半年工业增加值增长6%,对全县经济增长的贡献率达45.5%。") == [
        ("工业对全县经济增长的贡献率", "1-6月", 45.5, "%", None)
    ]


def test_the_item_a_list_of_named_projects_closes_with_deng_is_a_project():
    text = "工业项目12项,主要有东山纺织集聚区项目、南海陶瓷有限公司技改项目、青禾食品项目、京东(某州)数字产业园、某某医药物流总部等;"
    names = [p[0] for p in projects(text)]
    assert "京东(某州)数字产业园" in names and "某某医药物流总部" in names


def test_parts_counted_then_the_whole_counted_after_gong_and_the_wholes_stages():
    text = (
        "截至目前,某某市5个工业项目和20个民生项目共25个省“重点项目”,已开复工20个,开复工率80%,完成投资9亿元。"
    )
    assert indicators(text) == [
        ("工业项目", None, 5, "个", None),
        ("民生项目", None, 20, "个", None),
        ("省“重点项目”", None, 25, "个", None),
        ("省“重点项目”开复工", None, 20, "个", None),
        ("省“重点项目”开复工率", None, 80, "%", None),
        ("省“重点项目”完成投资", None, 900000000, "元", None),
    ]


def test_a_count_set_by_a_verb_of_planning_after_the_place():
    assert indicators("某某市安排了120个市级重点项目。") == [("市级重点项目", None, 120, "个", None)]


def test_a_batch_told_by_its_kinds_in_the_next_sentence_is_still_the_batch():
    text = (
        "6月1日,全市举行重点项目集中开工仪式。本次集中开工项目共30个,总投资120亿元。"
        "从项目类型来看,工业项目20项,总投资90亿元。"
    )
    assert indicators(text) == []


def test_verbs_of_seizing_and_drumming_up_and_words_of_quality_name_no_project():
    text = "全县牢牢抓住项目这个牛鼻子,抓牢优强项目,坚持招商建项目,擂响新一轮项目建设战鼓。"
    assert projects(text) == []


def test_units_written_short_or_in_megawatt_hours_keep_their_spelling():
    text = "某某县年产30万立方透水砖项目总投资2亿元。某某镇200兆瓦/800兆瓦时储能电站项目总投资9亿元。"
    caps = {name: c for name, _, _, c in projects(text)}
    assert caps["某某县年产30万立方透水砖项目"] == [(300000, "立方")]
    assert caps["某某镇200兆瓦/800兆瓦时储能电站项目"] == [(200, "兆瓦"), (800, "兆瓦时")]


def test_a_batch_broken_down_by_place_in_a_later_paragraph_is_not_the_area():
    text = (
        "5月6日,某某县重点项目集中开工仪式举行,集中开工9个项目,总投资12亿元。\n"
        "其中,某某物流园项目总投资3亿元。\n"
        "根据区域划分,东城街道项目4个,总投资5亿元;西山镇项目5个,总投资7亿元。"
    )
    assert indicators(text) == []


def test_the_parts_of_a_batch_may_follow_a_sentence_without_figures():
    text = (
        "本次活动,全市签约项目12个,开工项目9个。项目主要集中在新材料、新能源等领域。"
        "其中,某某区签约项目3个,总投资6亿元。"
    )
    assert indicators(text) == []


def test_a_part_after_an_area_figure_two_sentences_on_is_still_the_area():
    text = (
        "今年集中开工活动以来,各地进展顺利。上半年,全市实现地区生产总值300亿元,增长6%。"
        "其中第一产业增加值20亿元,增长3%。"
    )
    assert ("第一产业增加值", "1-6月", 2000000000, "元", 3.0) in indicators(text)


def test_a_company_in_front_of_a_project_name_stays_in_it_and_the_sentence_before_it_does_not():
    text = "来宾与县领导一起为江南示例材料科技有限公司年产800吨陶瓷微珠项目奠基。该项目总投资2亿元。"
    assert projects(text) == [
        ("江南示例材料科技有限公司年产800吨陶瓷微珠项目", 200000000, None, [(800, "吨")])
    ]


def test_sets_of_equipment_counted_in_tai_tao_are_not_a_capacity():
    text = "示范新材料陶瓷项目总投资3亿元,将安置12台套窑炉生产线,年产陶瓷砖500万平方米。"
    assert projects(text) == [("示范新材料陶瓷项目", 300000000, None, [(5000000, "平方米")])]


def test_a_copula_after_a_project_across_commas_describes_it():
    text = (
        "投资3亿元的河湾新材料产业园项目,是补齐本地短板、带动上下游发展的强链补链项目;"
        "北岭年产5万吨饲料项目总投资2亿元,为全县畜牧产业链上游项目,可带动就业300人。"
    )
    names = [p[0] for p in projects(text)]
    assert names == ["河湾新材料产业园项目", "北岭年产5万吨饲料项目"]


def test_a_counted_batch_a_class_share_and_a_signing_ceremony_name_no_project():
    text = (
        "总投资9亿元的6个现代农业项目将于年内投产。新兴产业项目个数占比达40%。"
        "该市举行招商引资“春季攻势”项目集中签约活动。"
    )
    assert projects(text) == []


def test_a_name_after_attend_and_a_shorter_name_with_the_same_capacity_are_one_project():
    text = (
        "市领导参加南山公司50万吨精密铸件生产线项目投产仪式。"
        "由南山公司投资兴建的50万吨精密铸件项目总投资8亿元。"
    )
    assert projects(text) == [("南山公司50万吨精密铸件生产线项目", 800000000, None, [(500000, "吨")])]


def test_a_heading_naming_a_project_without_xiangmu_is_the_project_of_the_text_after_it():
    text = (
        "东岭县重点项目包括:\n"
        "03、东岭示范年产80万吨石灰石骨料生产线\n"
        "该项目由东岭示范建材有限公司投资建设,投资3.2亿元。\n"
        "西川智能装备制造基地:该基地总投资6亿元,年产装载机2000台。"
    )
    assert projects(text) == [
        ("东岭示范年产80万吨石灰石骨料生产线", 320000000, None, [(800000, "吨")]),
        ("西川智能装备制造基地", 600000000, None, [(2000, "台")]),
    ]


def test_a_pair_of_capacities_with_a_space_after_the_slash_and_storage_installed():
    text = (
        "目前,东原电力南湖光伏基地20万千瓦/ 80万千瓦时共享储能示范项目正在建设。"
        "该项目总投资6亿元,配置10万千瓦/40万千瓦时构网型储能设施。"
    )
    [(name, investment, _, capacities)] = projects(text)
    assert name == "东原电力南湖光伏基地20万千瓦/80万千瓦时共享储能示范项目"
    assert investment == 600000000
    assert capacities == [(200000, "千瓦"), (800000, "千瓦时"), (100000, "千瓦"), (400000, "千瓦时")]


def test_the_planned_area_of_a_park_is_not_an_indicator():
    text = "据介绍,南溪工业园是省级园区,总规划面积2.4万亩,现有企业36家。"
    assert [i[0] for i in indicators(text)] == ["现有企业"]


def events(text: str, doc_date: date | None = None) -> list[tuple]:
    result = extract_document(text, source="t", doc_date=doc_date)
    return [(e["kind"], e["date"], e["leaders"], e["project_count"]) for e in result["events"]]


def test_the_stages_of_a_class_counted_at_the_head_of_its_line_are_the_classs():
    text = (
        "分领域看:\n"
        "文旅康养项目14个,总投资86亿元,开复工项目11个,开复工率78.6%;\n"
        "现代物流项目6个,总投资40亿元,开复工项目6个,开复工率100%。"
    )
    assert indicators(text) == [
        ("文旅康养项目", None, 14, "个", None),
        ("文旅康养项目总投资", None, 8600000000, "元", None),
        ("文旅康养项目开复工项目", None, 11, "个", None),
        ("文旅康养项目开复工率", None, 78.6, "%", None),
        ("现代物流项目", None, 6, "个", None),
        ("现代物流项目总投资", None, 4000000000, "元", None),
        ("现代物流项目开复工项目", None, 6, "个", None),
        ("现代物流项目开复工率", None, 100, "%", None),
    ]


def test_a_class_by_stage_or_the_whole_programme_keeps_the_texts_word_for_its_rate():
    # 新建项目 is itself a stage, 实施项目 the whole programme: their rates stay as written
    assert [i[0] for i in indicators("1-5月,全区新建项目58个,已开工51个,开工率为87.9%。")][-1] == "开工率"
    assert [i[0] for i in indicators("今年全县计划实施项目120个,总投资95亿元,开工88个。")][-1] == "开工项目"


def test_a_stage_with_jianshe_counted_after_the_class():
    assert indicators("二季度,全县18个重点农业项目已开工建设12个,开工率为66.7%。")[:2] == [
        ("重点农业项目", "4-6月", 18, "个", None),
        ("重点农业项目已开工建设", "4-6月", 12, "个", None),
    ]


def test_a_sentence_opening_on_gai_xiangmu_is_the_projects_even_with_area_words():
    text = (
        "位于城东的市妇幼保健院迁建项目是此次观摩的第二站。"
        "该项目是省重点民生工程,总投资约3.6亿元,建成后将缓解我市产科床位紧张的问题。"
    )
    assert projects(text) == [("市妇幼保健院迁建项目", 360000000, None, [])]


def test_what_the_project_is_said_to_be_right_after_gai_xiangmu_is_not_another_project():
    text = "在北港片区,南星储能项目同步开工。该项目是南星科技有限公司在北港设立的控股子公司项目,总投资2亿元。"
    assert projects(text) == [("南星储能项目", 200000000, None, [])]


def test_projects_counted_by_stage_after_a_list_of_examples():
    text = (
        "上半年,东湖数据中心、北岸污水处理厂提标改造项目等12个复工项目稳步推进;"
        "南岭电子、西江食品等6个总投资38亿元项目开工建设,东源科技等3个亿元项目竣工投产。"
    )
    assert indicators(text) == [
        ("复工项目", "1-6月", 12, "个", None),
        ("开工建设项目", "1-6月", 6, "个", None),
        ("开工建设项目总投资", "1-6月", 3800000000, "元", None),
        ("竣工投产亿元项目", "1-6月", 3, "个", None),
    ]


def test_an_outing_s_batch_counted_by_stage_is_not_an_indicator():
    text = "4月2日,县领导观摩了东湖数据中心、北岸污水处理厂提标改造项目等15个新开工项目。"
    assert not [i for i in indicators(text) if i[0] == "新开工项目"]


def test_a_ceremony_on_a_day_of_the_reports_month_led_by_the_official_of_the_next_paragraph():
    text = (
        "18号,全市2023年第二批重大项目集中开工仪式南川分会场在工业园举行,此次集中开工的9个项目总投资26亿元。\n"
        "市委常委、副市长王立新宣布开工并讲话。"
    )
    assert events(text, date(2023, 5, 19)) == [("重大项目集中开工仪式", "2023-05-18", ["王立新"], 9)]


def test_a_ceremony_dated_by_the_sentence_before_in_a_report_of_unknown_day():
    text = (
        "5月8日上午,工地上机器轰鸣。作为2021年二季度集中开工的重点项目之一,南港物流园项目正式开工建设。"
        "此次集中开工的项目共有22个,总投资96亿元。"
    )
    assert events(text) == [("集中开工", "2021-05-08", [], 22)]
