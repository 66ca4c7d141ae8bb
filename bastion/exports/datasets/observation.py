"""Observations (医学观察) and their check-ins (体温监测)."""

from django.utils.translation import gettext_lazy as _

from bastion.accounts.roles import Capability
from bastion.exports.datasets.base import Column, Dataset, Mask, choice, labels, since_until
from bastion.observation.models import (
    CheckIn,
    CheckinSource,
    MeasureSite,
    Observation,
    ObservationKind,
    ObservationStatus,
    VisitOutcome,
)

observations = Dataset(
    name="observations",
    label=_("医学观察名单"),
    capability=Capability.VIEW_OBSERVATIONS,
    base=lambda: Observation.objects.all(),
    object_type="observation",
    order_by=("-start_date", "-pk"),
    filters=(
        choice("status", _("状态"), "status", ObservationStatus.choices),
        choice("kind", _("观察方式"), "kind", ObservationKind.choices),
        *since_until("start_date"),
    ),
    columns=(
        Column(_("编号"), "pk"),
        Column(_("姓名"), "person__name", Mask.NAME),
        Column(_("身份证号"), "person__id_number", Mask.ID_NUMBER),
        Column(_("手机号"), "person__mobile", Mask.MOBILE),
        Column(_("责任单元"), "unit__name"),
        Column(_("观察方式"), "kind", choices=labels(ObservationKind.choices)),
        Column(_("观察地点"), "place", Mask.ADDRESS),
        Column(_("起算日期"), "start_date"),
        Column(_("期满日期"), "planned_end"),
        Column(_("状态"), "status", choices=labels(ObservationStatus.choices)),
        Column(_("结束时间"), "ended_at"),
        Column(_("结束说明"), "end_note", Mask.TEXT),
    ),
    datetime_fields=frozenset({"ended_at"}),
)

checkins = Dataset(
    name="checkins",
    label=_("体温监测记录"),
    capability=Capability.VIEW_OBSERVATIONS,
    base=lambda: CheckIn.objects.all(),
    object_type="checkin",
    order_by=("-day", "-pk"),
    filters=(
        choice("source", _("方式"), "source", CheckinSource.choices),
        *since_until("day"),
    ),
    columns=(
        Column(_("观察编号"), "observation_id"),
        Column(_("姓名"), "observation__person__name", Mask.NAME),
        Column(_("日期"), "day"),
        Column(_("时段"), "slot"),
        Column(_("测量时间"), "measured_at"),
        Column(_("体温（°C）"), "temperature"),
        Column(_("测量部位"), "site", choices=labels(MeasureSite.choices)),
        Column(_("发热"), "is_fever"),
        Column(_("症状"), "symptoms"),
        Column(_("方式"), "source", choices=labels(CheckinSource.choices)),
        Column(_("结果"), "outcome", choices=labels(VisitOutcome.choices)),
        Column(_("备注"), "note", Mask.TEXT),
    ),
)
