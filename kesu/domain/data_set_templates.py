"""The forms Kesu ships (kesu.domain.data_sets): the annual 科普统计 with its six tables as six sections, the
school sheet (学校科学教育情况) and the venue sheet (科普场馆情况). Codes are stable: stored values, pre-fill sources
and target bindings refer to them."""

from __future__ import annotations

from kesu.domain.data_sets import FormDefinition, Indicator, Ratio, Section, Share, SumRule

I = Indicator  # noqa: E741 - the tables read better with a short name

KEPU = FormDefinition(
    key="kepu",
    name="科普统计年报",
    respondent_kinds=("unit", "township"),
    note="依照全国科普统计调查制度，按年度填报本单位（本乡镇）的科普人员、场地、经费、传媒、活动和科学教育情况。",
    sections=(
        Section("一、科普人员", ("p_total", "p_full", "p_part", "p_women", "p_volunteers")),
        Section("二、科普场地", ("v_venues", "v_area", "v_bases", "v_galleries", "v_vehicles")),
        Section("三、科普经费", ("f_raised", "f_government", "f_special", "f_donations", "f_own", "f_other", "f_spent")),
        Section("四、科普传媒", ("m_books", "m_periodicals", "m_av", "m_tv_hours", "m_websites", "m_accounts", "m_articles")),
        Section("五、科普活动", ("a_events", "a_lectures", "a_exhibitions", "a_contests", "a_participants",
                            "a_volunteer_services")),
        Section("六、科学教育", ("e_clubs", "e_club_members", "e_camps", "e_camp_members", "e_open_days", "e_visitors")),
    ),
    indicators=(
        I("p_total", "科普人员总数", "人"),
        I("p_full", "科普专职人员", "人", parent="p_total"),
        I("p_part", "科普兼职人员", "人", parent="p_total"),
        I("p_women", "女性科普人员", "人", parent="p_total"),
        I("p_volunteers", "注册科普（科技）志愿者", "人", parent="p_part"),
        I("v_venues", "科技馆、科学技术类博物馆", "个"),
        I("v_area", "科普场馆展厅面积", "平方米", integer=False),
        I("v_bases", "科普教育基地", "个"),
        I("v_galleries", "科普宣传专栏（画廊）", "个"),
        I("v_vehicles", "科普宣传专用车", "辆"),
        I("f_raised", "年度科普经费筹集额", "万元", integer=False),
        I("f_government", "政府拨款", "万元", integer=False, parent="f_raised"),
        I("f_special", "科普专项经费", "万元", integer=False, parent="f_government"),
        I("f_donations", "社会捐赠", "万元", integer=False, parent="f_raised"),
        I("f_own", "自筹资金", "万元", integer=False, parent="f_raised"),
        I("f_other", "其他收入", "万元", integer=False, parent="f_raised"),
        I("f_spent", "年度科普经费使用额", "万元", integer=False),
        I("m_books", "科普图书出版种数", "种"),
        I("m_periodicals", "科普期刊出版种数", "种"),
        I("m_av", "科普（技）音像制品出版种数", "种"),
        I("m_tv_hours", "电视台、电台科普节目播出时间", "小时", integer=False),
        I("m_websites", "科普网站", "个"),
        I("m_accounts", "科普类微信公众号、微博等账号", "个"),
        I("m_articles", "科普类新媒体发文量", "篇"),
        I("a_events", "科普活动举办次数", "次"),
        I("a_lectures", "科普（技）讲座", "次", parent="a_events"),
        I("a_exhibitions", "科普（技）展览", "次", parent="a_events"),
        I("a_contests", "科普（技）竞赛", "次", parent="a_events"),
        I("a_participants", "科普活动参加人次", "人次"),
        I("a_volunteer_services", "科技志愿服务次数", "次"),
        I("e_clubs", "青少年科技兴趣小组", "个"),
        I("e_club_members", "科技兴趣小组参加人次", "人次"),
        I("e_camps", "科技夏（冬）令营", "次"),
        I("e_camp_members", "科技夏（冬）令营参加人次", "人次"),
        I("e_open_days", "科研机构、大学向社会开放天数", "天"),
        I("e_visitors", "向社会开放参观人次", "人次"),
    ),
    sums=(
        SumRule("p_total", ("p_full", "p_part")),
        SumRule("f_raised", ("f_government", "f_donations", "f_own", "f_other")),
        SumRule("a_events", ("a_lectures", "a_exhibitions", "a_contests"), exact=False),
    ),
)

SCHOOL = FormDefinition(
    key="school",
    name="学校科学教育情况表",
    respondent_kinds=("school",),
    note="每学期一次：各学校科技教师（辅导员）配备、科学课课时、科普讲座和研学活动及学生参与情况。",
    sections=(
        Section("一、师生情况", ("s_students", "s_teachers", "s_teachers_full", "s_counsellors")),
        Section("二、科学课与活动", ("s_science_hours", "s_lectures", "s_trips", "s_participants")),
    ),
    indicators=(
        I("s_students", "在校学生数", "人"),
        I("s_teachers", "科技教师（专、兼职）", "人"),
        I("s_teachers_full", "专职科技教师", "人", parent="s_teachers"),
        I("s_counsellors", "科技辅导员", "人"),
        I("s_science_hours", "本学期科学课课时", "课时"),
        I("s_lectures", "本学期科普讲座", "次"),
        I("s_trips", "本学期科技研学（实践）活动", "次"),
        I("s_participants", "参加科普活动的学生", "人", parent="s_students"),
    ),
    ratios=(Ratio("s_participation", "学生科普活动参与率", "s_participants", "s_students"),),
    shares=(Share("s_with_teacher", "配备科技教师的学校占比", "s_teachers", 1),),
)

VENUE = FormDefinition(
    key="venue",
    name="科普场馆（基地）情况表",
    respondent_kinds=("base",),
    note="每年一次：科普教育基地、科技馆的展教面积、开放天数和接待人次。",
    sections=(Section("一、场馆情况", ("b_area", "b_open_days", "b_visitors", "b_young_visitors", "b_events")),),
    indicators=(
        I("b_area", "展教面积", "平方米", integer=False),
        I("b_open_days", "全年开放天数", "天", high=366),
        I("b_visitors", "接待人次", "人次"),
        I("b_young_visitors", "青少年", "人次", parent="b_visitors"),
        I("b_events", "举办科普活动", "次"),
    ),
)

TEMPLATES: dict[str, FormDefinition] = {f.key: f for f in (KEPU, SCHOOL, VENUE)}
