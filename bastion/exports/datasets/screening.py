"""Screening (排查): signals (线索) and travel records (行程). Read-only use of screening's
models; the screening app owns them."""

from django.utils.translation import gettext_lazy as _

from bastion.accounts.roles import Capability
from bastion.exports.datasets.base import Column, Dataset, Mask, choice, labels, since_until
from bastion.screening.models import (
    Signal,
    SignalSource,
    SignalStatus,
    Transport,
    TravelRecord,
    TravelSource,
)

signals = Dataset(
    name="signals",
    label=_("线索"),
    capability=Capability.VIEW_SIGNALS,
    base=lambda: Signal.objects.all(),
    object_type="signal",
    order_by=("-found_at", "-pk"),
    filters=(
        choice("status", _("状态"), "status", SignalStatus.choices),
        choice("source", _("来源"), "source", SignalSource.choices),
        *since_until("found_at"),
    ),
    columns=(
        Column(_("编号"), "pk"),
        Column(_("发现时间"), "found_at"),
        Column(_("单元"), "unit__name"),
        Column(_("姓名"), "subject_name", Mask.NAME),
        Column(_("身份证号"), "subject_id_number", Mask.ID_NUMBER),
        Column(_("手机号"), "subject_mobile", Mask.MOBILE),
        Column(_("住址"), "subject_address", Mask.ADDRESS),
        Column(_("来源"), "source", choices=labels(SignalSource.choices)),
        Column(_("事由"), "reason", Mask.TEXT),
        Column(_("状态"), "status", choices=labels(SignalStatus.choices)),
        Column(_("处置时间"), "handled_at"),
    ),
    datetime_fields=frozenset({"found_at"}),
)

travel_records = Dataset(
    name="travel_records",
    label=_("返乡人员行程"),
    capability=Capability.VIEW_SCREENING,
    base=lambda: TravelRecord.objects.all(),
    object_type="travel_record",
    order_by=("-arrived_on", "-pk"),
    filters=(
        choice("transport", _("交通方式"), "transport", Transport.choices),
        *since_until("arrived_on"),
    ),
    columns=(
        Column(_("编号"), "pk"),
        Column(_("姓名"), "person__name", Mask.NAME),
        Column(_("身份证号"), "person__id_number", Mask.ID_NUMBER),
        Column(_("手机号"), "person__mobile", Mask.MOBILE),
        Column(_("单元"), "unit__name"),
        Column(_("出发地（省）"), "origin_province"),
        Column(_("出发地（市）"), "origin_city"),
        Column(_("出发地（县区）"), "origin_county"),
        Column(_("来自高风险地区"), "is_high_risk"),
        Column(_("出发日期"), "departed_on"),
        Column(_("抵达日期"), "arrived_on"),
        Column(_("交通方式"), "transport", choices=labels(Transport.choices)),
        Column(_("车次/航班/车牌"), "transport_no", Mask.PLATE),
        Column(_("来源"), "source", choices=labels(TravelSource.choices)),
    ),
)
