"""The public donation page (捐赠公示): no login, no personal data.

Donations by recipient unit with their totals and what they were used for. Individual donors
who did not agree to be named appear as 爱心人士 (see selectors.public_donations).
"""

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bastion.supplies import selectors


def public_donations(request: HttpRequest) -> HttpResponse:
    units = selectors.public_donations()
    return render(
        request,
        "supplies/public_donations.html",
        {
            "units": units,
            "total_money": sum((u.money for u in units), Decimal("0.00")),
            "total_count": sum(len(u.donations) for u in units),
        },
    )
