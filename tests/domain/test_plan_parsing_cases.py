"""Hard cases of real plans, as small synthetic documents: layout, responsibility, targets, metadata."""

from __future__ import annotations

import pytest
from plan_parsing_helpers import all_tasks, fixture_text, targets, task

from kesu.domain.plan_parsing import NotAPlanError, parse_plan, render_outline


@pytest.fixture(scope="module")
def county():
    return parse_plan(fixture_text("county_parentheses.txt"))


@pytest.fixture(scope="module")
def city():
    return parse_plan(fixture_text("city_section_duty.txt"))


@pytest.fixture(scope="module")
def table_plan():
    return parse_plan(fixture_text("county_table.txt"))


# --- metadata -------------------------------------------------------------------------------------


def test_it_reads_the_notice_around_the_plan(county):
    assert county["format"] == "kesu-plan/1"
    assert county["title"] == "平安县全民科学素质行动规划纲要实施方案（2021—2025年）"
    assert county["jurisdiction"] == {"name": "平安县", "level": "county"}
    assert county["issuer"] == "平安县人民政府办公室"
    assert county["doc_number"] == "平政办发〔2023〕5号"
    assert county["issued_on"] == "2023-03-15"
    assert county["period"] == {"start": 2021, "end": 2025}


def test_it_reads_the_headline_figure_with_its_comparator(county, city):
    assert county["headline"] == {
        "baseline": {"year": 2020, "value": 7.5},
        "target": {"year": 2025, "value": 11, "comparator": ">="},
    }
    assert city["headline"]["target"] == {"year": 2025, "value": 12, "comparator": ">"}  # 超过12%
    assert city["headline"]["baseline"] is None


def test_it_joins_a_title_split_over_two_lines_and_drops_the_draft_mark(city):
    assert city["title"] == "安宁市全民科学素质行动规划纲要实施方案（2021—2025年）"
    assert city["jurisdiction"] == {"name": "安宁市", "level": "city"}
    assert (city["issuer"], city["doc_number"], city["issued_on"]) == (None, None, None)


def test_it_reads_a_county_level_city_from_how_the_notice_is_addressed():
    text = fixture_text("county_parentheses.txt").replace("平安县", "平安市").replace("县", "市")
    cited = text.replace("一、工作目标", "根据《海东市全民科学素质行动规划纲要实施方案》，制定本方案。\n\n一、工作目标")
    assert parse_plan(cited)["jurisdiction"] == {"name": "平安市", "level": "county"}
    # addressing its towns with no city or prefecture above it: a prefecture-level city without counties
    assert parse_plan(text)["jurisdiction"] == {"name": "平安市", "level": "city"}


def test_it_reads_the_schedule_as_phases(county, city):
    assert county["phases"] == [
        {"name": "启动实施阶段", "start": 2021, "end": 2022},
        {"name": "全面推进阶段", "start": 2023, "end": 2024},
        {"name": "总结评估阶段", "start": 2025, "end": 2025},
    ]
    assert city["phases"] == []


# --- structure ------------------------------------------------------------------------------------


def test_it_finds_actions_and_projects_with_their_groups(county, city):
    assert [(s["kind"], s["group"], s["title"]) for s in county["sections"]] == [
        ("action", "youth", "青少年科学素质提升行动"),
        ("action", "farmers", "农民科学素质提升行动"),
        ("project", "infrastructure", "科普基础设施工程"),
    ]
    assert [s["group"] for s in city["sections"]] == ["youth", "elderly", "grassroots"]


def test_it_titles_numbered_measures_by_their_heading_without_bold_marks(county):
    assert [t["title"] for t in all_tasks(county)] == [
        "提升基础教育阶段科学教育水平",
        "实施科技创新后备人才培育计划",
        "实施高素质农民培育计划",
        "建设农村科普阵地",
        "加强科普场馆建设",
    ]


