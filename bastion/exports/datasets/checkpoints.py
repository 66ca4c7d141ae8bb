"""The roadside log (卡点登记): vehicle passages and their occupants."""

from django.utils.translation import gettext_lazy as _

from bastion.accounts.roles import Capability
from bastion.checkpoints.models import (
    Decision,
    Disposition,
    PassengerCheck,
    Purpose,
    VehicleKind,
    VehiclePassage,
)
from bastion.exports.datasets.base import Column, Dataset, Mask, choice, labels, since_until

passages = Dataset(
    name="passages",
    label=_("车辆登记"),
    capability=Capability.VIEW_CHECKPOINTS,
    base=lambda: VehiclePassage.objects.all(),
    object_type="vehicle_passage",
    order_by=("-occurred_at", "-pk"),
    filters=(
        choice("disposition", _("车辆处置"), "disposition", Disposition.choices),
        *since_until("occurred_at"),
    ),
    columns=(
        Column(_("编号"), "pk"),
        Column(_("时间"), "occurred_at"),
        Column(_("卡点"), "checkpoint__unit__name"),
        Column(_("车牌号"), "plate", Mask.PLATE),
        Column(_("车型"), "vehicle_kind", choices=labels(VehicleKind.choices)),
        Column(_("来源地"), "origin"),
        Column(_("来自中高风险地区"), "origin_high_risk"),
        Column(_("目的地"), "destination__name"),
        Column(_("事由"), "purpose", choices=labels(Purpose.choices)),
        Column(_("车辆处置"), "disposition", choices=labels(Disposition.choices)),
        Column(_("备注"), "note", Mask.TEXT),
    ),
    datetime_fields=frozenset({"occurred_at"}),
)

passengers = Dataset(
    name="passengers",
    label=_("司乘人员查验"),
    capability=Capability.VIEW_CHECKPOINTS,
    base=lambda: PassengerCheck.objects.all(),
    object_type="passenger_check",
    order_by=("-occurred_at", "-pk"),
    filters=(
        choice("decision", _("处置"), "decision", Decision.choices),
        *since_until("occurred_at"),
    ),
    columns=(
        Column(_("车辆登记编号"), "passage_id"),
        Column(_("时间"), "occurred_at"),
        Column(_("卡点"), "passage__checkpoint__unit__name"),
        Column(_("车牌号"), "passage__plate", Mask.PLATE),
        Column(_("序号"), "position"),
        Column(_("姓名"), "name", Mask.NAME),
        Column(_("身份证号"), "id_number", Mask.ID_NUMBER),
        Column(_("手机号"), "mobile", Mask.MOBILE),
        Column(_("体温"), "temperature"),
        Column(_("未测体温原因"), "no_temperature_reason"),
        Column(_("发热"), "is_fever"),
        Column(_("处置"), "decision", choices=labels(Decision.choices)),
        Column(_("密切接触者"), "is_close_contact"),
    ),
    datetime_fields=frozenset({"occurred_at"}),
)
