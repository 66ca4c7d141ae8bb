from django import forms
from django.utils.translation import gettext_lazy as _

from bastion.core.forms import BootstrapForm
from bastion.orgs.models import Kind, PartyOrgKind

UNIT_KINDS = [("grid", _("网格"))] + [(k.value, k.label) for k in Kind if k != Kind.TERRITORIAL]


class UnitCreateForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("类别"), choices=UNIT_KINDS)
    name = forms.CharField(label=_("名称"), max_length=100)
    party_kind = forms.ChoiceField(
        label=_("党组织类别"), choices=[("", "—"), *PartyOrgKind.choices], required=False
    )
    aliases = forms.CharField(label=_("别名（空格分隔）"), max_length=200, required=False)