def test_it_reads_dash_items_under_task_labels_and_skips_the_aim_paragraph(city):
    youth = city["sections"][0]
    assert [t["title"] for t in youth["tasks"]] == [
        "将弘扬科学精神贯穿于育人全链条",
        "推进家庭科学教育，加强对家庭教育的指导，增强家长科学教育意识，掌握科学教育方法",
    ]


def test_it_reads_unnumbered_paragraphs_opening_with_a_heading_sentence(table_plan):
    assert [t["title"] for t in all_tasks(table_plan)] == [
        "实施科学家精神进校园行动",
        "提升基础教育阶段科学教育水平",
        "开展理想信念和职业精神宣传教育",
        "实施职业技能提升行动",
        "实施智慧科普建设工程",
    ]
    assert table_plan["sections"][2]["kind"] == "project"


def test_it_cuts_a_long_heading_that_runs_on_with_commas_at_the_first_comma():
    plan = parse_plan(
        "某县全民科学素质行动规划纲要实施方案（2021—2025年）\n三、提升行动\n（一）青少年科学素质提升行动\n"
        "——大力加强科普基地建设，推进国家级、省级科普教育基地创建活动，构建动态管理机制。鼓励高校建设基地。\n"
        "——加快职教基地建设，推进高等教育阶段科学教育。深化高校理科教育教学改革。\n"
    )
    assert [t["title"] for t in all_tasks(plan)] == ["大力加强科普基地建设", "加快职教基地建设，推进高等教育阶段科学教育"]


def test_it_joins_pdf_style_broken_lines_and_drops_page_numbers():
    text = (
        "某市全民科学素质行动规划纲要实施方案（2021—2025年）\n\n三、提升行动\n\n（一）老年人科学素质提升行动\n\n"
        "1. 实施智慧助老行动。依托老年大学等机构，普及智能技术知识和技能，提升\n\n- 12 -\n\n"
        "老年人信息获取能力。（市卫健委牵头，市民政局、市\n\n第3页\n\n应急局等单位配合）\n\n位\n\n"
        "2. 实施银龄科普行动。发展壮大老年志愿者队伍。（市科协牵头，市民政局配合）\n"
    )
    plan = parse_plan(text)
    first = task(plan, "实施智慧助老行动")
    assert first["lead"] == ["市卫健委"]
    assert first["support"] == ["市民政局", "市应急局"]
    assert len(all_tasks(plan)) == 2


def test_it_does_not_take_the_same_section_twice_from_a_summary_at_the_end(table_plan):
    assert len(table_plan["sections"]) == 3


# --- responsibility -------------------------------------------------------------------------------


def test_it_takes_responsibility_per_measure_from_parentheses(county):
    assert task(county, "实施科技创新后备人才培育计划")["lead"] == ["县教育局", "县科协"]
    assert task(county, "实施科技创新后备人才培育计划")["support"] == ["县科技局"]
    # a parenthesis in its own paragraph after the measure, a duplicate name kept once
    assert task(county, "实施高素质农民培育计划")["support"] == ["县科协", "县人社局", "县妇联"]


def test_it_keeps_a_phrase_standing_for_every_member_unit(county, city):
    assert task(county, "建设农村科普阵地")["support"] == ["各成员单位"]
    assert task(city, "实施银龄科普行动")["support"] == ["领导小组各成员单位"]


def test_it_takes_section_responsibility_from_a_division_of_labour_paragraph(city):
    youth = city["sections"][0]
    assert (youth["lead"], youth["support"]) == (["市教育局"], ["市委宣传部", "团市委", "市妇联"])
    assert all(t["lead"] == ["市教育局"] for t in youth["tasks"])
    # 牵头部门：/配合部门： lines closing a section whose measures carry none
    grassroots = city["sections"][2]
    assert grassroots["lead"] == ["市科协"]
    assert task(city, "建立应急科普宣教协同机制")["support"] == ["市应急局", "市卫健委"]


