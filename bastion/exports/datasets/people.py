"""Persons (人员): the registry of the user's jurisdiction."""

from django.utils.translation import gettext_lazy as _

from bastion.accounts.roles import Capability
from bastion.exports.datasets.base import Column, Dataset, Filter, FilterKind, Mask, labels
from bastion.people.models import Person, Sex

persons = Dataset(
    name="persons",
    label=_("人员名单"),
    capability=Capability.VIEW_PERSONS,
    base=lambda: Person.objects.filter(merged_into__isnull=True),
    object_type="person",
    order_by=("unit_code", "name", "pk"),
    filters=(Filter("tag", _("关爱标签"), FilterKind.FLAG, "", dict(Person.CARE_TAGS)),),
    columns=(
        Column(_("编号"), "pk"),
        Column(_("姓名"), "name", Mask.NAME),
        Column(_("身份证号"), "id_number", Mask.ID_NUMBER),
        Column(_("性别"), "sex", choices=labels(Sex.choices)),
        Column(_("出生日期"), "birth_date", Mask.TEXT),
        Column(_("手机号"), "mobile", Mask.MOBILE),
        Column(_("住址"), "household__address", Mask.ADDRESS),
        Column(_("所属单元"), "unit__name"),
        Column(_("孕产妇"), "is_pregnant"),
        Column(_("独居老人"), "is_elderly_alone"),
        Column(_("慢性病"), "is_chronic"),
        Column(_("残疾"), "is_disabled"),
        Column(_("登记时间"), "created_at"),
    ),
    datetime_fields=frozenset({"created_at"}),
)
