"""The catalogue of the daily situation report (日报): its sections and figures.

A figure key is "<section>.<name>". Every figure is computed from facts (see selectors); the
catalogue only names them, in Chinese, with the unit they are counted in. `additive` figures
sum over units (the children add up to the parent); the others (medians, worst cases, rates,
days of supply) are computed for each row from its own facts.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    unit: str | Promise
    additive: bool = True
    # Current state rather than activity in the range (e.g. the risk states): said in the UI.
    note: str | Promise = ""

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    figures: list[Figure] = field(default_factory=list)


PERSONS = _("人")
TIMES = _("次")
HOUSEHOLDS = _("户")
ITEMS = _("件")
HOURS = _("小时")
PERCENT = "%"
DAYS = _("天")
UNITS = _("个")


SECTIONS: list[Section] = [
    Section(
        "signals",
        _("线索发现与处置"),
        [
            Figure("signals.found", _("新发现线索"), _("条")),
            Figure("signals.handled", _("已处置线索"), _("条")),
            Figure("signals.to_observation", _("纳入医学观察"), _("条")),
            Figure("signals.open", _("期末待处置"), _("条")),
            Figure("signals.handling_median", _("处置用时中位数"), HOURS, additive=False),
        ],
    ),
    Section(
        "screening",
        _("入户排查"),
        [
            Figure("screening.sweeps", _("进行中的排查轮次"), _("轮")),
            Figure("screening.households", _("住户总数"), HOUSEHOLDS, note=_("当前状态")),
            Figure("screening.visits", _("入户走访"), TIMES),
            Figure("screening.not_home", _("无人在家"), TIMES),
            Figure("screening.refused", _("拒绝配合"), TIMES),
            Figure("screening.covered", _("已排查住户"), HOUSEHOLDS),
            Figure("screening.coverage", _("住户覆盖率"), PERCENT, additive=False),
        ],
    ),
    Section(
        "observation",
        _("医学观察"),
        [
            Figure("observation.new", _("新增观察"), PERSONS),
            Figure("observation.active", _("在观察"), PERSONS),
            Figure("observation.active_home", _("其中居家观察"), PERSONS),
            Figure("observation.active_centralised", _("其中集中观察"), PERSONS),
            Figure("observation.active_hospital", _("其中医院观察"), PERSONS),
            Figure("observation.completed", _("期满解除"), PERSONS),
            Figure("observation.referred", _("转诊"), PERSONS),
            Figure("observation.lost", _("失访"), PERSONS),
            # One rule for both (reports.selectors.sections._slot_closed): today's figures
            # grow as each slot closes, so the completion rate is never over 100 %.
            Figure("observation.checkins_due", _("应测温"), TIMES, note=_("时段结束后计入")),
            Figure("observation.checkins_done", _("已测温"), TIMES, note=_("时段结束后计入")),
            Figure("observation.checkins_missed", _("漏测温"), TIMES),
            Figure("observation.checkin_rate", _("测温完成率"), PERCENT, additive=False),
            Figure("observation.fevers", _("发热"), TIMES),
        ],
    ),
    Section(
        "five_early",
        _("五早时效"),
        [
            Figure("five_early.referred", _("转诊发热门诊"), PERSONS),
            Figure("five_early.suspected", _("疑似病例"), PERSONS),
            Figure("five_early.confirmed", _("确诊病例"), PERSONS),
            Figure("five_early.confirmed_total", _("累计确诊"), PERSONS),
            Figure("five_early.report_median", _("发现→报告 中位数"), HOURS, additive=False),
            Figure("five_early.report_worst", _("发现→报告 最长"), HOURS, additive=False),
            Figure("five_early.isolate_median", _("报告→隔离 中位数"), HOURS, additive=False),
            Figure("five_early.isolate_worst", _("报告→隔离 最长"), HOURS, additive=False),
            Figure("five_early.diagnose_median", _("隔离→诊断 中位数"), HOURS, additive=False),
            Figure("five_early.diagnose_worst", _("隔离→诊断 最长"), HOURS, additive=False),
            Figure("five_early.treat_median", _("诊断→治疗 中位数"), HOURS, additive=False),
            Figure("five_early.treat_worst", _("诊断→治疗 最长"), HOURS, additive=False),
        ],
    ),
    Section(
        "checkpoints",
        _("卡点查验"),
        [
            Figure("checkpoints.vehicles", _("查验车辆"), _("辆")),
            Figure("checkpoints.persons", _("查验人员"), PERSONS),
            Figure("checkpoints.fevers", _("发热人员"), PERSONS),
            Figure("checkpoints.hand_overs", _("移交村（社区）"), PERSONS),
            Figure("checkpoints.to_fever_point", _("转送发热门诊"), PERSONS),
            Figure("checkpoints.turned_back", _("劝返车辆"), _("辆")),
        ],
    ),
    Section(
        "gatherings",
        _("酒宴劝导"),
        [
            Figure("gatherings.reported", _("登记酒宴"), _("场")),
            Figure("gatherings.postponed", _("延期举办"), _("场")),
            Figure("gatherings.cancelled", _("取消"), _("场")),
            Figure("gatherings.downsized", _("缩小规模"), _("场")),
            Figure("gatherings.held_with_plan", _("按方案举办"), _("场")),
            Figure("gatherings.held_against_advice", _("劝阻无效"), _("场")),
            Figure("gatherings.pending", _("待劝导"), _("场")),
        ],
    ),
    Section(
        "disinfection",
        _("环境消杀"),
        [
            Figure("disinfection.sites", _("消杀点位"), UNITS),
            Figure("disinfection.due", _("应消杀"), TIMES),
            Figure("disinfection.done", _("已消杀"), TIMES),
            Figure("disinfection.rate", _("消杀完成率"), PERCENT, additive=False),
        ],
    ),
    Section(
        "supplies",
        _("防疫物资"),
        [
            Figure("supplies.masks", _("口罩库存"), ITEMS),
            Figure("supplies.masks_days", _("口罩可用天数"), DAYS, additive=False),
            Figure("supplies.disinfectant", _("消毒用品库存"), ITEMS),
            Figure("supplies.disinfectant_days", _("消毒用品可用天数"), DAYS, additive=False),
            Figure("supplies.protective", _("防护用品库存"), ITEMS),
            Figure("supplies.protective_days", _("防护用品可用天数"), DAYS, additive=False),
            Figure("supplies.thermometers", _("测温设备库存"), ITEMS),
            Figure("supplies.issued", _("发放物资"), ITEMS),
        ],
    ),
    Section(
        "donations",
        _("社会捐赠"),
        [
            Figure("donations.count", _("捐赠笔数"), _("笔")),
            Figure("donations.money", _("捐款金额"), _("元")),
            Figure("donations.goods", _("捐赠物资"), ITEMS),
        ],
    ),
    Section(
        "mobilisation",
        _("党员志愿者"),
        [
            Figure("mobilisation.members", _("登记队员"), PERSONS, note=_("当前状态")),
            Figure("mobilisation.party_members", _("其中党员"), PERSONS, note=_("当前状态")),
            Figure("mobilisation.on_duty", _("在岗"), PERSONS),
            Figure("mobilisation.party_on_duty", _("其中党员在岗"), PERSONS),
            Figure("mobilisation.volunteers_on_duty", _("其中志愿者在岗"), PERSONS),
            Figure("mobilisation.hours", _("工作时长"), HOURS),
        ],
    ),
    Section(
        "risk",
        _("社区风险状态"),
        [
            Figure("risk.no_case", _("未发现病例"), UNITS, note=_("当前状态")),
            Figure("risk.case_or_outbreak", _("出现病例或暴发疫情"), UNITS, note=_("当前状态")),
            Figure("risk.transmission", _("传播疫情"), UNITS, note=_("当前状态")),
        ],
    ),
]

FIGURES: dict[str, Figure] = {f.key: f for s in SECTIONS for f in s.figures}
SECTION_KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS)


def figure(key: str) -> Figure:
    return FIGURES[key]


def section(key: str) -> Section:
    return next(s for s in SECTIONS if s.key == key)
