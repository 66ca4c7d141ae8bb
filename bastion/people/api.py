"""Persons and households API (人员、住户), scoped to the caller's jurisdiction.

ID numbers and mobiles are masked in every answer; a full value needs `POST …/reveal` with a
reason. Searches are POSTed so that numbers never appear in URLs or access logs.
"""

from datetime import date
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.idempotency import idempotent
from bastion.core.masking import mask_id_number, mask_mobile
from bastion.core.schemas import MAX_ID, ErrorOut, Page, UnitCode, page_bounds
from bastion.people import selectors, services
from bastion.people.models import Household, Person

router = Router(tags=["persons"])

CHANNEL = "api"

CareTag = Literal["is_pregnant", "is_elderly_alone", "is_chronic", "is_disabled"]
SexCode = Literal["M", "F", "U"]
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
# No control characters: they are never part of a name or an address, and PostgreSQL refuses NUL.
Text = r"^[^\x00-\x1f\x7f]*$"

ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 400: ErrorOut, 403: ErrorOut}


class PersonOut(Schema):
    id: int
    name: str
    sex: SexCode
    birth_date: date | None
    age: int | None
    id_number_masked: str
    mobile_masked: str
    unit_code: str
    unit_name: str
    household_id: int | None
    address: str
    care_tags: list[CareTag]
    version: int

    @staticmethod
    def of(person: Person) -> "PersonOut":
        return PersonOut(
            id=person.pk,
            name=person.name,
            sex=person.sex,  # type: ignore[arg-type]
            birth_date=person.birth_date,
            age=person.age(on=timezone.localdate()),
            id_number_masked=mask_id_number(person.id_number),
            mobile_masked=mask_mobile(person.mobile),
            unit_code=person.unit_code,
            unit_name=person.unit.name,
            household_id=person.household_id,
            address=person.household.address if person.household else "",
            care_tags=person.care_tags,  # type: ignore[arg-type]
            version=person.version,
        )


class PersonPage(Page):
    items: list[PersonOut]


class PersonSearchOut(Schema):
    kind: str = Field(description="what the query was read as: id_number, mobile, name, …")
    count: int
    items: list[PersonOut]


class DuplicateOut(ErrorOut):
    """422 for an ID number that is registered already; `existing_id` only when in scope."""

    existing_id: int | None = None


class ConflictOut(ErrorOut):
    current: PersonOut


class PersonFilters(Schema):
    unit: UnitCode | None = None
    care_tag: CareTag | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class SearchIn(Schema):
    q: str = Field(max_length=100, description="姓名、拼音首字母、身份证号或手机号")


class PersonIn(Schema):
    name: str = Field(min_length=1, max_length=40, pattern=Text)
    id_number: str | None = Field(None, max_length=40, pattern=Text)
    sex: SexCode | None = None
    birth_date: date | None = None
    mobile: str = Field("", max_length=30, pattern=Text)
    unit: UnitCode | None = Field(None, description="村（社区）或网格的代码；给了住户时可省略")
    household_id: int | None = Field(None, ge=1, le=MAX_ID)
    address: str = Field("", max_length=200, pattern=Text)
    care_tags: list[CareTag] = Field(default_factory=list, max_length=4)


class PersonPatch(Schema):
    version: int = Field(ge=1, le=2**31 - 1)
    name: str | None = Field(None, min_length=1, max_length=40, pattern=Text)
    id_number: str | None = Field(None, max_length=40, pattern=Text)
    sex: SexCode | None = None
    birth_date: date | None = None
    mobile: str | None = Field(None, max_length=30, pattern=Text)
    unit: UnitCode | None = None
    household_id: int | None = Field(None, ge=1, le=MAX_ID)
    address: str | None = Field(None, max_length=200, pattern=Text)
    care_tags: list[CareTag] | None = Field(None, max_length=4)


class RevealIn(Schema):
    field: Literal["id_number", "mobile"]
    reason: str = Field(min_length=1, max_length=200, pattern=Text)


class RevealOut(Schema):
    field: str
    value: str


class HouseholdOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    address: str
    note: str
    version: int
    member_count: int

    @staticmethod
    def of(household: Household, member_count: int) -> "HouseholdOut":
        return HouseholdOut(
            id=household.pk,
            unit_code=household.unit_code,
            unit_name=household.unit.name,
            address=household.address,
            note=household.note,
            version=household.version,
            member_count=member_count,
        )


class HouseholdDetailOut(HouseholdOut):
    members: list[PersonOut]


class HouseholdPage(Page):
    items: list[HouseholdOut]


class HouseholdFilters(Schema):
    unit: UnitCode | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class HouseholdIn(Schema):
    unit: UnitCode
    address: str = Field(min_length=1, max_length=200, pattern=Text)
    note: str = Field("", max_length=200, pattern=Text)


def _entry_unit(request: HttpRequest, code: str | None) -> Any:
    """The village or grid `code` for a write; the same error whether missing or out of scope."""
    if code is None:
        return None
    unit = selectors.entry_unit(user=request.user, code=code)
    if unit is None:
        raise ValidationError({"unit": services.UNIT_NOT_IN_SCOPE})
    return unit


def _household(request: HttpRequest, household_id: int | None) -> Household | None:
    if household_id is None:
        return None
    try:
        return selectors.household_get(user=request.user, household_id=household_id)
    except Http404:
        raise ValidationError({"household_id": services.HOUSEHOLD_NOT_IN_SCOPE}) from None


def _for_clients(error: ValidationError) -> ValidationError:
    """Service errors name the `household` argument; API clients send `household_id`."""
    if hasattr(error, "error_dict") and "household" in error.error_dict:
        error.error_dict["household_id"] = error.error_dict.pop("household")
    return error


def _duplicate(e: services.DuplicatePerson) -> Status[DuplicateOut]:
    message = e.messages[0]
    return Status(
        422,
        DuplicateOut(
            detail=message,
            errors=[{"field": "id_number", "message": message}],  # type: ignore[list-item]
            existing_id=e.existing.pk if e.existing is not None else None,
        ),
    )


@router.get("/persons", response={200: PersonPage, **ERRORS}, summary="List persons (paged)")
def person_list(request: HttpRequest, filters: Query[PersonFilters]) -> Any:
    persons = selectors.person_list(
        user=request.user, unit_code=filters.unit, care_tag=filters.care_tag
    )
    count = persons.count()
    start, end = page_bounds(filters.page, filters.page_size)
    items = [PersonOut.of(p) for p in persons[start:end]]
    services.person_list_log(
        actor=request.user,
        action=Action.LIST,
        count=count,
        unit_code=filters.unit or "",
        unit=filters.unit,
        care_tag=filters.care_tag,
        page=filters.page,
        channel=CHANNEL,
    )
    return PersonPage(items=items, count=count, page=filters.page, page_size=filters.page_size)


@router.post(
    "/persons/search",
    response={200: PersonSearchOut, **WRITE_ERRORS},
    summary="Search persons by name, pinyin initials, ID number or mobile",
)
def person_search(request: HttpRequest, payload: SearchIn) -> Any:
    kind, found = selectors.person_search(user=request.user, q=payload.q)
    items = [PersonOut.of(p) for p in found[: selectors.SEARCH_LIMIT]]
    if kind != selectors.QueryKind.EMPTY:
        services.person_list_log(
            actor=request.user, action=Action.SEARCH, count=len(items), kind=kind, channel=CHANNEL
        )
    return PersonSearchOut(kind=kind, count=len(items), items=items)


@router.post(
    "/persons",
    response={201: PersonOut, **WRITE_ERRORS, 422: DuplicateOut},
    summary="Register a person (accepts Idempotency-Key)",
)
def person_create(request: HttpRequest, payload: PersonIn) -> Any:
    def work() -> tuple[int, Any]:
        person = services.person_create(
            actor=request.user,
            unit=_entry_unit(request, payload.unit),
            household=_household(request, payload.household_id),
            name=payload.name,
            id_number=payload.id_number,
            sex=payload.sex,
            birth_date=payload.birth_date,
            mobile=payload.mobile,
            address=payload.address,
            care_tags=list(payload.care_tags),
            channel=CHANNEL,
        )
        return 201, PersonOut.of(person)

    try:
        return Status(*idempotent(request, work))
    except services.DuplicatePerson as e:
        return _duplicate(e)
    except ValidationError as e:
        raise _for_clients(e) from None


