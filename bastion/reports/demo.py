"""Demo sign-offs (日报签发): yesterday's reports of 栗雨街道 and 月塘居委会 signed in the
evening, then a late hotline signal of yesterday entered after the sign-off, so that the
township's and the village's pages show it as a change since sign-off (the point of the
feature: later changes are never silent).

Deterministic; call after the other apps' demos and the demo logins exist. Not wired into
`bastion.core.demo` by this app (the lead owns it): `demo_reports(rng)` is the hook.
"""

import random
import uuid
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from bastion.accounts.models import User
from bastion.orgs.models import OrgUnit
from bastion.reports.models import ReportSignOff
from bastion.reports.services import signoff_create
from bastion.screening.services.signals import signal_raise

SIGNERS = {"430211003000": "liyu", "430211003016": "yuetang"}
LATE_SIGNAL_UUID = uuid.UUID("7e9d2c1a-0d6f-4c35-9a59-202002092030")


@transaction.atomic
def demo_reports(rng: random.Random) -> dict[str, int]:
    tz = timezone.get_current_timezone()
    yesterday = timezone.localdate() - timedelta(days=1)
    evening = datetime.combine(yesterday, time(21, 30), tzinfo=tz)
    signed = 0
    for code, username in SIGNERS.items():
        unit = OrgUnit.objects.filter(code=code).first()
        user = User.objects.filter(username=username).first()
        if unit is None or user is None:
            continue
        if ReportSignOff.objects.filter(unit_code=code, day=yesterday).exists():
            continue  # built already: running the demo twice changes nothing
        signoff_create(actor=user, unit=unit, day=yesterday, note="各项数据已核对。", now=evening)
        signed += 1
    village = OrgUnit.objects.filter(code="430211003016").first()
    worker = User.objects.filter(username="yuetang").first()
    if village is not None and signed:
        # Reported by phone at 20:40 yesterday, typed in this morning: after the sign-off.
        signal_raise(
            unit=village,
            source="hotline",
            reason="邻居来电：对门住户 2 天前从武汉返回，未登记",
            actor=worker,
            subject_name="刘" + rng.choice("伟芳敏静丽强磊军洋勇"),
            subject_address="月塘路 18 号",
            found_at=datetime.combine(yesterday, time(20, 40), tzinfo=tz),
            client_uuid=LATE_SIGNAL_UUID,
        )
    return {"signoffs": signed}