def test_it_takes_responsibility_from_a_table_at_the_end(table_plan):
    workers = table_plan["sections"][1]
    assert (workers["lead"], workers["support"]) == (["县人社局", "县总工会"], ["县工信局", "县科协"])
    assert task(table_plan, "实施职业技能提升行动")["lead"] == ["县人社局", "县总工会"]
    assert task(table_plan, "实施智慧科普建设工程")["support"] == ["县科协", "县融媒体中心"]


def test_it_follows_the_plans_rule_that_the_first_unit_listed_leads(table_plan):
    first = task(table_plan, "实施科学家精神进校园行动")  # （责任单位：县教体局、县科协、团县委）
    assert (first["lead"], first["support"]) == (["县教体局"], ["县科协", "团县委"])
    # a measure without its own list falls back on the table row of its section
    assert task(table_plan, "提升基础教育阶段")["support"] == ["县科协", "团县委", "县妇联"]


def test_it_treats_an_unmarked_list_as_all_leading_when_the_plan_states_no_rule():
    text = fixture_text("county_table.txt").replace("各项任务中，排在第一位的为牵头单位，其他为参与单位。", "")
    first = task(parse_plan(text), "实施科学家精神进校园行动")
    assert (first["lead"], first["support"]) == (["县教体局", "县科协", "团县委"], [])


@pytest.mark.parametrize(
    "statement, lead, support",
    [
        ("（责任单位：县教科局牵头，县委宣传部、县科协等单位配合）", ["县教科局"], ["县委宣传部", "县科协"]),
        ("（牵头单位：县科协；配合单位：县教育局、县财政局）", ["县科协"], ["县教育局", "县财政局"]),
        ("【牵头单位】县科协【配合单位】县教育局", ["县科协"], ["县教育局"]),
        ("（县科协牵头，各成员单位按职责分工负责）", ["县科协"], ["各成员单位"]),
        ("（县人社局、县科协按职责分工负责）", ["县人社局", "县科协"], []),
        ("(县教育局和县科协负责)", ["县教育局", "县科协"], []),
    ],
)
def test_it_reads_the_usual_ways_of_stating_responsibility(statement, lead, support):
    text = (
        "某县全民科学素质行动规划纲要实施方案（2021—2025年）\n三、提升行动\n（一）青少年科学素质提升行动\n"
        f"1. 实施科学家精神进校园行动。大力弘扬科学家精神。{statement}\n"
    )
    measure = all_tasks(parse_plan(text))[0]
    assert (measure["lead"], measure["support"]) == (lead, support)


# --- targets --------------------------------------------------------------------------------------


def test_it_reads_targets_with_chinese_numerals_units_and_comparators(county):
    found = {(t["value"], t["unit"], t["comparator"]) for t in targets(county)}
    assert {
        (10, "所", ">="),  # 10所以上
        (3000, "人", ">="),  # 不少于三千人
        (20000, "人次", ">="),  # 2万人次以上
        (500, "名", "="),  # 五百名
        (2, "个", "="),  # 两个
        (1, "座", "="),  # 一座
    } <= found


def test_it_dates_targets_by_deadline_year_or_as_yearly_or_standing_commitments(county):
    by_text = {t["text"]: t for t in targets(county)}
    weekly = by_text["保障小学每周2节科学课"]
    assert (weekly["unit"], weekly["year"], weekly["annual"], weekly["comparator"]) == ("节/周", None, False, ">=")
    yearly = by_text["每年举办青少年科技创新大赛1次"]
    assert (yearly["year"], yearly["annual"]) == (None, True)
    dated = by_text["到2025年，建成科技教育特色学校10所以上"]
    assert (dated["year"], dated["annual"]) == (2025, False)
    # “十四五”期间 dates the first target of its clause; the second keeps its own part of the text
    assert by_text["“十四五”期间，累计培育高素质农民2万人次以上"]["year"] == 2025
    assert by_text["农村实用人才五百名"]["year"] == 2025
    # no deadline stated: the plan's last year
    assert by_text["参赛学生不少于三千人"]["year"] == 2025