@router.get("/persons/{person_id}", response={200: PersonOut, **ERRORS})
def person_get(request: HttpRequest, person_id: ObjectId) -> Any:
    person = selectors.person_get(user=request.user, person_id=person_id)
    services.person_view_log(actor=request.user, person=person, channel=CHANNEL)
    return PersonOut.of(person)


@router.patch(
    "/persons/{person_id}",
    response={200: PersonOut, **WRITE_ERRORS, 409: ConflictOut, 422: DuplicateOut},
    summary="Update a person; `version` must be the version read (409 if stale)",
)
def person_update(request: HttpRequest, person_id: ObjectId, payload: PersonPatch) -> Any:
    user = request.user
    person = selectors.person_get(
        user=user, person_id=person_id, capability=Capability.EDIT_PERSONS
    )
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    if "unit" in changes:
        changes["unit"] = _entry_unit(request, changes["unit"]) or None
    if "household_id" in changes:
        changes["household"] = _household(request, changes.pop("household_id"))
    for field in ("name", "care_tags"):
        if field in changes and changes[field] is None:
            del changes[field]
    try:
        person = services.person_update(
            actor=user, person=person, version=payload.version, channel=CHANNEL, **changes
        )
    except StaleVersion as e:
        return Status(409, ConflictOut(detail=str(e), current=PersonOut.of(e.current)))
    except services.DuplicatePerson as e:
        return _duplicate(e)
    except ValidationError as e:
        raise _for_clients(e) from None
    return PersonOut.of(person)


@router.post(
    "/persons/{person_id}/reveal",
    response={200: RevealOut, **WRITE_ERRORS},
    summary="Show a full ID number or mobile; needs a reason and is logged",
)
def person_reveal(request: HttpRequest, person_id: ObjectId, payload: RevealIn) -> Any:
    user = request.user
    person = selectors.person_get(user=user, person_id=person_id)
    if not code_in_scope(user, person.unit_code, Capability.REVEAL_PERSONAL_DATA):
        return Status(403, ErrorOut(detail="无权查看完整信息。"))
    value = services.person_reveal(
        actor=user, person=person, field=payload.field, reason=payload.reason, channel=CHANNEL
    )
    return RevealOut(field=payload.field, value=value)


@router.get(
    "/households", response={200: HouseholdPage, **ERRORS}, summary="List households (paged)"
)
def household_list(request: HttpRequest, filters: Query[HouseholdFilters]) -> Any:
    households = selectors.household_list(user=request.user, unit_code=filters.unit)
    count = households.count()
    start, end = page_bounds(filters.page, filters.page_size)
    # member_count is annotated by the selector.
    items = [HouseholdOut.of(h, getattr(h, "member_count", 0)) for h in households[start:end]]
    return HouseholdPage(items=items, count=count, page=filters.page, page_size=filters.page_size)


@router.post(
    "/households",
    response={201: HouseholdOut, **WRITE_ERRORS},
    summary="Register a household (accepts Idempotency-Key)",
)
def household_create(request: HttpRequest, payload: HouseholdIn) -> Any:
    def work() -> tuple[int, Any]:
        household = services.household_create(
            actor=request.user,
            unit=_entry_unit(request, payload.unit),
            address=payload.address,
            note=payload.note,
        )
        return 201, HouseholdOut.of(household, 0)

    return Status(*idempotent(request, work))


@router.get("/households/{household_id}", response={200: HouseholdDetailOut, **ERRORS})
def household_get(request: HttpRequest, household_id: ObjectId) -> Any:
    user = request.user
    household = selectors.household_get(user=user, household_id=household_id)
    members = [PersonOut.of(p) for p in selectors.household_members(user=user, household=household)]
    services.person_list_log(
        actor=user,
        action=Action.LIST,
        count=len(members),
        unit_code=household.unit_code,
        household=household.pk,
        channel=CHANNEL,
    )
    return HouseholdDetailOut(
        **HouseholdOut.of(household, len(members)).model_dump(), members=members
    )
