"""Long lists count their total only up to a cap (bastion.core.paging)."""

import pytest

from bastion.core import paging
from bastion.orgs.models import OrgUnit


@pytest.mark.django_db
def test_a_total_past_the_cap_is_shown_as_the_cap_and_more(tree, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    units = OrgUnit.objects.order_by("code")
    assert units.count() > 4
    # when
    paginator = paging.CappedPaginator(units, 2)
    # then
    assert paginator.capped
    assert paginator.shown_count == "3+"
    assert paginator.num_pages == 2  # 4 counted rows: one more than the cap
    assert [u.pk for u in paginator.page(1)] == list(units.values_list("pk", flat=True)[:2])


@pytest.mark.django_db
def test_a_total_under_the_cap_is_exact(tree):
    units = OrgUnit.objects.order_by("code")
    paginator = paging.CappedPaginator(units, 2)
    assert not paginator.capped
    assert paginator.count == units.count()
    assert paginator.shown_count == str(units.count())