def test_it_splits_one_clause_holding_several_targets():
    text = (
        "某县全民科学素质行动规划纲要实施方案（2021—2025年）\n四、重点工程\n（一）科普基础设施工程\n"
        "1. 加强科普基地建设。力争到2025年，创建省级科普基地2处，市级科普基地3处、县级科普基地百分之八十以上。\n"
    )
    found = targets(parse_plan(text))
    assert [(t["value"], t["unit"], t["year"], t["text"]) for t in found] == [
        (2, "处", 2025, "力争到2025年，创建省级科普基地2处"),
        (3, "处", 2025, "市级科普基地3处"),
        (80, "%", 2025, "县级科普基地百分之八十以上"),
    ]


def test_it_ignores_numbers_that_are_names_slogans_structure_or_past_figures():
    text = (
        "某县全民科学素质行动规划纲要实施方案（2021—2025年）\n三、提升行动\n（一）农民科学素质提升行动\n"
        "1. 开展农村科普活动。开展文化科技卫生“三下乡”和“五小”活动，推动“六新”突破，利用5G技术。"
        "建立市、区两级服务体系，打造一支高素质队伍，培育一批带头人。实施5项重点工程。"
        "2020年已培训农民800人。科普文化进万家、千会千人进千户。\n"
    )
    assert targets(parse_plan(text)) == []


def test_it_keeps_one_target_for_an_either_or_commitment_and_reads_ranges_as_lower_bounds():
    text = (
        "某县全民科学素质行动规划纲要实施方案（2021—2025年）\n三、提升行动\n（一）青少年科学素质提升行动\n"
        "1. 提升科学教育水平。学校每学期至少安排1次科普讲座或1次研学活动。三至六年级每周2至3节科学课。"
        "“科普中国”年传播信息量20万条以上。\n"
    )
    found = targets(parse_plan(text))
    assert [(t["value"], t["unit"], t["comparator"], t["annual"]) for t in found] == [
        (1, "次/学期", ">=", False),
        (2, "节/周", ">=", False),
        (200000, "条", ">=", True),
    ]


# --- outline --------------------------------------------------------------------------------------


def test_it_renders_a_readable_chinese_outline(county):
    outline = render_outline(county)
    lines = outline.splitlines()
    assert lines[0] == "平安县全民科学素质行动规划纲要实施方案（2021—2025年）"
    for expected in (
        "行政区域：平安县（县级）",
        "文号：平政办发〔2023〕5号",
        "印发日期：2023-03-15",
        "实施期：2021—2025年",
        "公民具备科学素质的比例：2020年 7.5% → 2025年不低于11%",
        "1. 【提升行动】青少年科学素质提升行动",
        "   1.1 提升基础教育阶段科学教育水平",
        "        牵头：县教育局",
        "        配合：县科协、团县委",
        "   启动实施阶段（2021—2022年）",
    ):
        assert expected in lines, expected
    assert any(line.startswith("        目标：") and "2025年" in line for line in lines)


def test_it_says_why_a_text_is_not_a_plan():
    with pytest.raises(NotAPlanError) as raised:
        parse_plan("关于召开年度工作会议的通知\n各单位：定于下周召开会议。")
    assert "提升行动或重点工程" in str(raised.value)


# --- other layouts --------------------------------------------------------------------------------

HEAD = "某某县全民科学素质行动规划纲要实施方案（2021—2025年）\n"


def test_it_reads_sections_that_are_chapters_and_measures_named_like_actions():
    plan = parse_plan(
        HEAD + "一、总体要求\n到2025年，全县公民具备科学素质的比例达到10%。\n"
        "二、青少年科学素质提升行动\n（一）实施青少年科技创新后备人才培育计划\n加强青少年科技创新活动。（县教育局牵头）\n"
        "（二）实施科学家精神进校园行动\n弘扬科学家精神。（县科协牵头）\n"
        "三、科普基础设施工程\n（一）实施智慧科普建设工程\n推进科普与大数据融合。（县科协牵头）\n五、组织实施\n加强领导。\n"
    )
    assert [(s["group"], [t["title"] for t in s["tasks"]]) for s in plan["sections"]] == [
        ("youth", ["实施青少年科技创新后备人才培育计划", "实施科学家精神进校园行动"]),
        ("infrastructure", ["实施智慧科普建设工程"]),
    ]


