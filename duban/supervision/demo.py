"""The demo supervision: the first half of 2026 as the director's half-year speech tells it.

~120 tasks in every state and quadrant (most of the first half finished, some late, some extended once
or twice, one extension refused), the open ones placed relative to today with the working-day calendar
so the cockpit and the escalation board are alive on any day the demo is loaded; ~60 problems with their
decisions (eight raised again in other words and linked to the first decision), ~20 lessons, six talks
with the staff whose tasks ran late, and the bureau's escalation policy with its defaults.

History is written with its own dates (the services stamp "today"); the ladder is then replayed day by
day with the same rules the scan uses, so every rung has its true opening date, and one real scan at the
end leaves nothing to change.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.roles import Role
from duban.notifications.models import Notification
from duban.org.models import LeaderAssignment, Person, Section, Unit
from duban.supervision import escalation, services
from duban.supervision.choices import (
    ACTIVE_STATUSES,
    EventKind,
    ExtensionStatus,
    FeedbackCycle,
    Level,
    ProblemStatus,
    Source,
    TalkKind,
    TaskStatus,
)
from duban.supervision.models import (
    Escalation,
    Event,
    ExtensionRequest,
    Lesson,
    Policy,
    Problem,
    ProgressReport,
    Talk,
    Task,
)
from duban.workcalendar.services import current_calendar

SECTIONS = {
    "办": "办公室",
    "财": "计划财务股",
    "建": "建筑业管理股",
    "质": "质量安全监督站",
    "城": "城市建设股",
    "村": "村镇建设股",
    "房": "房地产市场监管股",
    "保": "住房保障股",
    "燃": "燃气管理股",
    "人": "人居环境股",
    "审": "行政审批股",
    "档": "城建档案馆",
}
QUADRANTS = {1: (True, True), 2: (True, False), 3: (False, True), 4: (False, False)}

# Stories. First half of 2026 (fixed dates): done, done_ext1, done_ext2 (second approved by the
# director), done_returned (sent back once), done_late (escalated, then finished), stopped.
# Relative to today: review, green, green_long (since the first quarter, monthly reports), warning,
# l1 / l2 (overdue), dragging (a first-half task still open), coord (the leader asked the director),
# feedback_late, problem (an unsolved problem on it), ext1_pending, ext2_pending, ext_rejected, new,
# late_registered (registered after its deadline).
M, INS, H, K, P, X, OTH = (
    Source.MEETING,
    Source.INSTRUCTION,
    Source.HIGHER,
    Source.INDICATOR,
    Source.PROJECT,
    Source.PETITION,
    Source.OTHER,
)
# (story, section, source, title, indicator or project code, quadrant, cooperating sections)
# fmt: off
TASKS = [
    ("done", "城", M, "制定2026年城镇老旧小区改造实施方案", "A03", 2, "财"),
    ("done", "质", M, "开展春季建筑施工安全生产大检查", "B02", 1, ""),
    ("done_ext1", "保", M, "完成2026年公租房保障对象资格年审", "", 2, ""),
    ("done", "燃", M, "开展春节前城镇燃气安全隐患排查", "B03", 1, ""),
    ("done", "建", M, "清理规范建筑市场拖欠农民工工资问题", "", 1, "审"),
    ("done_late", "城", M, "完成城东片区6个老旧小区改造居民意愿征询", "XM2026-03", 1, ""),
    ("done", "人", M, "制定2026年城乡环境卫生整治工作方案", "", 2, "村"),
    ("done", "财", M, "编制2026年部门预算执行计划", "", 2, ""),
    ("done_returned", "档", M, "完成2025年度城建档案移交归档", "", 4, ""),
    ("stopped", "房", M, "开展房地产中介机构星级评定", "", 4, ""),
    ("done", "质", M, "开展汛前房屋市政工程隐患排查", "", 1, "城"),
    ("done_ext2", "城", M, "完成城区易涝点整治", "", 1, "人"),
    ("review", "村", M, "完成农村危房改造项目竣工验收", "A07", 2, ""),
    ("green_long", "城", M, "推进全年老旧小区改造完工任务", "A04", 2, ""),
    ("l1", "燃", M, "完成瓶装液化气“瓶改管”入户改造", "", 1, ""),
    ("l2", "城", M, "完成城东大道改造工程管线迁改协调", "XM2026-01", 1, "燃"),
    ("warning", "办", M, "整理年度工作总结会议材料", "", 3, ""),
    ("done", "审", M, "推行施工许可“一件事一次办”", "A14", 2, ""),
    ("done", "建", M, "开展建筑业企业资质动态核查", "", 4, ""),
    ("green", "质", M, "开展冬季施工安全专项检查", "", 1, ""),
    ("feedback_late", "保", M, "推进城南保障性租赁住房配套设施建设", "XM2026-04", 2, "城"),
    ("done", "人", M, "完成人民公园提升改造方案公示", "XM2026-06", 3, ""),
    ("new", "燃", M, "部署冬季城镇燃气安全专项检查", "", 1, "质"),
    ("coord", "城", M, "解决滨河路雨污分流工程施工占道问题", "XM2026-02", 1, ""),
    ("done", "办", M, "修订机关考勤和请销假制度", "", 4, ""),
    ("done_ext1", "村", M, "完成传统村落保护发展规划编制", "", 2, ""),
    ("done", "燃", INS, "落实县委主要领导关于餐饮场所燃气安全的批示", "", 1, ""),
    ("done", "质", INS, "调查处理城北某工地塔吊倾斜问题", "", 1, ""),
    ("done_late", "建", INS, "督促某房地产项目解决农民工工资拖欠", "", 1, "房"),
    ("done", "房", INS, "处置某楼盘逾期交房群体诉求", "", 1, ""),
    ("review", "城", INS, "整治城区主干道井盖破损缺失", "", 3, ""),
    ("stopped", "人", INS, "研究城区公厕智慧化改造", "", 4, ""),
    ("done", "保", INS, "核查公租房违规转租转借问题", "", 3, ""),
    ("l1", "村", INS, "整改农村自建房安全隐患排查遗漏问题", "", 1, "质"),
    ("green", "财", INS, "梳理争取中央预算内资金项目储备", "A17", 2, ""),
    ("done_returned", "审", INS, "压缩工程建设项目审批时限", "A14", 2, ""),
    ("ext2_pending", "城", INS, "完成工业园区纬三路征地拆迁扫尾", "XM2026-08", 1, ""),
    ("done", "燃", INS, "排查整治燃气管道占压问题", "", 1, ""),
    ("done", "档", INS, "开展城建档案数字化加工", "", 4, ""),
    ("problem", "房", INS, "推进问题楼盘不动产证办理", "", 1, ""),
    ("warning", "质", INS, "督促在建项目落实扬尘治理措施", "", 3, ""),
    ("done_late", "城", INS, "完成建设路老旧小区加装电梯试点", "XM2026-03", 2, ""),
    ("done", "质", H, "落实建筑施工安全治本攻坚三年行动年度任务", "", 2, "建"),
    ("done", "燃", H, "完成城镇燃气安全专项整治“回头看”", "B03", 1, ""),
    ("done", "村", H, "上报农村危房改造年度任务分解", "", 3, ""),
    ("done_ext1", "保", H, "完成住房保障信息系统数据核查", "", 3, ""),
    ("done", "房", H, "开展商品房预售资金监管专项检查", "", 2, ""),
    ("done", "城", H, "报送城市体检自评估报告", "", 2, "人"),
    ("done_late", "人", H, "完成农村生活垃圾收运体系排查", "A08", 2, "村"),
    ("stopped", "建", H, "组织参加全省建筑业统计业务培训", "", 4, ""),
    ("done", "审", H, "对接省工程建设项目审批管理系统升级", "", 3, ""),
    ("review", "质", H, "开展经营性自建房安全专项整治", "", 1, "村"),
    ("green", "城", H, "完成城市排水防涝应急预案修订", "", 2, ""),
    ("l2", "村", H, "完成农村危房改造动态监测数据录入", "A07", 3, ""),
    ("ext1_pending", "燃", H, "建设城镇燃气智慧监管平台", "", 2, ""),
    ("done", "档", H, "迎接省城建档案工作检查", "", 3, ""),
    ("green_long", "保", H, "发放2026年度公租房租赁补贴", "A06", 2, ""),
    ("new", "房", H, "报送前三季度房地产市场运行分析", "", 3, ""),
    ("late_registered", "质", H, "上报房屋市政工程重大事故隐患排查台账", "B02", 1, ""),
    ("done_ext2", "建", K, "提升建筑业总产值增速", "A01", 2, "财"),
    ("green_long", "财", K, "加快建安工程投资项目入库", "A02", 2, ""),
    ("done", "城", K, "确保老旧小区改造项目5月底前全部开工", "A03", 1, ""),
    ("done_late", "保", K, "完成保障性租赁住房筹集任务", "A05", 2, ""),
    ("green", "人", K, "提升城镇污水集中处理率", "A09", 2, ""),
    ("l1", "城", K, "完成新建污水配套管网建设任务", "A10", 2, ""),
    ("done", "燃", K, "完成上半年新铺燃气管道任务", "A11", 2, ""),
    ("done", "建", K, "加强绿色建筑施工图审查", "A12", 4, "审"),
    ("warning", "建", K, "提高装配式建筑开工面积占比", "A13", 2, ""),
    ("done", "房", K, "提高商品房网签备案及时率", "A15", 4, ""),
    ("done_returned", "档", K, "提高城建档案归档率", "A16", 4, ""),
    ("done", "质", K, "确保重大隐患整改率达到100%", "B02", 1, ""),
    ("done", "办", K, "按时报送政务信息和政务公开事项", "C04", 3, ""),
    ("green", "办", K, "提高督查督办事项按期办结率", "C05", 2, ""),
    ("review", "办", K, "提高12345热线工单按期办结率", "C06", 3, ""),
    ("feedback_late", "人", K, "提升群众满意度调查得分", "D02", 2, ""),
    ("done", "城", P, "城东大道改造工程完成征迁交地", "XM2026-01", 1, ""),
    ("done_late", "城", P, "滨河路雨污分流改造完成一期管道铺设", "XM2026-02", 1, ""),
    ("done", "保", P, "城南保障性租赁住房主体结构封顶", "XM2026-04", 2, ""),
    ("green_long", "人", P, "县第二污水处理厂提标改造通水调试", "XM2026-05", 2, ""),
    ("review", "建", P, "县全民健身中心完成主体结构验收", "XM2026-07", 2, "质"),
    ("ext_rejected", "城", P, "城北片区排水管网完善工程完成支管接驳", "XM2026-09", 1, ""),
    ("l2", "城", P, "幸福里等5个老旧小区改造加快施工进度", "XM2026-10", 1, ""),
    ("done", "财", P, "县城区供水管网改造完成竣工结算", "XM2025-13", 3, ""),
    ("done", "档", P, "滨江公园一期竣工资料移交", "XM2025-14", 4, ""),
    ("green", "燃", P, "老城区燃气管道更新改造完成前期手续", "XM2026-16", 2, "审"),
    ("stopped", "城", P, "县文化中心停车场开工准备", "XM2026-17", 3, ""),
    ("done", "城", P, "工业园区纬三路完成施工图审查", "XM2026-08", 2, "审"),
    ("done", "人", P, "人民公园提升改造完成苗木采购", "XM2026-06", 4, ""),
    ("dragging", "城", P, "建设路等8个老旧小区改造完成雨污管网改造", "XM2026-03", 1, ""),
    ("done", "城", X, "12345工单：幸福里小区二次供水水压不足", "", 3, ""),
    ("done", "房", X, "12345工单：锦绣花园物业服务不到位投诉", "", 3, ""),
    ("done", "质", X, "12345工单：城南某工地夜间施工噪音扰民", "", 3, ""),
    ("done", "城", X, "12345工单：建设路小区改造后路面积水", "", 3, ""),
    ("done", "燃", X, "12345工单：某小区燃气表计量异常", "", 3, ""),
    ("done", "保", X, "12345工单：公租房小区电梯频繁故障", "", 3, ""),
    ("done", "房", X, "12345工单：某楼盘延期交房投诉", "", 1, ""),
    ("done", "村", X, "12345工单：农村危房改造补助未到位", "", 1, "财"),
    ("done_late", "城", X, "12345工单：老旧小区加装电梯低层住户反对", "", 1, ""),
    ("done", "建", X, "信访件：某建筑工地拖欠农民工工资", "", 1, ""),
    ("done", "房", X, "信访件：某小区专项维修资金使用争议", "", 3, ""),
    ("done", "城", X, "12345工单：城区部分路灯夜间不亮", "", 4, ""),
    ("done", "人", X, "12345工单：小区生活垃圾清运不及时", "", 3, ""),
    ("stopped", "燃", X, "12345工单：商铺违规使用瓶装液化气", "", 3, ""),
    ("review", "城", X, "12345工单：老旧小区屋面渗漏维修", "", 3, ""),
    ("green", "质", X, "12345工单：房屋安全鉴定申请", "", 4, ""),
    ("warning", "城", X, "12345工单：小区雨污管网堵塞外溢", "", 3, ""),
    ("problem", "房", X, "信访件：某楼盘购房户不动产证迟迟未办", "", 1, ""),
    ("l1", "质", X, "12345工单：施工围挡占用人行道", "", 3, ""),
    ("new", "房", X, "12345工单：某小区地下车库渗水", "", 3, ""),
    ("new", "燃", X, "12345工单：燃气入户安装收费争议", "", 3, ""),
    ("late_registered", "房", X, "信访件：房屋征收补偿安置争议", "", 1, ""),
    ("done", "办", OTH, "完成局机关办公楼消防设施维保", "", 4, ""),
    ("done", "办", OTH, "组织开展住建系统作风建设专题学习", "", 4, ""),
    ("done", "财", OTH, "完成上半年统计报表报送", "", 3, ""),
    ("done", "质", OTH, "开展建筑工地“安全生产月”活动", "", 2, ""),
    ("done_ext1", "建", OTH, "完成工程建设招投标突出问题专项整治", "", 2, "审"),
    ("green", "财", OTH, "开展局机关固定资产清查", "", 4, ""),
    ("new", "档", OTH, "编制城建档案馆库房改造方案", "", 4, ""),
    ("done", "燃", OTH, "开展燃气从业人员专业培训考核", "", 4, ""),
    ("new", "保", OTH, "组织住房保障对象入户复核", "", 3, ""),
]
# fmt: on
H1_STORIES = {"done", "done_ext1", "done_ext2", "done_returned", "done_late", "stopped"}

CONTENT = {
    M: "经局务会议研究，由{section}牵头{title}，明确责任人和完成时限，办理情况按要求反馈督查室。",
    INS: "根据领导批示精神，{section}要高度重视，{title}，及时报告办理进展，确保按期办结。",
    H: "按照上级部门部署，由{section}负责{title}，按时限报送工作情况，不得延误。",
    K: "对照2026年度目标责任考核指标，{section}要{title}，逐月跟踪进度，收集印证资料，确保指标不失分。",
    P: "紧盯县重点项目年度目标，{section}要{title}，倒排工期、挂图作战，每月报告形象进度和存在问题。",
    X: "群众诉求：{title}。请{section}按期核实办理并答复诉求人，办结后上传回访记录。",
    OTH: "{section}负责{title}，按计划推进并及时反馈。",
}
# In the order work advances: a report's text is chosen by its percentage.
PROGRESS = [
    "已召开专题推进会，明确责任分工和时间节点",
    "已完成现场摸排，形成问题清单",
    "已与相关部门对接，正在办理相关手续",
    "已约谈相关企业负责人，督促其限期整改",
    "已形成初步方案，正在征求相关股室和单位意见",
    "主体工作完成过半，剩余部分正在加紧推进",
    "已完成资料收集整理，正在组织复核",
    "现场整改已基本完成，正在收集佐证资料",
]
RESULTS = [
    "已按要求办结，相关资料已归档，并上传印证资料。",
    "经现场复核，整改到位，已向诉求人答复并回访，群众表示满意。",
    "已形成工作台账和总结报告，报县政府办公室备案。",
    "各项工作均已完成，阶段成果已通过分管领导审核。",
    "已完成验收并出具验收意见，问题清单全部销号。",
]
EXTENSION_REASONS = [
    "涉及多个部门会签，审批周期较长，需延长办理时间",
    "受持续降雨影响，现场施工无法正常开展",
    "上级部门要求补充资料，需重新组织申报",
    "涉及群众意见征询，公示期需延长",
    "相关单位资料提交滞后，需等待其补齐后办理",
]
RETURN_NOTES = [
    "佐证资料不全，请补充现场照片和验收记录。",
    "办结报告未说明资金使用情况，请补充后重新提交。",
]
STOP_REASONS = [
    "上级通知调整工作安排，该事项不再实施",
    "经核实与其他督办事项重复，已合并办理",
    "项目规划方案调整，暂缓实施",
    "信访人撤回诉求，经回访确认后终止办理",
    "培训由市住建局调整为线上方式，无需组织参加",
]
# The first half's meetings: 局务会 every ten working days from the first Monday of the year.
FIRST_MEETING = dt.date(2026, 1, 5)

# (key, section, title, description, state, link, decided by)
# state: implemented, decided, pending_s (at the section), pending_l (at the leader), pending_d (at the
# director). link: "task:<part of a task title>", "ind:<code>", "proj:<code>" or "".
# decided by: d (the director at the bureau meeting), l (the leader in charge), c (the section chief).
# fmt: off
PROBLEMS = [
    ("p1", "城", "老旧小区改造居民意见不统一导致开工延迟", "部分小区改造内容居民意见分歧大，施工队伍无法按计划进场。",
     "实行“一区一策”，由社区牵头召开居民议事会，改造内容经三分之二以上居民同意即可实施；对个别不同意的住户由街道做好思想工作，不因个别住户拖延整体进度。",
     "implemented", "task:居民意愿征询", "d"),
    ("p2", "城", "老旧小区加装电梯低层住户反对", "一楼、二楼住户担心采光和噪音，不同意加装电梯，项目无法报建。",
     "按照“自愿、协商、公平”原则，加装电梯须经本单元三分之二以上业主同意；低层住户补偿参照县加装电梯指导意见执行，协商不成的由社区人民调解委员会调解。",
     "implemented", "task:加装电梯试点", "l"),
    ("p3", "燃", "餐饮场所燃气泄漏报警装置安装率低", "检查发现城区餐饮场所报警器安装率不足六成，部分商户以成本高为由拒装。",
     "由燃气经营企业免费提供报警器，餐饮单位负责安装；燃气管理股联合市场监管部门开展联合检查，对拒不安装的依法暂停供气。",
     "implemented", "task:餐饮场所燃气安全", "d"),
    ("p4", "燃", "燃气管道被违章建筑占压，拆除难度大", "排查发现燃气中压管道被违章建筑占压12处，涉及商户多，拆除阻力大。",
     "由燃气管理股梳理占压清单，报县政府提请城管、自然资源部门联合拆除；燃气企业同步制定改线方案，占压点位每周巡检。",
     "decided", "task:燃气管道占压", "l"),
    ("p5", "质", "深基坑第三方监测数据报送不及时", "两个深基坑项目监测单位数据迟报，未能及时发现支护变形。",
     "监测单位每日上传监测数据，超预警值2小时内报告质监站；连续两次迟报的纳入信用扣分。",
     "implemented", "", "c"),
    ("p6", "质", "部分工地塔吊未办理使用登记即投入使用", "塔吊倾斜事件调查中发现，该工地塔吊安装后未经检测和使用登记即投入使用。",
     "立即停止使用，限3个工作日内完成检测和使用登记；对施工单位下达整改通知书并记录不良行为。",
     "implemented", "task:塔吊倾斜", "l"),
    ("p7", "建", "农民工工资专用账户资金不足", "个别项目建设单位人工费拨付不到位，工资专户余额不足以发放当月工资。",
     "督促建设单位按月足额拨付人工费用，对拖欠的暂停其新项目施工许可办理，必要时动用工资保证金先行垫付。",
     "implemented", "task:拖欠农民工工资问题", "d"),
    ("p8", "保", "公租房租户违规转租难以查实", "群众反映部分公租房被转租，但核查时租户均称亲属暂住，难以认定。",
     "建立季度入户核查和邻里走访制度，对查实转租的收回住房并记入诚信档案，五年内不得再申请保障性住房。",
     "implemented", "task:违规转租", "l"),
    ("p9", "保", "保障性租赁住房配套学校用地未落实", "城南保障性租赁住房项目规划配套的小学用地尚未纳入供地计划。",
     "提请县政府协调教育、自然资源部门，将配套学校纳入年度用地计划；住房保障股每月对接一次并报告进展。",
     "decided", "proj:XM2026-04", "d"),
    ("p10", "审", "施工许可办理需跑多个部门、材料重复提交", "企业反映办理施工许可需分别到质监、安监窗口提交相同材料。",
     "推行“一件事一次办”，施工许可与质量安全监督手续合并办理，材料一次提交、内部流转，承诺时限压缩至3个工作日。",
     "implemented", "task:一件事一次办", "d"),
    ("p11", "城", "管线迁改涉及电力、通信多家单位，协调进度慢", "城东大道沿线电力、通信、燃气管线迁改单位多，各自排期，影响主体施工。",
     "建立管线迁改联席会议制度，每周召开一次，由分管副局长主持；迁改单位明确责任人和完成时限，逾期的报县政府督查室督办。",
     "decided", "proj:XM2026-01", "d"),
    ("p12", "城", "雨季施工土方外运受限", "连续降雨导致土方无法外运，沟槽开挖进度滞后。",
     "调整施工组织，雨天转入管道安装等可作业工序，晴天集中土方作业；渣土运输证由城市建设股协助加急办理。",
     "decided", "proj:XM2026-02", "l"),
    ("p13", "村", "农村危房改造补助资金拨付慢", "部分已竣工农户反映补助资金迟迟未到账。",
     "实行竣工验收后15个工作日内拨付，计划财务股与村镇建设股建立资金拨付台账，每月通报进度。",
     "implemented", "ind:A07", "l"),
    ("p14", "村", "危房改造户自筹资金困难", "部分特困户无力承担自筹部分，改造无法启动。",
     "对特困户实行兜底改造，协调民政部门给予临时救助，鼓励采用加固改造方式降低成本。",
     "decided", "", "l"),
    ("p15", "人", "农村生活垃圾转运车辆不足", "部分乡镇垃圾转运车辆老化，无法做到日产日清。",
     "申请县财政追加购置4辆压缩式转运车，过渡期租用社会车辆，确保日产日清。",
     "implemented", "ind:A08", "d"),
    ("p16", "人", "公园提升改造苗木价格上涨超出预算", "苗木市场价格上涨约15%，按原设计采购将超出批复概算。",
     "优化苗木品种，以乡土树种替代部分名贵苗木，控制在批复概算内，不再追加投资。",
     "implemented", "proj:XM2026-06", "l"),
    ("p17", "财", "争取资金储备项目前期工作深度不够", "申报中央预算内资金的储备项目多数只有项目建议书，达不到申报要求。",
     "各业务股室每季度更新项目储备库，前期工作达到可研深度方可申报，计划财务股统一把关。",
     "decided", "ind:A17", "c"),
    ("p18", "财", "建安投资统计入库滞后", "部分重点项目已完成投资未及时入库，影响考核数据。",
     "建立重点项目投资月报制度，每月20日前由项目业主报送，计划财务股核实后及时入库。",
     "implemented", "ind:A02", "c"),
    ("p19", "档", "竣工项目档案移交不及时", "多个已竣工项目建设单位未在规定时限内移交城建档案。",
     "将档案预验收作为竣工验收备案的前置条件，未移交档案的不予办理备案。",
     "implemented", "ind:A16", "d"),
    ("p20", "房", "问题楼盘因欠缴土地出让金无法办理不动产证", "开发企业资金链断裂，欠缴土地出让金，购房户无法办证，多次集体上访。",
     "",
     "pending_l", "task:推进问题楼盘不动产证办理", ""),
    ("p21", "房", "预售资金监管账户资金被违规挪用", "专项检查发现一家开发企业通过虚构工程款支付挪用监管资金。",
     "立即冻结监管账户，责令开发企业限期归还；约谈监管银行并暂停其监管资格，情节严重的移送相关部门处理。",
     "implemented", "task:预售资金监管", "d"),
    ("p22", "房", "物业企业退出后小区无人管理", "某小区物业企业合同到期退出，垃圾清运、电梯维保中断。",
     "由街道、社区组织业主大会选聘新物业，过渡期由国有物业公司应急托管，期限不超过6个月。",
     "decided", "", "l"),
    ("p23", "质", "施工扬尘治理“六个百分百”落实不到位", "巡查发现部分工地裸土未覆盖、出入口车辆未冲洗。",
     "对未落实的工地下达停工整改通知，连续两次检查不合格的约谈企业负责人并记入信用档案。",
     "decided", "", "c"),
    ("p24", "燃", "瓶改管入户改造居民不配合", "部分居民担心入户改造收费和施工破坏装修，拒绝开门。",
     "",
     "pending_d", "task:瓶改管", ""),
    ("p25", "城", "易涝点改造涉及铁路下穿通道产权单位不同意施工", "铁路下穿通道易涝点改造需在铁路用地范围内施工，产权单位迟迟不同意。",
     "由局长出面与铁路部门协调，签订施工配合协议，汛前完成泵站扩容。",
     "implemented", "task:易涝点整治", "d"),
    ("p26", "质", "汛期在建工地临时用电防雨措施不到位", "汛前排查发现多处工地配电箱无防雨罩、电缆浸泡在积水中。",
     "统一要求配电箱加装防雨罩并抬高设置，质监站开展雨前专项抽查，发现一处整改一处。",
     "implemented", "task:汛前房屋市政工程隐患排查", "c"),
    ("p27", "城", "排水管网清淤经费未列入预算", "汛前管网清淤任务重，但年初预算未安排清淤经费。",
     "从城市维护费中调剂安排清淤经费，下年度起列入部门预算常态化保障。",
     "implemented", "", "d"),
    ("p28", "建", "建筑业产值统计口径与统计局不一致", "本局掌握的企业产值与统计局入库数据差距较大。",
     "由建筑业管理股牵头与县统计局对接，按统计局口径逐家核对在库企业产值，每月5日前对账一次。",
     "decided", "ind:A01", "l"),
    ("p29", "建", "外地进县施工企业产值不在本地入统", "重点项目多由外地企业承建，产值计入企业注册地。",
     "督促外地企业在本县设立独立核算的分公司，对重点项目施工企业实行入统承诺制。",
     "decided", "ind:A01", "d"),
    ("p30", "审", "施工图联合审查时限超过承诺时限", "第三方图审机构审查周期平均超出承诺时限4个工作日。",
     "图审机构实行限时办结，超时的按合同扣减服务费；建立审图进度周报制度。",
     "implemented", "ind:A14", "c"),
    ("p31", "办", "部分股室督办事项反馈不及时", "一季度督办事项按时反馈率不足七成，影响督查督办事项办结率指标。",
     "督办事项实行周反馈制度，连续两次未按时反馈的由分管领导提醒谈话，结果纳入年度考核。",
     "implemented", "ind:C05", "d"),
    ("p32", "办", "12345热线工单退单率高", "一季度12345工单退单较多，被扣按期办结率分。",
     "工单接收后2小时内签收，确属非本局职责的当日说明理由退回，由办公室统一把关，减少退单扣分。",
     "implemented", "ind:C06", "c"),
    ("p33", "办", "政务信息报送数量不足", "一季度政务信息采用数排名靠后。",
     "每个股室每月至少报送2篇工作信息，办公室每月通报报送和采用情况。",
     "implemented", "ind:C04", "c"),
    ("p34", "保", "租赁补贴发放对象动态调整不及时", "部分已购房或收入超标的家庭仍在领取租赁补贴。",
     "与民政、人社、不动产登记部门建立数据共享，每季度比对一次收入和住房信息，及时清退不符合条件对象。",
     "decided", "ind:A06", "l"),
    ("p35", "人", "污水处理厂进水浓度偏低", "雨污混接导致进水COD浓度偏低，影响污水集中处理率核算。",
     "排查雨污混接点，结合滨河路雨污分流工程改造，年底前完成主要混接点整改。",
     "decided", "ind:A09", "l"),
    ("p36", "城", "新建污水管网与道路施工不同步，重复开挖", "个别道路刚完成沥青摊铺又因污水管网施工开挖。",
     "实行道路与地下管网同步规划、同步建设，道路开工前由城市建设股组织各管线单位会签。",
     "decided", "ind:A10", "d"),
    ("p37", "燃", "新铺燃气管道占道挖掘许可办理周期长", "燃气管道施工需办理占道挖掘许可，平均耗时15天。",
     "燃气管道施工纳入并联审批，占道挖掘许可由城管部门5个工作日内办结。",
     "implemented", "ind:A11", "l"),
    ("p38", "建", "装配式建筑项目开工面积不足", "今年新开工项目中采用装配式建造的比例偏低，指标完成困难。",
     "",
     "pending_l", "ind:A13", ""),
    ("p39", "质", "部分监理单位总监不到岗", "抽查发现3个项目总监理工程师长期不在岗。",
     "约谈相关监理单位，情节严重的予以通报并限制其在本县承接业务。",
     "implemented", "", "c"),
    ("p40", "城", "城东大道施工交通导改群众投诉多", "交通导改后早晚高峰拥堵，12345投诉集中。",
     "优化交通导改方案，增设临时指示标志和引导员，高峰时段商请交警协助疏导。",
     "implemented", "proj:XM2026-01", "l"),
    ("p41", "城", "幸福里小区改造施工单位劳动力不足", "施工单位同时承接多个项目，现场作业人员不足，进度严重滞后。",
     "",
     "pending_d", "proj:XM2026-10", ""),
    ("p42", "人", "第二污水处理厂提标改造设备采购进度滞后", "关键设备供货周期长，影响安装调试节点。",
     "采用公开招标与框架协议结合方式，关键设备提前订货，由分管领导每周调度一次。",
     "decided", "proj:XM2026-05", "l"),
    ("p43", "建", "全民健身中心钢结构深化设计变更多", "钢结构深化设计多次调整，影响构件加工。",
     "",
     "pending_s", "proj:XM2026-07", ""),
    ("p44", "城", "纬三路征地拆迁有2户未签补偿协议", "剩余2户对补偿标准有异议，影响道路贯通。",
     "",
     "pending_d", "proj:XM2026-08", ""),
    ("p45", "房", "网签备案系统与不动产登记系统数据不互通", "购房户办理不动产登记需重复提交网签合同。",
     "由房地产市场监管股与不动产登记中心签订数据共享协议，实现网签数据实时推送。",
     "decided", "ind:A15", "l"),
    ("p46", "村", "传统村落保护规划编制经费不足", "规划编制费用超出年初预算。",
     "申请省级传统村落保护补助资金，不足部分由县财政配套解决。",
     "implemented", "task:传统村落", "l"),
    ("p47", "村", "自建房安全隐患排查底数不清、遗漏较多", "复核发现部分经营性自建房未纳入排查台账。",
     "",
     "pending_l", "task:自建房安全隐患排查遗漏", ""),
    ("p48", "人", "群众满意度调查样本覆盖面窄", "满意度调查样本集中在城区，乡镇群众覆盖不足。",
     "",
     "pending_s", "ind:D02", ""),
    ("p49", "燃", "智慧燃气监管平台与燃气企业数据接口未打通", "两家燃气企业以数据安全为由迟迟不开放接口。",
     "",
     "pending_l", "task:智慧监管平台", ""),
    ("p50", "财", "局机关固定资产账实不符", "清查发现部分办公设备已报废但未核销。",
     "开展全面清查，盘盈盘亏资产报县财政局审批后调账，建立资产领用登记制度。",
     "decided", "", "c"),
    ("p51", "档", "档案库房温湿度不达标", "档案库房无恒温恒湿设备，纸质档案存在霉变风险。",
     "购置恒温恒湿设备，纳入库房改造方案一并实施。",
     "decided", "", "l"),
    ("p52", "保", "城南保租房项目周边市政道路未接通", "项目主体即将完工，但周边市政道路尚未施工，影响交付使用。",
     "",
     "pending_d", "proj:XM2026-04", ""),
    ("p53", "城", "支管接驳涉及小区内部管网产权不清", "部分小区内部管网产权和维护主体不明确，接驳方案无法确定。",
     "",
     "pending_s", "task:支管接驳", ""),
]
# fmt: on
# Raised again later in other words: (original, section, title, description, link)
# fmt: off
REPEATS = [
    ("p1", "城", "小区改造方案部分住户不同意，施工无法进场",
     "幸福里片区有住户对改造方案有意见，阻止施工进场。", "proj:XM2026-10"),
    ("p2", "城", "加梯项目一楼业主不同意签字",
     "某单元加装电梯因一楼业主不签字无法报建。", ""),
    ("p3", "燃", "饭店不愿意安装可燃气体报警器",
     "冬季检查中仍有饭店以费用为由不装报警器。", ""),
    ("p5", "质", "基坑监测单位数据上报滞后",
     "新开工项目基坑监测数据仍有迟报现象。", ""),
    ("p7", "建", "项目工资专户没钱，工人工资发不下来",
     "年底前有工人反映某项目工资专户余额不足。", ""),
    ("p10", "审", "办施工许可还要重复交材料",
     "有企业反映在办理施工许可时被要求重复提交质监材料。", ""),
    ("p11", "城", "电力通信杆线迁移迟迟不动，影响道路施工",
     "滨河路沿线杆线迁移单位未按期进场。", "proj:XM2026-02"),
    ("p19", "档", "项目竣工后建设单位迟迟不交档案",
     "供水管网改造项目竣工后档案仍未移交。", "proj:XM2025-13"),
]
# fmt: on

# (kind, title, body, tags, from: "problem:<key>" or "task:<part of a title>")
# fmt: off
LESSONS = [
    ("practice", "老旧小区改造“一区一策”居民议事会",
     "改造前由社区牵头召开居民议事会，把改造清单交给居民选，三分之二以上同意即实施，个别问题由街道兜底做工作，开工率明显提高。",
     "老旧小区 群众工作 议事会", "problem:p1"),
    ("lesson", "改造前期群众工作不足导致开工滞后",
     "城东片区意愿征询没有提前启动，临到开工才发现分歧，节点逾期。前期工作要前移，征询和方案公示至少预留一个月。",
     "老旧小区 前期工作 逾期", "task:居民意愿征询"),
    ("practice", "加装电梯协商调解三步法",
     "先由单元长上门征询，再由社区组织协商，最后由人民调解委员会调解；低层住户补偿按指导意见执行，避免“一户否决”。",
     "加装电梯 矛盾调解", "problem:p2"),
    ("practice", "燃气报警器“企业免费提供+联合检查”",
     "燃气企业免费提供报警器，联合市场监管部门检查，拒不安装的暂停供气，两个月内安装率提升到95%以上。",
     "燃气安全 餐饮场所 联合执法", "problem:p3"),
    ("lesson", "燃气管道占压要早发现早处置",
     "占压形成后再拆除阻力大、成本高。巡检中发现在建违章建筑要当日报告城管部门制止，不能等成为历史遗留问题。",
     "燃气安全 占压 巡检", "problem:p4"),
    ("practice", "深基坑监测数据日报告制度",
     "监测单位每日上传数据，超预警值2小时内报告，连续迟报纳入信用扣分，监测迟报问题明显减少。",
     "深基坑 危大工程 监测", "problem:p5"),
    ("lesson", "塔吊未登记先使用的教训",
     "起重机械安装后必须经检测、验收和使用登记后方可使用。日常检查要把使用登记证作为必查项。",
     "起重机械 安全生产 使用登记", "problem:p6"),
    ("practice", "工资专户加保证金双保险",
     "人工费按月足额拨付到专户，拖欠的暂停新项目施工许可，必要时动用保证金先行垫付，做到欠薪动态清零。",
     "农民工工资 根治欠薪", "problem:p7"),
    ("practice", "施工许可“一件事一次办”",
     "施工许可与质量安全监督手续合并办理，材料一次提交、内部流转，承诺时限压缩至3个工作日。",
     "营商环境 施工许可 审批改革", "problem:p10"),
    ("practice", "管线迁改周联席会议",
     "每周由分管领导主持联席会议，迁改单位当场认领任务和时限，逾期的报县政府督查室，迁改进度明显加快。",
     "管线迁改 重点项目 协调机制", "problem:p11"),
    ("lesson", "易涝点整治两次延期的教训",
     "涉及铁路等产权单位的事项要在立项时就启动协调，不能等到施工时才发现无法进场，导致两次申请延期。",
     "排水防涝 汛前 延期", "task:易涝点整治"),
    ("practice", "危改补助资金拨付台账",
     "竣工验收后15个工作日内拨付，建立台账每月通报，农户投诉明显减少。",
     "农村危房 资金拨付 台账", "problem:p13"),
    ("practice", "城建档案预验收前置",
     "把档案预验收作为竣工验收备案的前置条件，档案移交率大幅提高。",
     "城建档案 竣工验收", "problem:p19"),
    ("practice", "汛前工地临时用电雨前抽查",
     "配电箱统一加装防雨罩并抬高设置，质监站在强降雨前开展专项抽查，发现一处整改一处。",
     "汛前隐患排查 临时用电 在建工地", "problem:p26"),
    ("practice", "督办事项周反馈制度",
     "督办事项每周五前反馈进展，连续两次未按时反馈的由分管领导提醒谈话，按时反馈率提升到95%以上。",
     "督查督办 反馈 作风建设", "problem:p31"),
    ("practice", "12345工单2小时签收",
     "工单接收后2小时内签收，非本局职责的当日说明理由退回，由办公室统一把关，退单扣分明显减少。",
     "12345热线 工单 按期办结", "problem:p32"),
    ("lesson", "雨季施工组织不当导致节点滞后",
     "滨河路一期没有针对雨季调整施工组织，土方作业集中在雨季，节点逾期。雨季前要编制专项施工方案。",
     "雨污分流 施工组织 逾期", "task:一期管道铺设"),
    ("lesson", "筹集任务分解不细、房源核实不及时",
     "保障性租赁住房筹集任务没有分解到项目和季度，房源核实滞后，指标险些失分。任务要分解到月、落实到人。",
     "保障性住房 考核指标 任务分解", "task:保障性租赁住房筹集"),
    ("practice", "公租房年审与部门数据比对",
     "年审时与民政、人社、不动产登记数据比对，一次性发现不符合条件对象，减少入户核查工作量。",
     "公租房 数据共享 年审", "task:资格年审"),
    ("practice", "交通导改前与群众充分沟通",
     "导改方案提前一周公示，增设引导员和临时标志，高峰时段商请交警疏导，投诉量下降七成。",
     "交通导改 群众投诉 城东大道", "problem:p40"),
]
# fmt: on


def build() -> list:
    bureau = Unit.objects.get(code="ZJJ")
    if Task.objects.filter(unit=bureau).exists():
        return []  # built once; `duban demo --reset` starts again from nothing
    return _Demo(bureau).run()


def _at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class _Demo:
    def __init__(self, bureau: Unit) -> None:
        self.rng = random.Random(20260630)
        self.bureau = bureau
        self.calendar = current_calendar()
        self.today = timezone.localdate()
        self.started = timezone.now()
        self.sections = {s.name: s for s in Section.objects.filter(unit=bureau)}
        people = list(
            Person.objects.filter(unit=bureau, is_active=True, user__isnull=False)
            .select_related("user")
            .order_by("sort_order", "id")
        )
        self.director = next(p for p in people if p.user.role == Role.DIRECTOR)
        self.office = next(p for p in people if p.user.role == Role.OFFICE)
        self.workers: dict[int, list[Person]] = {}
        self.chiefs: dict[int, Person] = {}
        for person in people:
            if person.user.role in (Role.STAFF, Role.CHIEF) and person.section_id:
                self.workers.setdefault(person.section_id, []).append(person)
            if person.user.role == Role.CHIEF:
                self.chiefs[person.section_id] = person
        self.policy = Policy.objects.create(unit=bureau)
        self.tasks: list[tuple[str, Task, dict]] = []
        self.late_reports = 0
        self.problems: dict[str, Problem] = {}

    # --- dates ------------------------------------------------------------------------------------

    def back(self, n: int) -> dt.date:
        """The working day with exactly n working days after it up to today (0: the last working day
        on or before today)."""
        day = self.today
        while not self.calendar.is_workday(day):
            day -= dt.timedelta(days=1)
        return self.calendar.add_workdays(day, -n) if n else day

    def ahead(self, n: int) -> dt.date:
        return self.calendar.add_workdays(self.today, n)

    def add(self, day: dt.date, n: int) -> dt.date:
        return self.calendar.add_workdays(day, n) if n else day

    def meeting_ref(self, day: dt.date) -> str:
        number = max(1, self.calendar.workdays_between(FIRST_MEETING, day) // 10 + 1)
        return f"局务会纪要〔{day.year}〕{number}号"

    # --- the whole story ------------------------------------------------------------------------

    def run(self) -> list:
        self._register_tasks()
        self._problems()
        self._lessons()
        self._talks()
        # What people read at the time is read; what is waiting for them now stays unread.
        Notification.objects.filter(
            kind__startswith="supervision.", created_at__gte=self.started, read_at__isnull=True
        ).update(read_at=timezone.now())
        self._waiting_notices()
        self._task_ladders()
        self._problem_ladders()
        escalation.scan(timezone.now())
        return []

    # --- tasks ----------------------------------------------------------------------------------

    def _register_tasks(self) -> None:
        from duban.assessment.models import Indicator
        from duban.projects.models import Project

        indicators = {
            i.code: i
            for i in Indicator.objects.filter(scheme__year=2026, scheme__units=self.bureau)
        }
        projects = {p.code: p for p in Project.objects.filter(unit=self.bureau)}
        h1 = [row for row in TASKS if row[0] in H1_STORIES]
        # First-half tasks spread over January to early June, in list order shuffled by the seed.
        h1_days = sorted(self.add(dt.date(2026, 1, 5), self.rng.randrange(0, 100)) for _row in h1)
        order = list(range(len(h1)))
        self.rng.shuffle(order)
        h1_assigned = {id(h1[i]): h1_days[n] for n, i in enumerate(order)}
        plans = []
        for row in TASKS:
            story, key, source, title, link, quadrant, cooperating = row
            section = self.sections[SECTIONS[key]]
            plan = self._plan(story, source, h1_assigned.get(id(row)))
            plan.update(
                story=story,
                section=section,
                source=source,
                title=title,
                quadrant=quadrant,
                cooperating=[self.sections[SECTIONS[c]] for c in cooperating],
                indicator=indicators.get(link),
                project=projects.get(link),
                owner=self._owner(section, story),
            )
            plans.append(plan)
        plans.sort(key=lambda p: (p["assigned"], p["title"]))
        office_user = self.office.user
        for plan in plans:
            important, urgent = QUADRANTS[plan["quadrant"]]
            section = plan["section"]
            task = Task(
                unit=self.bureau,
                title=plan["title"],
                content=CONTENT[plan["source"]].format(section=section.name, title=plan["title"]),
                source=plan["source"],
                source_ref=self._source_ref(plan),
                indicator=plan["indicator"],
                project=plan["project"],
                lead_section=section,
                owner=plan["owner"],
                important=important,
                urgent=urgent,
                assigned_on=plan["assigned"],
                deadline=plan["deadline"],
                deadline_workdays=plan.get("workdays"),
                feedback_cycle=plan["cycle"],
                feedback_weekday=plan.get("weekday", 4),
            )
            by = self.director.user if plan["source"] == Source.INSTRUCTION else office_user
            task = services.register_task(by, task, plan["cooperating"])
            Event.objects.filter(task=task, kind=EventKind.CREATED).update(at=_at(task.assigned_on))
            self._history(task, plan)
            self.tasks.append((plan["story"], task, plan))

    def _owner(self, section: Section, story: str) -> Person:
        workers = self.workers[section.pk]
        # One person in 城市建设股 carries most of the late work: the talks are with them.
        if section.name == "城市建设股" and story in ("done_late", "dragging", "l2"):
            return workers[1] if len(workers) > 1 else workers[0]
        return self.rng.choice(workers)

    def _source_ref(self, plan) -> str:
        day, source, rng = plan["assigned"], plan["source"], self.rng
        if source == Source.MEETING:
            return self.meeting_ref(day)
        if source == Source.INSTRUCTION:
            return rng.choice(
                [
                    f"局长批示（{day:%Y年%m月%d日}）",
                    f"县委办督查通知〔{day.year}〕{rng.randint(3, 60)}号",
                    f"县政府办批办单〔{day.year}〕{rng.randint(5, 90)}号",
                ]
            )
        if source == Source.HIGHER:
            return rng.choice(
                [
                    f"市住建局交办单（市建发〔{day.year}〕{rng.randint(8, 120)}号）",
                    f"县政府办交办单〔{day.year}〕{rng.randint(5, 90)}号",
                    f"省住建厅通知（省建办〔{day.year}〕{rng.randint(10, 200)}号）",
                ]
            )
        if source == Source.INDICATOR:
            code = plan["indicator"].code if plan["indicator"] else ""
            return f"2026年度目标责任考核 {code}".strip()
        if source == Source.PROJECT:
            return plan["project"].code if plan["project"] else "县重点项目"
        if source == Source.PETITION:
            if plan["title"].startswith("信访件"):
                return f"县信访局转送单〔{day.year}〕{rng.randint(10, 150)}号"
            return f"12345工单 {day:%Y%m%d}{rng.randint(1000, 9999)}"
        return ""

    def _plan(self, story: str, source: str, assigned: dt.date | None) -> dict:
        """When the story happens: assignment, deadline, report cycle and the moments of its steps."""
        rng = self.rng
        petition = source == Source.PETITION
        cycle = FeedbackCycle.NONE
        if story in H1_STORIES:
            span = rng.choice([5, 10]) if petition else rng.randint(10, 35)
            deadline = self.add(assigned, span)
            if not petition and rng.random() < 0.35:
                cycle = FeedbackCycle.WEEKLY
            plan = {"assigned": assigned, "deadline": deadline, "cycle": cycle}
            if petition:
                plan["workdays"] = span
            return plan
        if story == "green_long":
            assigned = self.add(dt.date(2026, 1, 12), rng.randint(0, 45))
            return {
                "assigned": assigned,
                "deadline": max(dt.date(2026, 12, 31), self.ahead(rng.randint(15, 25))),
                "cycle": FeedbackCycle.MONTHLY,
            }
        if story == "dragging":
            return {
                "assigned": dt.date(2026, 4, 13),
                "deadline": dt.date(2026, 6, 15),
                "cycle": FeedbackCycle.MONTHLY,
            }
        offsets = {
            # story: (assigned n working days ago, deadline in n working days (negative: ago))
            "review": (rng.randint(12, 30), rng.choice([-2, 3, 6, 10])),
            "green": (rng.randint(5, 25), rng.randint(8, 30)),
            "warning": (rng.randint(8, 20), rng.randint(1, 2)),
            "l1": (rng.randint(15, 30), -rng.randint(1, 3)),
            "l2": (rng.randint(25, 45), -rng.randint(6, 15)),
            "coord": (rng.randint(20, 30), -2),
            "feedback_late": (rng.randint(25, 40), rng.randint(10, 25)),
            "problem": (rng.randint(15, 25), rng.randint(8, 20)),
            "ext1_pending": (rng.randint(15, 25), rng.randint(2, 4)),
            "ext2_pending": (rng.randint(35, 45), rng.randint(3, 5)),
            "ext_rejected": (rng.randint(15, 25), rng.randint(1, 3)),
            "new": (rng.randint(0, 2), rng.randint(10, 20)),
            # Handed down weeks ago, entered in Duban only now: the deadline has already passed.
            "late_registered": (rng.randint(12, 20), -rng.randint(3, 7)),
        }
        ago, due = offsets[story]
        if story in ("green", "feedback_late", "coord", "l2") or (
            story == "warning" and rng.random() < 0.5
        ):
            cycle = FeedbackCycle.WEEKLY
        plan = {
            "assigned": self.back(ago),
            "deadline": self.ahead(due) if due > 0 else self.back(-due),
            "cycle": cycle,
        }
        if petition and story == "new":
            plan["workdays"] = rng.choice([5, 10])
        if story == "feedback_late":
            # The weekly report falls on the weekday that makes it late by 3 working days (the
            # leader's rung only) for the first such task and by 8 (the director's too) for the next.
            self.late_reports += 1
            plan["report_due"] = self.back(3 if self.late_reports == 1 else 8)
            plan["weekday"] = min(plan["report_due"].weekday(), 4)
        return plan

    # --- one task's history -------------------------------------------------------------------------

    def _event(self, task, kind, day, user, text="", person=None, hour=10, minute=0) -> None:
        Event.objects.create(
            task=task, kind=kind, at=_at(day, hour, minute), actor=user, text=text, person=person
        )

    def _history(self, task: Task, plan: dict) -> None:
        story, rng = plan["story"], self.rng
        owner = task.owner
        leader = task.responsible_leader or self.director
        assigned = task.assigned_on
        plan["since"] = assigned
        if story in ("new", "late_registered"):
            return
        accepted = self.add(assigned, rng.randint(0, 2))
        if story not in H1_STORIES:
            accepted = min(accepted, self.back(0))
        task.status = TaskStatus.IN_PROGRESS
        task.accepted_on = accepted
        self._event(task, EventKind.ACCEPTED, accepted, owner.user, hour=9, minute=40)

        # Extensions, each asked for before the deadline it moves.
        if story in ("done_ext1", "done_ext2", "dragging"):
            self._extensions(task, plan, accepted, 2 if story == "done_ext2" else 1)
        elif story in ("ext1_pending", "ext2_pending", "ext_rejected"):
            self._open_extension(task, plan, story)

        # When the owner's work ends (or today, while it goes on).
        end = self._work_end(task, plan, accepted)
        limit = end
        if story == "feedback_late":
            limit = plan["report_due"]
        elif story == "dragging":
            limit = dt.date(2026, 9, 1)
        last = self._reports(
            task, accepted, limit, closing=story in H1_STORIES or story == "review"
        )
        plan["since"] = max(assigned, min(task.deadline - dt.timedelta(days=7), last or accepted))
        plan["since"] = min(plan["since"], self.today)

        if story == "coord":
            task.coordination_requested_on = self.back(0)
            plan["coordination"] = task.coordination_requested_on
            self._event(
                task,
                EventKind.COORDINATION,
                task.coordination_requested_on,
                leader.user,
                "涉及交警、城管等多个部门，占道施工审批迟迟未办结，请局长出面协调。",
                hour=11,
            )
        if story == "stopped":
            reason = self._stop_reason(task.title)
            task.status = TaskStatus.STOPPED
            task.stop_reason = reason
            self._event(task, EventKind.STOPPED, end, self.office.user, reason, hour=15)
            plan["closed"] = _at(end, 15, 1)
        elif story in ("review",) or story.startswith("done"):
            self._complete(task, plan, end, leader, approve=story != "review")
        task.save()

    def _work_end(self, task: Task, plan: dict, accepted: dt.date) -> dt.date:
        """The day the owner submits (or the task is stopped); today for work still going on."""
        story, rng = plan["story"], self.rng
        earliest = self.add(accepted, 1)
        if story == "done_late":
            return self.add(task.deadline, rng.randint(2, 9))
        if story == "done_returned":
            return max(earliest, self.add(task.deadline, -5))
        if story.startswith("done"):
            return max(earliest, self.add(task.deadline, -rng.randint(0, 3)))
        if story == "stopped":
            return max(earliest, self.add(accepted, rng.randint(2, 6)))
        if story == "review":
            return max(min(self.back(rng.randint(1, 5)), self.back(0)), accepted)
        return self.today

    def _reports(
        self, task: Task, accepted: dt.date, limit: dt.date, closing: bool
    ) -> dt.date | None:
        """Progress reports by the cycle (a few late), or one or two without a cycle."""
        rng = self.rng
        if task.feedback_cycle == FeedbackCycle.NONE:
            days = []
            span = (limit - accepted).days
            if span > 6 and (closing or rng.random() < 0.7):
                days = sorted(
                    {
                        accepted + dt.timedelta(days=rng.randint(2, span - 1))
                        for _ in range(rng.randint(1, 2))
                    }
                )
            days = [d for d in days if self.calendar.is_workday(d)]
        else:
            days = []
            due = task.feedback_due
            while due is not None and due < limit and len(days) < 40:
                day = due
                if rng.random() < 0.12:
                    day = self.add(due, rng.randint(1, 2))  # a late report
                elif rng.random() < 0.3:
                    day = self.add(due, -1)
                day = max(day, accepted)
                if day >= limit:
                    break
                days.append(day)
                due = self._next_due(task, due, day)
            task.feedback_due = due
        total = len(days) + 1
        for n, day in enumerate(days, start=1):
            percent = min(95, round(100 * n / total / 5) * 5)
            text = PROGRESS[min(len(PROGRESS) - 1, percent * len(PROGRESS) // 100)]
            ProgressReport.objects.create(
                task=task, reported_on=day, text=text, percent=percent, author=task.owner
            )
            self._event(
                task, EventKind.PROGRESS, day, task.owner.user, f"{percent}%：{text}", hour=16
            )
        return days[-1] if days else None

    def _next_due(self, task: Task, due: dt.date, reported: dt.date) -> dt.date:
        """The report due after the one just made: the end of a later cycle, after the report day.

        Steps the cycle's reference day rather than the due day, so a due day moved back across a
        holiday (a Friday off, due on the make-up Saturday before it) cannot repeat itself."""
        reference = due
        while True:
            if task.feedback_cycle == FeedbackCycle.WEEKLY:
                reference += dt.timedelta(days=7)
            else:
                reference = (reference.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            candidate = services.cycle_end(task.feedback_cycle, task.feedback_weekday, reference)
            if candidate > due and candidate > reported:
                return candidate

    def _extensions(self, task: Task, plan: dict, accepted: dt.date, count: int) -> None:
        rng = self.rng
        for ordinal in range(1, count + 1):
            old = task.deadline
            requested = max(accepted, self.add(old, -rng.randint(2, 4)))
            new = self.add(old, rng.randint(8, 15) if ordinal == 1 else rng.randint(5, 10))
            if plan["story"] == "dragging":
                requested, new = dt.date(2026, 6, 10), dt.date(2026, 6, 30)
            decider = (task.responsible_leader or self.director) if ordinal == 1 else self.director
            self._extension(task, ordinal, requested, new, decider, approve=True)
            if ordinal == 2:  # waited at the director for a day: the leader's rung meanwhile
                plan["second_from"] = requested
                plan["second_until"] = self.add(requested, 1)

    def _open_extension(self, task: Task, plan: dict, story: str) -> None:
        leader = task.responsible_leader or self.director
        if story == "ext2_pending":
            # The first extension, approved weeks ago, gave today's deadline.
            current = task.deadline
            first_old = max(self.add(task.assigned_on, 8), self.back(20))
            task.deadline = first_old
            self._extension(task, 1, self.add(first_old, -3), current, leader, approve=True)
            requested = self.back(1)
            plan["second_from"] = requested
            self._extension(task, 2, requested, self.add(current, 10), self.director, approve=None)
        elif story == "ext1_pending":
            self._extension(
                task, 1, self.back(1), self.add(task.deadline, 10), leader, approve=None
            )
        else:
            self._extension(
                task,
                1,
                self.back(4),
                self.add(task.deadline, 15),
                leader,
                approve=False,
                decided=self.back(3),
                note="工期安排仍有压缩空间，不同意延期，请倒排工期、按原定时限完成。",
            )

    def _extension(self, task, ordinal, requested, new, decider, approve, decided=None, note=""):
        rng = self.rng
        reason = rng.choice(EXTENSION_REASONS)
        approver = decider
        extension = ExtensionRequest.objects.create(
            task=task,
            ordinal=ordinal,
            requested_by=task.owner,
            requested_on=requested,
            old_deadline=task.deadline,
            new_deadline=new,
            reason=reason,
            approver=approver,
        )
        self._event(
            task,
            EventKind.EXTENSION_REQUESTED,
            requested,
            task.owner.user,
            _("Extension %(n)s to %(date)s: %(reason)s")
            % {"n": ordinal, "date": new, "reason": reason},
            person=approver,
            hour=14,
        )
        if approve is None:
            return
        decided = decided or self.add(requested, 1)
        if approve and not note:
            note = "同意延期，请抓紧推进。" if ordinal == 1 else "同意最后一次延期，不得再次申请。"
        ExtensionRequest.objects.filter(pk=extension.pk).update(
            status=ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED,
            decided_by=decider.user,
            decided_on=decided,
            decision_note=note,
        )
        if approve:
            task.deadline = new
            task.extension_count = ordinal
        self._event(
            task,
            EventKind.EXTENSION_APPROVED if approve else EventKind.EXTENSION_REJECTED,
            decided,
            decider.user,
            note,
            hour=10,
            minute=30,
        )

    def _complete(self, task: Task, plan: dict, submitted: dt.date, leader, approve: bool) -> None:
        rng = self.rng
        result = f"{task.title}：{rng.choice(RESULTS)}"
        if plan["story"] == "done_returned":
            self._submit(task, submitted, result)
            returned = self.add(submitted, 1)
            self._event(
                task, EventKind.RETURNED, returned, leader.user, rng.choice(RETURN_NOTES), hour=15
            )
            submitted = self.add(submitted, 3)
            result = f"{result}已按要求补充佐证资料。"
        self._submit(task, submitted, result)
        plan["closed"] = _at(submitted, 17, 1)
        if not approve:
            task.status = TaskStatus.REVIEW
            return
        completed = self.add(submitted, rng.randint(1, 3))
        task.status = TaskStatus.DONE
        task.completed_on = completed
        note = rng.choice(["同意办结。", "办理及时，同意办结。", "", "资料齐全，同意办结。"])
        self._event(task, EventKind.COMPLETED, completed, leader.user, note, hour=11)

    def _submit(self, task: Task, day: dt.date, result: str) -> None:
        task.status = TaskStatus.REVIEW
        task.submitted_on = day
        task.result = result
        ProgressReport.objects.create(
            task=task, reported_on=day, text=result, percent=100, author=task.owner
        )
        self._event(task, EventKind.SUBMITTED, day, task.owner.user, result, hour=17)

    def _stop_reason(self, title: str) -> str:
        for words, reason in (
            ("停车场", STOP_REASONS[2]),
            ("12345", STOP_REASONS[1]),
            ("培训", STOP_REASONS[4]),
        ):
            if words in title:
                return reason
        return STOP_REASONS[0]

    # --- problems, lessons, talks ----------------------------------------------------------------

    def _task(self, part: str) -> Task:
        return next(task for _story, task, _plan in self.tasks if part in task.title)

    def _link(self, link: str) -> dict:
        from duban.assessment.models import Indicator
        from duban.projects.models import Project

        kind, _sep, value = link.partition(":")
        if kind == "task":
            return {"task": self._task(value)}
        if kind == "ind":
            found = Indicator.objects.filter(
                scheme__year=2026, scheme__units=self.bureau, code=value
            ).first()
            return {"indicator": found} if found else {}
        if kind == "proj":
            found = Project.objects.filter(unit=self.bureau, code=value).first()
            return {"project": found} if found else {}
        return {}

    def _dated(self, day: dt.date, hour: int, call):
        """Run a service and give the timeline lines it wrote the day they belong to."""
        last = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
        result = call()
        Event.objects.filter(id__gt=last).update(at=_at(day, hour))
        return result

    def _problems(self) -> None:
        rng = self.rng
        leaders = {
            a.section_id: a.leader
            for a in LeaderAssignment.objects.current(self.today).select_related("leader__user")
        }
        waits = {"pending_s": (1, 1), "pending_l": (4, 4), "pending_d": (8, 10)}
        for key, code, title, description, decision, state, link, by in PROBLEMS:
            section = self.sections[SECTIONS[code]]
            target = self._link(link)
            task = target.get("task")
            if state in waits:
                raised = self.back(rng.randint(*waits[state]))
            elif task is not None:
                raised = self.add(task.assigned_on, rng.randint(1, 4))
                raised = min(raised, task.submitted_on or raised)
            else:
                raised = self.add(dt.date(2026, 2, 2), rng.randint(0, 85))
            raiser = task.owner if task else rng.choice(self.workers[section.pk])
            problem = Problem(
                unit=self.bureau,
                title=title,
                description=description,
                section=section,
                solver=self.chiefs.get(section.pk),
                raised_on=raised,
                **target,
            )
            problem = self._dated(
                raised, 10, lambda p=problem, u=raiser.user: services.raise_problem(u, p)
            )
            if state in waits:
                self.problems[key] = problem
                continue
            decided = self.add(raised, rng.randint(2, 8))
            if by == "d":
                decider, ref = self.director, self.meeting_ref(decided)
            elif by == "l":
                decider = leaders.get(section.pk, self.director)
                ref = f"分管领导专题协调会（{decided:%Y年%m月%d日}）"
            else:
                decider, ref = self.chiefs[section.pk], "股室办公会研究"
            problem = self._dated(
                decided,
                15,
                lambda p=problem, u=decider.user, d=decided, r=ref, t=decision: services.decide(
                    u, p, t, d, r
                ),
            )
            if state == "implemented":
                verified = min(self.add(decided, rng.randint(8, 25)), self.back(1))
                text = rng.choice(
                    [
                        "已按决定落实到位，经督查室现场核实，问题已解决。",
                        "相关措施已全部落实，资料已归档，经回访群众满意。",
                        "已形成长效机制并印发执行，经复查落实到位。",
                    ]
                )
                problem = self._dated(
                    verified, 16, lambda p=problem, t=text: services.verify(self.office.user, p, t)
                )
                Problem.objects.filter(pk=problem.pk).update(verified_on=verified)
            self.problems[key] = problem
        for original, code, title, description, link in REPEATS:
            section = self.sections[SECTIONS[code]]
            raised = self.back(rng.randint(3, 60))
            raiser = rng.choice(self.workers[section.pk])
            problem = Problem(
                unit=self.bureau,
                title=title,
                description=description,
                section=section,
                solver=self.chiefs.get(section.pk),
                raised_on=raised,
                same_as=self.problems[original],
                **self._link(link),
            )
            self._dated(raised, 10, lambda p=problem, u=raiser.user: services.raise_problem(u, p))

    def _lessons(self) -> None:
        for kind, title, body, tags, source in LESSONS:
            origin, _sep, value = source.partition(":")
            if origin == "problem":
                problem, task = self.problems[value], None
                section = problem.section
            else:
                problem, task = None, self._task(value)
                section = task.lead_section
            Lesson.objects.create(
                unit=self.bureau,
                kind=kind,
                title=title,
                body=body,
                tags=tags,
                problem=problem,
                task=task,
                section=section,
                author=self.chiefs.get(section.pk) or self.office,
            )

    def _talks(self) -> None:
        late = [t for story, t, _p in self.tasks if story in ("done_late", "dragging")]
        city = self.sections["城市建设股"]
        slow = next(t.owner for t in late if t.lead_section_id == city.pk)
        slow_tasks = [t for t in late if t.owner_id == slow.pk]
        city_leader = slow_tasks[0].responsible_leader or self.director

        def late_in(name: str) -> Task:
            return next(t for t in late if t.lead_section.name == name)

        wages, housing, rubbish = (
            late_in("建筑业管理股"),
            late_in("住房保障股"),
            late_in("人居环境股"),
        )
        housing_chief = self.chiefs[housing.lead_section_id]
        talks = [
            (
                slow,
                dt.date(2026, 4, 20),
                TalkKind.REMINDER,
                city_leader,
                slow_tasks[:2],
                "所承办的督办事项多次逾期，老旧小区改造居民意愿征询未按期完成，且未提前申请延期。",
                "倒排工期，每周五前主动报告进展；确有困难及时向分管领导报告，不再“一拖再拖”。",
                dt.date(2026, 5, 20),
                "已能按周报告进展，但加装电梯试点仍逾期，需继续跟踪。",
            ),
            (
                slow,
                dt.date(2026, 6, 22),
                TalkKind.ADMONITION,
                self.director,
                slow_tasks,
                "上半年承办的督办事项4件逾期，经提醒谈话后仍未改正，影响老旧小区改造考核指标。",
                "深刻反思，7月底前完成建设路片区雨污管网改造；每周向分管领导当面汇报；遇到问题当天上报。",
                dt.date(2026, 7, 22),
                "已制定整改清单，管网改造完成七成，工作作风有明显转变。",
            ),
            (
                wages.owner,
                dt.date(2026, 5, 12),
                TalkKind.INTERVIEW,
                self.director,
                [wages],
                "督促解决农民工工资拖欠问题办理不力，引发工人到县政府聚集。",
                "一周内督促企业足额发放拖欠工资，建立在建项目工资支付月巡查制度。",
                dt.date(2026, 6, 12),
                "拖欠工资已全部发放，月巡查制度已建立并执行。",
            ),
            (
                housing.owner,
                dt.date(2026, 6, 8),
                TalkKind.REMINDER,
                housing.responsible_leader or self.director,
                [housing],
                "保障性租赁住房筹集任务进度滞后，房源核实不及时，指标有失分风险。",
                "将筹集任务分解到项目和月份，6月底前完成房源核实。",
                dt.date(2026, 7, 8),
                "房源核实已完成，上半年筹集任务按期完成。",
            ),
            (
                rubbish.owner,
                dt.date(2026, 6, 15),
                TalkKind.REMINDER,
                rubbish.responsible_leader or self.director,
                [rubbish],
                "农村生活垃圾收运体系排查逾期，上报数据不完整。",
                "补齐各乡镇收运设施台账，每月核对一次数据。",
                dt.date(2026, 7, 15),
                "台账已补齐，数据经乡镇签字确认。",
            ),
            (
                housing_chief,
                dt.date(2026, 6, 29),
                TalkKind.INTERVIEW,
                self.director,
                [housing],
                "住房保障股上半年督办事项逾期较多，股室统筹调度不到位。",
                "股室每周召开一次督办事项调度会，逾期事项逐件明确责任人和完成时限。",
                self.ahead(2),
                "",
            ),
        ]
        for person, day, kind, talker, tasks, reason, commitments, follow_up, result in talks:
            followed = self.add(follow_up, 1) if result else None
            talk = Talk.objects.create(
                unit=self.bureau,
                person=person,
                date=day,
                kind=kind,
                talker=talker,
                reason=reason,
                commitments=commitments,
                follow_up_on=follow_up,
                follow_up_result=result,
                followed_up_on=followed if followed and followed <= self.today else None,
            )
            talk.tasks.set(tasks)

    # --- what waits for someone now ----------------------------------------------------------------

    def _waiting_notices(self) -> None:
        from duban.notifications.services import notify

        for story, task, _plan in self.tasks:
            if story == "review":
                notify(
                    task.responsible_leader or self.director,
                    kind="supervision.review",
                    title=_("Completion submitted for review: %(number)s %(title)s")
                    % {"number": task.number, "title": task.title},
                    url=task.get_absolute_url(),
                    key=f"task:{task.pk}:submitted:{task.version}",
                )
            elif story in ("new", "late_registered"):
                Notification.objects.filter(key=f"task:{task.pk}:assigned").update(read_at=None)
        for extension in ExtensionRequest.objects.filter(
            task__unit=self.bureau, status=ExtensionStatus.PENDING
        ).select_related("task", "approver"):
            task = extension.task
            notify(
                extension.approver,
                kind="supervision.extension_requested",
                title=_("Extension requested for %(number)s: %(title)s")
                % {"number": task.number, "title": task.title},
                body=extension.reason,
                url=task.get_absolute_url(),
                key=f"extension:{extension.pk}:requested",
            )

    # --- the ladder, replayed day by day ------------------------------------------------------------

    def _task_ladders(self) -> None:
        pending_problems: dict[int, dt.date] = {}
        for task_id, raised in Problem.objects.filter(
            unit=self.bureau, status=ProblemStatus.PENDING, task__isnull=False
        ).values_list("task_id", "raised_on"):
            pending_problems[task_id] = min(raised, pending_problems.get(task_id, raised))
        for _story, task, plan in self.tasks:
            closed = plan.get("closed")
            if task.status in ACTIVE_STATUSES:
                start, end = plan["since"], self.today
            elif closed is not None:
                start = max(task.assigned_on, task.deadline - dt.timedelta(days=7))
                start = min(start, plan.get("second_from") or start)
                end = timezone.localdate(closed) - dt.timedelta(days=1)
            else:
                continue
            self._replay_task(task, plan, start, end, pending_problems.get(task.pk), closed)

    def _replay_task(self, task, plan, start, end, problem_on, closed) -> None:
        saved = (task.status, task.feedback_due, task.submitted_on, task.completed_on)
        if closed is not None:
            task.status, task.feedback_due = TaskStatus.IN_PROGRESS, None
            task.submitted_on = task.completed_on = None
        coordination, second_from = plan.get("coordination"), plan.get("second_from")
        second_until = plan.get("second_until") or dt.date.max
        rows: dict[int, Escalation] = {}
        rungs: dict[int, escalation.Rung] = {}
        day = start
        while day <= end:
            task.coordination_requested_on = (
                coordination if coordination and day >= coordination else None
            )
            facts = escalation.TaskFacts(
                open_rungs=dict(rows),
                oldest_problem_on=problem_on,
                second_extension_pending=bool(second_from and second_from <= day < second_until),
                director_id=self.director.pk,
            )
            wanted = {
                r.level: r
                for r in escalation.task_rungs(task, facts, self.policy, self.calendar, day)
            }
            self._step({"task": task}, rows, rungs, wanted, day)
            day += dt.timedelta(days=1)
        task.status, task.feedback_due, task.submitted_on, task.completed_on = saved
        task.coordination_requested_on = coordination
        self._finish({"task": task}, task, rows, rungs, closed)

    def _problem_ladders(self) -> None:
        leaders = dict(
            LeaderAssignment.objects.current(self.today).values_list("section_id", "leader_id")
        )
        for problem in Problem.objects.filter(unit=self.bureau, status=ProblemStatus.PENDING):
            rows: dict[int, Escalation] = {}
            rungs: dict[int, escalation.Rung] = {}
            day = problem.raised_on
            while day <= self.today:
                wanted = {
                    r.level: r
                    for r in escalation.problem_rungs(
                        problem,
                        dict(rows),
                        leaders.get(problem.section_id),
                        self.director.pk,
                        self.policy,
                        self.calendar,
                        day,
                    )
                }
                self._step({"problem": problem}, rows, rungs, wanted, day)
                day += dt.timedelta(days=1)
            self._finish({"problem": problem}, problem, rows, rungs, None)

    def _step(self, key, rows, rungs, wanted, day) -> None:
        """What one morning's scan would do: resolve the rungs no longer wanted, open the new ones."""
        at = _at(day, 8, 30)
        for level in [level for level in rows if level not in wanted]:
            self._resolve(key, rows.pop(level), at)
        for level, rung in wanted.items():
            if level in rows:
                continue
            rows[level] = Escalation.objects.create(
                **key,
                level=level,
                reason=rung.reason,
                detail=rung.detail[:300],
                to_person_id=rung.to_person_id,
                opened_on=day,
                opened_at=at,
            )
            rungs[level] = rung
            Event.objects.create(
                **key,
                kind=EventKind.WARNED if level == Level.WARNING else EventKind.ESCALATED,
                at=at,
                person_id=rung.to_person_id,
                text=f"{Level(level).label}：{rung.detail}",
            )

    def _resolve(self, key, row: Escalation, at) -> None:
        row.resolved_at = at
        row.save(update_fields=["resolved_at"])
        if row.level >= Level.LEADER:
            Event.objects.create(
                **key,
                kind=EventKind.DEESCALATED,
                at=at,
                person_id=row.to_person_id,
                text=_("%(level)s resolved") % {"level": Level(row.level).label},
            )

    def _finish(self, key, subject, rows, rungs, closed) -> None:
        if closed is not None:
            for row in rows.values():
                self._resolve(key, row, closed)
            return
        top = max((level for level in rows if level >= Level.LEADER), default=0)
        type(subject).objects.filter(pk=subject.pk).update(escalation_level=top)
        subject.escalation_level = top
        for level, row in rows.items():
            escalation._notify_rung(subject, row, rungs[level])
