"""The public donation page (捐赠公示): open without login, and nothing private on it."""

import uuid
from datetime import date
from decimal import Decimal

from bastion.supplies import services


def donate(personas, unit, name, kind, *, consent=False, money="0", goods=(), **extra):
    donation, _ = services.donation_record(
        actor=personas.county_officer,
        unit=unit,
        donor_name=name,
        donor_kind=kind,
        public_consent=consent,
        money=Decimal(money),
        goods=list(goods),
        donated_on=date(2020, 1, 28),
        client_uuid=uuid.uuid4(),
        **extra,
    )
    return donation


def test_the_public_page_needs_no_login_and_shows_totals_by_unit(tree, personas, client, masks):
    # given
    donate(
        personas, tree.liyu, "湖南华源荣康药业有限公司", "private_enterprise", goods=[(masks, 5000)]
    )
    donate(personas, tree.liyu, "攸县某商会", "social_org", money="120000.00", purpose="防疫专项")
    donate(personas, tree.yuetang, "王小明", "individual", consent=True, money="200")
    # when
    response = client.get("/public/donations")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "湖南华源荣康药业有限公司" in html and "攸县某商会" in html and "王小明" in html
    assert "¥120,200.00" in html  # the total of all donations
    assert "¥120,000.00" in html and "口罩 5000个" in html and "防疫专项" in html
    units = response.context["units"]
    assert [u.unit_name for u in units] == ["栗雨街道", "月塘居委会"]


def test_individuals_without_consent_appear_as_caring_people(tree, personas, client):
    # given
    donate(
        personas,
        tree.liyu,
        "李秘密",
        "individual",
        money="50",
        receipt_no="SECRET-RECEIPT-9",
        usage_notes="购买口罩",
    )
    # when
    html = client.get("/public/donations").content.decode()
    # then
    assert "李秘密" not in html and "李" not in html.split("抗疫捐赠公示")[1]
    assert "爱心人士" in html and "购买口罩" in html
    # no receipt number, no recorder, no unit-internal data
    assert "SECRET-RECEIPT-9" not in html
    assert str(personas.county_officer) not in html
