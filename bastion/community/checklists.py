"""What one disinfection run covers, per kind of site (消杀检查清单).

A run's checklist is stored as {item code: done?} and must answer exactly the items of its
site's kind. The public toilet's list is the one the article describes for 建宁驿站 (地面、蹲位、
门把手、水阀); the mask-waste bin's follows "单独收集、单独运输、专门处置".
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bastion.community.models import Agent, ConcentrationUnit, SiteKind


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str | Promise


def _items(*pairs: tuple[str, str | Promise]) -> tuple[ChecklistItem, ...]:
    return tuple(ChecklistItem(code, label) for code, label in pairs)


CHECKLISTS: dict[str, tuple[ChecklistItem, ...]] = {
    SiteKind.GARBAGE_STATION: _items(
        ("floor", _("地面")),
        ("containers", _("垃圾箱体")),
        ("compactor", _("压缩设备")),
        ("surroundings", _("周边环境")),
    ),
    SiteKind.BIN_CLUSTER: _items(
        ("bins_inside", _("桶内")),
        ("bins_outside", _("桶身、桶盖")),
        ("ground", _("周边地面")),
    ),
    SiteKind.GARBAGE_VEHICLE: _items(
        ("cab", _("驾驶室")),
        ("container", _("车厢")),
        ("exterior", _("车身外部")),
    ),
    SiteKind.PUBLIC_TOILET: _items(
        ("floor", _("地面")),
        ("squat_pans", _("蹲位")),
        ("door_handles", _("门把手")),
        ("taps", _("水阀")),
        ("surroundings", _("周边环境")),
    ),
    SiteKind.STATION: _items(
        ("waiting_area", _("候车区")),
        ("handrails", _("扶手、栏杆")),
        ("seats", _("座椅")),
        ("gates", _("检票口、闸机")),
        ("toilets", _("卫生间")),
    ),
    SiteKind.TOLL_GATE: _items(
        ("booths", _("收费亭")),
        ("barriers", _("栏杆")),
        ("equipment", _("收费设备")),
        ("lanes", _("车道地面")),
    ),
    SiteKind.MARKET: _items(
        ("stalls", _("摊位台面")),
        ("floor", _("地面")),
        ("drains", _("排水沟")),
        ("waste_points", _("垃圾收集点")),
    ),
    SiteKind.MASK_WASTE_BIN: _items(
        ("emptied", _("已清运")),
        ("bagged_separately", _("单独装袋")),
        ("handed_to_transport", _("交专用车辆运输")),
        ("bin_disinfected", _("桶体消毒")),
    ),
    SiteKind.RESIDENTIAL_ENTRANCE: _items(
        ("gate", _("门岗")),
        ("door_handles", _("门把手")),
        ("access_panel", _("门禁按键")),
        ("bins", _("垃圾桶")),
    ),
}

# The unit a concentration is given in, and the plausible range (inclusive) for it.
AGENT_UNITS: dict[str, str] = {
    Agent.CHLORINE_84: ConcentrationUnit.MG_PER_L,
    Agent.ALCOHOL: ConcentrationUnit.PERCENT,
    Agent.CHLORINE_DIOXIDE: ConcentrationUnit.MG_PER_L,
    Agent.CHLORINE_TABLETS: ConcentrationUnit.MG_PER_L,
    Agent.PERACETIC_ACID: ConcentrationUnit.PERCENT,
    Agent.OTHER: ConcentrationUnit.MG_PER_L,
}
# What the form offers first: 有效氯 500 mg/L for surfaces, 75% alcohol, 0.2% peracetic acid.
AGENT_DEFAULTS: dict[str, str] = {
    Agent.CHLORINE_84: "500",
    Agent.ALCOHOL: "75",
    Agent.CHLORINE_DIOXIDE: "500",
    Agent.CHLORINE_TABLETS: "500",
    Agent.PERACETIC_ACID: "0.2",
    Agent.OTHER: "500",
}
CONCENTRATION_RANGES = {
    ConcentrationUnit.MG_PER_L: (1, 10_000),
    ConcentrationUnit.PERCENT: (0.01, 100),
}


def checklist_of(kind: str) -> tuple[ChecklistItem, ...]:
    return CHECKLISTS.get(kind, ())
