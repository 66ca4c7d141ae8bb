"""The floor of the check-in figure: a bare Django view doing one ORM insert, behind the
same middleware and server settings as the real API, with no authentication, validation,
idempotency or alert evaluation. Mounted only by config.settings.bench."""

import json
from decimal import Decimal

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from bastion.observation.models import CheckIn


@csrf_exempt
def checkin_floor(request: HttpRequest) -> JsonResponse:
    data = json.loads(request.body)
    now = timezone.now()
    checkin = CheckIn.objects.create(
        observation_id=int(data["observation_id"]),
        unit_code=str(data["unit_code"]),
        day=timezone.localdate(now),
        slot="morning",
        measured_at=now,
        temperature=Decimal("36.5"),
        site="forehead",
        source="visit",
        client_uuid=data["client_uuid"],
    )
    return JsonResponse({"id": checkin.pk}, status=201)