def test_it_reads_sections_whose_headings_do_not_say_action_or_project():
    plan = parse_plan(
        HEAD + "三、重点任务\n（一）提升青少年科学素质\n1. 实施科学家精神进校园行动。大力弘扬科学家精神。\n"
        "（二）社区居民科学素养提升\n1. 开展社区科普活动。组织科普讲座。\n"
        "（三）加强科普信息化建设\n1. 推进智慧科普建设。推动科普中国落地应用。\n四、保障措施\n（一）加强组织领导\n"
    )
    assert [(s["kind"], s["group"], s["title"]) for s in plan["sections"]] == [
        ("action", "youth", "提升青少年科学素质"),
        ("action", "other", "社区居民科学素养提升"),
        ("project", "informatization", "加强科普信息化建设"),
    ]


def test_it_reads_unnumbered_heading_lines_with_their_body_and_labelled_responsibility():
    plan = parse_plan(
        HEAD + "提升行动\n青少年科学素质提升行动\n实施科学家精神进校园行动\n弘扬科学家精神，组织宣讲活动。\n"
        "责任单位：县教育局牵头，县科协配合\n实施智慧科普建设行动\n推进科普与大数据融合。\n责任单位：县科协\n组织实施\n加强领导。\n"
    )
    assert [(t["title"], t["lead"], t["support"]) for t in all_tasks(plan)] == [
        ("实施科学家精神进校园行动", ["县教育局"], ["县科协"]),
        ("实施智慧科普建设行动", ["县科协"], []),
    ]


def test_it_lifts_a_responsibility_sentence_closing_a_section_to_all_its_measures():
    plan = parse_plan(
        HEAD + "三、提升行动\n（一）青少年科学素质提升行动\n1. 实施科学家精神进校园行动。大力弘扬科学家精神。\n"
        "2. 提升基础教育阶段科学教育水平。引导变革教学方式。\n以上任务由县教育局牵头，县科协、团县委等单位配合。\n"
    )
    youth = plan["sections"][0]
    assert (youth["lead"], youth["support"]) == (["县教育局"], ["县科协", "团县委"])
    assert all((t["lead"], t["support"]) == (["县教育局"], ["县科协", "团县委"]) for t in youth["tasks"])


def test_it_reads_units_marked_as_leading_in_parentheses():
    plan = parse_plan(
        HEAD + "三、提升行动\n（一）青少年科学素质提升行动\n"
        "1. 实施科学家精神进校园行动。大力弘扬科学家精神。\n责任单位：县教育局（牵头）、县科协、团县委\n"
    )
    measure = all_tasks(plan)[0]
    assert (measure["lead"], measure["support"]) == (["县教育局"], ["县科协", "团县委"])


def test_it_reads_a_schedule_written_as_one_paragraph():
    plan = parse_plan(
        HEAD + "三、提升行动\n（一）青少年科学素质提升行动\n1. 实施科学家精神进校园行动。大力弘扬科学家精神。\n"
        "五、实施步骤\n本方案分三个阶段实施：2021年为启动部署阶段，制定方案；2022—2024年为全面实施阶段，推进落实；"
        "2025年为总结评估阶段，开展评估。\n"
    )
    assert plan["phases"] == [
        {"name": "启动部署阶段", "start": 2021, "end": 2021},
        {"name": "全面实施阶段", "start": 2022, "end": 2024},
        {"name": "总结评估阶段", "start": 2025, "end": 2025},
    ]


