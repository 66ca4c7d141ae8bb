"""Community measures: gatherings (酒宴) and disinfection runs (消毒消杀)."""

from django.utils.translation import gettext_lazy as _

from bastion.accounts.roles import Capability
from bastion.community.models import (
    Agent,
    ConcentrationUnit,
    DisinfectionRun,
    Gathering,
    GatheringAction,
    GatheringKind,
    GatheringOutcome,
    SiteKind,
)
from bastion.exports.datasets.base import Column, Dataset, Mask, choice, labels, since_until

gatherings = Dataset(
    name="gatherings",
    label=_("酒宴登记"),
    capability=Capability.VIEW_GATHERINGS,
    base=lambda: Gathering.objects.all(),
    object_type="gathering",
    order_by=("-planned_date", "-pk"),
    filters=(
        choice("kind", _("类别"), "kind", GatheringKind.choices),
        choice("outcome", _("结果"), "outcome", GatheringOutcome.choices),
        *since_until("planned_date"),
    ),
    columns=(
        Column(_("编号"), "pk"),
        Column(_("单元"), "unit__name"),
        Column(_("办宴人"), "host_name", Mask.NAME),
        Column(_("类别"), "kind", choices=labels(GatheringKind.choices)),
        Column(_("计划日期"), "planned_date"),
        Column(_("预计人数"), "expected_guests"),
        Column(_("地点"), "place", Mask.ADDRESS),
        Column(_("劝导"), "action", choices=labels(GatheringAction.choices)),
        Column(_("劝导日期"), "acted_on"),
        Column(_("劝导人"), "persuaded_by", Mask.NAME),
        Column(_("结果"), "outcome", choices=labels(GatheringOutcome.choices)),
        Column(_("实际人数"), "actual_guests"),
        Column(_("有防控方案"), "has_prevention_plan"),
        Column(_("备注"), "note", Mask.TEXT),
    ),
)

disinfection_runs = Dataset(
    name="disinfection_runs",
    label=_("消杀记录"),
    capability=Capability.VIEW_SITES,
    base=lambda: DisinfectionRun.objects.all(),
    object_type="disinfection_run",
    order_by=("-done_at", "-pk"),
    filters=(choice("agent", _("消毒剂"), "agent", Agent.choices), *since_until("done_on")),
    columns=(
        Column(_("编号"), "pk"),
        Column(_("消杀时间"), "done_at"),
        Column(_("点位"), "site__name"),
        Column(_("点位类别"), "site__kind", choices=labels(SiteKind.choices)),
        Column(_("消毒剂"), "agent", choices=labels(Agent.choices)),
        Column(_("浓度"), "concentration"),
        Column(_("浓度单位"), "concentration_unit", choices=labels(ConcentrationUnit.choices)),
        Column(_("消杀人员"), "operator", Mask.NAME),
        Column(_("备注"), "note", Mask.TEXT),
    ),
)
