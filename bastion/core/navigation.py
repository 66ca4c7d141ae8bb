"""The areas of the app, in one list: the navbar and the home page tiles both come from it.

An area shows only to users who hold its capability somewhere.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bastion.accounts.jurisdiction import has_capability
from bastion.accounts.roles import Capability


@dataclass(frozen=True)
class Area:
    url_name: str
    label: Any
    icon: str
    capability: Capability

    @property
    def url(self) -> str:
        return reverse(self.url_name)


AREAS = (
    Area("dashboard:home", _("态势"), "speedometer2", Capability.VIEW_REPORTS),
    Area("reports:index", _("日报"), "clipboard-data", Capability.VIEW_REPORTS),
    Area("observation:today", _("医学观察"), "thermometer-half", Capability.VIEW_OBSERVATIONS),
    Area("screening:inbox", _("线索"), "inbox", Capability.VIEW_SIGNALS),
    Area("screening:home", _("排查"), "house-check", Capability.VIEW_SCREENING),
    Area("checkpoints:index", _("卡点"), "cone-striped", Capability.VIEW_CHECKPOINTS),
    Area("people:list", _("人员"), "people", Capability.VIEW_PERSONS),
    Area("community:index", _("酒宴与消杀"), "droplet-half", Capability.VIEW_SITES),
    Area("supplies:index", _("物资"), "box-seam", Capability.VIEW_SUPPLIES),
    Area("party:index", _("党建引领"), "award", Capability.VIEW_PARTY),
    Area("mobilisation:index", _("动员"), "flag", Capability.VIEW_MOBILISATION),
    Area("orgs:index", _("辖区"), "diagram-3", Capability.VIEW_UNITS),
    Area("accounts:list", _("账号"), "person-gear", Capability.MANAGE_ACCOUNTS),
    Area("exports:list", _("我的导出"), "file-earmark-arrow-down", Capability.EXPORT_LISTS),
    Area("audit:list", _("访问日志"), "journal-text", Capability.VIEW_ACCESS_LOG),
)


def areas_for(user: Any) -> list[Area]:
    return [a for a in AREAS if has_capability(user, a.capability)]