@pytest.mark.parametrize(
    "sentence, baseline, target",
    [
        ("全县公民具备科学素质的比例由2015年的3.2%提高到2020年的8.1%。", {"year": 2020, "value": 8.1}, None),
        ("到“十四五”末，全县公民具备科学素质的比例达到12%以上。", None, {"year": 2025, "value": 12, "comparator": ">="}),
        ("截至2020年底，全县具备科学素质的公民比例达到6.8%，力争全县公民具备科学素质的比例超过10%。",
         {"year": 2020, "value": 6.8}, {"year": 2025, "value": 10, "comparator": ">"}),
    ],
)
def test_it_reads_the_headline_figure_in_its_usual_phrasings(sentence, baseline, target):
    plan = parse_plan(HEAD + sentence + "\n三、提升行动\n（一）青少年科学素质提升行动\n1. 实施科学家精神进校园行动。弘扬。\n")
    assert plan["headline"] == {"baseline": baseline, "target": target}


def test_it_reads_a_title_quoting_the_national_outline_and_a_joint_notice():
    text = (
        "中共某某县委办公室  某某县人民政府办公室\n关于印发《某某县贯彻落实〈全民科学素质行动规划纲要（2021—2035年）〉"
        "实施方案（2021—2025年）》的通知\n某办发〔2022〕8号\n各乡镇党委、人民政府：\n现印发给你们。\n"
        "中共某某县委办公室        某某县人民政府办公室\n2022年3月1日\n"
        "某某县贯彻落实《全民科学素质行动规划纲要（2021—2035年）》实施方案（2021—2025年）\n"
        "三、提升行动\n（一）青少年科学素质提升行动\n1. 实施科学家精神进校园行动。弘扬科学家精神。\n"
    )
    plan = parse_plan(text)
    assert plan["title"] == "某某县贯彻落实《全民科学素质行动规划纲要（2021—2035年）》实施方案（2021—2025年）"
    assert plan["period"] == {"start": 2021, "end": 2025}
    assert plan["jurisdiction"] == {"name": "某某县", "level": "county"}
    assert plan["issuer"] == "中共某某县委办公室、某某县人民政府办公室"
    assert (plan["doc_number"], plan["issued_on"]) == ("某办发〔2022〕8号", "2022-03-01")


def test_it_skips_a_table_of_contents_naming_the_sections_before_the_text():
    plan = parse_plan(
        HEAD + "目  录\n一、总体要求\n二、提升行动\n（一）青少年科学素质提升行动\n（二）老年人科学素质提升行动\n"
        "三、重点工程\n（一）科技资源科普化工程\n四、组织实施\n"
        "一、总体要求\n到2025年，全县公民具备科学素质的比例达到10%。\n二、提升行动\n"
        "（一）青少年科学素质提升行动\n1. 实施科学家精神进校园行动。弘扬科学家精神。（县教育局牵头）\n"
        "（二）老年人科学素质提升行动\n1. 实施智慧助老行动。普及智能技术。（县民政局牵头）\n四、组织实施\n加强领导。\n"
    )
    assert [(s["title"], len(s["tasks"])) for s in plan["sections"]] == [
        ("青少年科学素质提升行动", 1),
        ("老年人科学素质提升行动", 1),
    ]


def test_it_takes_responsibility_from_a_division_of_labour_list_in_an_appendix():
    plan = parse_plan(fixture_text("province_appendix.txt"))
    assert [s["group"] for s in plan["sections"]] == ["youth", "farmers", "informatization"]
    first = task(plan, "将弘扬科学精神贯穿于育人全链条")
    assert (first["lead"], first["support"]) == (["省教育厅", "省科协"], ["省委宣传部", "团省委"])
    assert task(plan, "实施繁荣科普创作资助计划")["lead"] == ["省委宣传部", "省科协"]
    assert plan["jurisdiction"] == {"name": "河南省", "level": "province"}
    assert [(p["start"], p["end"]) for p in plan["phases"]] == [(2021, 2021), (2022, 2024), (2025, 2025)]
