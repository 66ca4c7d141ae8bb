"""Self check-in (扫码自报) at /c/<token>: no account, a plain page in large type without any
script, for WeChat's in-app browser and old phones.

The token in the URL is the only authority: it is long, random, stored hashed, bound to one
observation and revocable. Submissions through one link are rate-limited in the database;
guesses of unknown links are rate-limited per address.
"""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from bastion.core.errors import ValidationError
from bastion.core.forms import add_service_errors
from bastion.observation import services
from bastion.observation.forms import SelfCheckinForm, fresh_uuid
from bastion.observation.models import CheckinSource, CheckinToken
from bastion.observation.selectors import observations as obs_selectors
from bastion.observation.selectors import policy_slot_labels

MISS_LIMIT = 30
MISS_WINDOW_SECONDS = 600


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _too_many_misses(request: HttpRequest) -> bool:
    return int(cache.get(f"obs-self-miss:{_client_address(request)}", 0)) >= MISS_LIMIT


def _count_miss(request: HttpRequest) -> None:
    key = f"obs-self-miss:{_client_address(request)}"
    if not cache.add(key, 1, MISS_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, MISS_WINDOW_SECONDS)


def _page(
    request: HttpRequest, token: CheckinToken, form: SelfCheckinForm, status: int = 200
) -> HttpResponse:
    observation = token.observation
    today = timezone.localdate()
    labels = policy_slot_labels(observation.policy)
    done = obs_selectors.self_checkins_today(observation=observation, today=today)
    return render(
        request,
        "observation/self_checkin.html",
        {
            "observation": observation,
            "form": form,
            "today": today,
            "day_number": observation.day_number(on=today),
            "done": [(labels.get(c.slot, c.slot), c) for c in done],
        },
        status=status,
    )


# The token in the URL is the credential; there is no session for a forged request to ride on.
@csrf_exempt
@never_cache
def self_checkin(request: HttpRequest, token: str) -> HttpResponse:
    if _too_many_misses(request):
        return render(request, "observation/self_message.html", {"kind": "busy"}, status=429)
    found = services.checkin_token_find(token)
    if found is None:
        _count_miss(request)
        return render(request, "observation/self_message.html", {"kind": "invalid"}, status=404)
    observation = found.observation
    if not observation.is_active:
        return render(
            request,
            "observation/self_message.html",
            {"kind": "ended", "observation": observation},
            status=410,
        )
    if request.method != "POST":
        form = SelfCheckinForm(
            initial={"site": "forehead", **fresh_uuid()}, policy=observation.policy
        )
        return _page(request, found, form)
    if not services.checkin_token_hit(token=found):
        return render(request, "observation/self_message.html", {"kind": "busy"}, status=429)
    form = SelfCheckinForm(request.POST, policy=observation.policy)
    if form.is_valid():
        data = form.cleaned_data
        try:
            checkin, _created = services.checkin_record(
                observation=observation,
                client_uuid=data["client_uuid"],
                source=CheckinSource.SELF,
                temperature=data["temperature"],
                site=data["site"],
                symptoms=data["symptoms"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            return render(
                request,
                "observation/self_message.html",
                {"kind": "done", "checkin": checkin, "observation": observation},
            )
    return _page(request, found, form, status=422)
