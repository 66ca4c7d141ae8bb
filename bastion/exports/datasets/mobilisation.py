"""Mobilisation (动员): the members (党员、志愿者) of a unit."""

from django.utils.translation import gettext_lazy as _

from bastion.accounts.roles import Capability
from bastion.exports.datasets.base import Column, Dataset, Mask, since_until
from bastion.mobilisation.models import Member

members = Dataset(
    name="members",
    label=_("党员和志愿者名册"),
    capability=Capability.VIEW_MOBILISATION,
    base=lambda: Member.objects.all(),
    object_type="member",
    order_by=("unit_code", "pk"),
    filters=since_until("created_at"),
    columns=(
        Column(_("编号"), "pk"),
        Column(_("姓名"), "person__name", Mask.NAME),
        Column(_("身份证号"), "person__id_number", Mask.ID_NUMBER),
        Column(_("手机号"), "person__mobile", Mask.MOBILE),
        Column(_("单元"), "unit__name"),
        Column(_("中共党员"), "is_party_member"),
        Column(_("入党年份"), "party_since_year"),
        Column(_("特长"), "skills"),
        Column(_("可服务时间"), "availability"),
        Column(_("现任职务"), "posts"),
        Column(_("登记时间"), "created_at"),
    ),
    datetime_fields=frozenset({"created_at"}),
)
