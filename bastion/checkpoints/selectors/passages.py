"""Scoped reads of the roadside log: passages, lookups, open hand-overs."""

from enum import StrEnum
from typing import Any

from django.db.models import Prefetch, QuerySet

from bastion.accounts.jurisdiction import get_scoped_or_404, scoped
from bastion.accounts.roles import Capability
from bastion.checkpoints.models import (
    Checkpoint,
    Decision,
    PassengerCheck,
    Shift,
    VehiclePassage,
)
from bastion.core.errors import ValidationError
from bastion.core.validators import normalize_mobile, normalize_plate, parse_citizen_id
from bastion.screening.models import CLOSED_STATUSES

VIEW = Capability.VIEW_CHECKPOINTS
SEARCH_LIMIT = 50
SEARCH_ONE_OF = "请只填车牌号、身份证号或手机号中的一项。"


class LookupKind(StrEnum):
    PLATE = "plate"
    ID_NUMBER = "id_number"
    PHONE = "phone"


def _passages() -> QuerySet[VehiclePassage]:
    return VehiclePassage.objects.select_related(
        "checkpoint__unit", "destination", "shift", "recorded_by"
    ).prefetch_related(
        Prefetch("occupants", queryset=PassengerCheck.objects.select_related("signal"))
    )


def _lookup_passages() -> QuerySet[VehiclePassage]:
    """What the lookup's answer shows (the history beside a field, the lookup page, the API's
    PassageOut): the checkpoint's and destination's names and the occupants' own fields. The
    shift, the recorder and the occupants' signals are left out: half the joins and columns
    of `_passages()`, whose compiling was most of a lookup's time (issue 8, figure 5)."""
    return VehiclePassage.objects.select_related(
        "checkpoint__unit", "destination"
    ).prefetch_related("occupants")


def passage_get(*, user: Any, passage_id: int) -> VehiclePassage:
    return get_scoped_or_404(user, _passages(), VIEW, pk=passage_id)


def shift_passages(*, user: Any, shift: Shift) -> QuerySet[VehiclePassage]:
    """The passages of one shift, newest first, with their occupants (three queries)."""
    return scoped(user, _passages().filter(shift=shift), VIEW).order_by("-occurred_at", "-id")


def checkpoint_passages(*, user: Any, checkpoint: Checkpoint) -> QuerySet[VehiclePassage]:
    return scoped(user, _passages().filter(checkpoint=checkpoint), VIEW).order_by(
        "-occurred_at", "-id"
    )


def lookup_value(
    *, plate: str | None = None, id_number: str | None = None, phone: str | None = None
) -> tuple[LookupKind, str]:
    """Which one of the three was given, normalised; a ValidationError names a bad one."""
    given = {
        k: v.strip()
        for k, v in (
            (LookupKind.PLATE, plate),
            (LookupKind.ID_NUMBER, id_number),
            (LookupKind.PHONE, phone),
        )
        if v and v.strip()
    }
    if len(given) != 1:
        raise ValidationError({"__all__": SEARCH_ONE_OF})
    ((kind, raw),) = given.items()
    try:
        if kind == LookupKind.PLATE:
            return kind, normalize_plate(raw)
        if kind == LookupKind.ID_NUMBER:
            return kind, parse_citizen_id(raw).number
        return kind, normalize_mobile(raw)
    except ValueError as e:
        raise ValidationError({str(kind): str(e)}) from None


def passage_search(
    *, user: Any, kind: LookupKind, value: str, limit: int = SEARCH_LIMIT
) -> list[VehiclePassage]:
    """Earlier passages of a plate, or of a person by ID number or phone, newest first.

    Each lookup is an equality test on an indexed column (plate, id_number or mobile, each
    with occurred_at), inside the user's jurisdiction.
    """
    if kind == LookupKind.PLATE:
        qs = _lookup_passages().filter(plate=value)
        return list(scoped(user, qs, VIEW).order_by("-occurred_at", "-id")[:limit])
    field = "id_number" if kind == LookupKind.ID_NUMBER else "mobile"
    occupants = scoped(user, PassengerCheck.objects.filter(**{field: value}), VIEW)
    # The passage ids first, in their own query: as an IN (subquery) beside the joins
    # of the passages, PostgreSQL spent 5-15 ms (loaded machine) planning a query that
    # runs in 0.2 ms (issue 8, figure 5); a list of ids plans like the plate lookup.
    ids = set(occupants.order_by().values_list("passage_id", flat=True))
    if not ids:
        return []
    if len(ids) > limit:
        # Only the newest `limit`: the passages' own order decides which.
        qs = _lookup_passages().filter(pk__in=ids)
        return list(scoped(user, qs, VIEW).order_by("-occurred_at", "-id")[:limit])
    return _passages_of_occupants(user, ids)


# What an answer shows of the joined rows (`_lookup_passages`'s docstring): the occupant's and
# the passage's own fields, the checkpoint's unit name, the destination's code, name and level.
_ANSWER_FIELDS = (
    *(f.attname for f in PassengerCheck._meta.concrete_fields),
    *(f"passage__{f.attname}" for f in VehiclePassage._meta.concrete_fields),
    "passage__checkpoint__unit__name",
    *(f"passage__destination__{name}" for name in ("code", "name", "level")),
)


def _passages_of_occupants(user: Any, ids: set[int]) -> list[VehiclePassage]:
    """The passages `ids` inside the jurisdiction, newest first, with what `_lookup_passages`
    loads, in one statement read from the occupants' side: each of these passages has one
    (the person looked up). The occupants' own query (a prefetch), its building, and the
    columns nobody reads were most of the lookup's time (issue 8, figure 5)."""
    rows = scoped(
        user,
        PassengerCheck.objects.filter(passage_id__in=ids),
        VIEW,
        field="passage__unit_code",
    ).select_related("passage__checkpoint__unit", "passage__destination")
    # A few rows: ordered here, which costs less than building an ORDER BY of joined columns.
    ordered = sorted(
        rows.only(*_ANSWER_FIELDS).order_by(),
        key=lambda o: (o.passage.occurred_at, o.passage_id, -o.position),
        reverse=True,
    )
    passages: dict[int, VehiclePassage] = {}
    occupants: dict[int, list[PassengerCheck]] = {}
    for occupant in ordered:
        passage = passages.setdefault(occupant.passage_id, occupant.passage)
        occupant.passage = passage
        occupants.setdefault(passage.pk, []).append(occupant)
    for pk, passage in passages.items():
        # As prefetch_related leaves it: `passage.occupants.all()` reads no more.
        loaded: Any = passage.occupants.all()
        loaded._result_cache = occupants[pk]
        loaded._prefetch_done = True
        holder: Any = passage
        holder._prefetched_objects_cache = {"occupants": loaded}
    return list(passages.values())


def open_hand_overs(*, user: Any, checkpoint: Checkpoint, limit: int = 20) -> list[PassengerCheck]:
    """Occupants this checkpoint handed over whose signal the village has not yet taken up."""
    qs = (
        PassengerCheck.objects.filter(
            passage__checkpoint=checkpoint,
            decision=Decision.PASS_AND_HAND_OVER,
            signal__isnull=False,
        )
        .exclude(signal__status__in=CLOSED_STATUSES)
        .select_related("signal", "passage", "passage__destination")
        .order_by("occurred_at", "id")
    )
    return list(scoped(user, qs, VIEW)[:limit])
