"""Units API: the tree, children and search, all scoped to the caller's jurisdiction."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from bastion.core.schemas import ErrorOut
from bastion.orgs import selectors
from bastion.orgs.models import OrgUnit

router = Router(tags=["units"])


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    kind: str
    party_kind: str
    parent_code: str | None
    risk_state: str

    @staticmethod
    def of(unit: OrgUnit) -> "UnitOut":
        return UnitOut(
            code=unit.code,
            name=unit.name,
            short_name=unit.short_name,
            level=unit.level,
            kind=unit.kind,
            party_kind=unit.party_kind,
            parent_code=unit.parent.code if unit.parent_id and unit.parent else None,
            risk_state=unit.risk_state,
        )


class ChildOut(UnitOut):
    n_children: int


@router.get(
    "", response={200: list[UnitOut]}, summary="Search units by name, alias, pinyin or code"
)
def unit_search(
    request: HttpRequest,
    q: str = Query("", max_length=60),  # type: ignore[type-arg]
) -> list[UnitOut]:
    units = selectors.unit_search(user=request.user, q=q).select_related("parent")
    return [UnitOut.of(u) for u in units]


@router.get("/roots", response={200: list[UnitOut]}, summary="The caller's top units")
def unit_roots(request: HttpRequest) -> list[UnitOut]:
    return [UnitOut.of(u) for u in selectors.unit_roots(user=request.user)]


@router.get("/{code}", response={200: UnitOut, 404: ErrorOut})
def unit_get(request: HttpRequest, code: str) -> Any:
    return UnitOut.of(selectors.unit_get(user=request.user, code=code))


@router.get("/{code}/children", response={200: list[ChildOut], 404: ErrorOut})
def unit_children(request: HttpRequest, code: str) -> Any:
    unit = selectors.unit_get(user=request.user, code=code)
    children = selectors.unit_children(user=request.user, unit=unit)
    return [
        ChildOut(
            **UnitOut.of(c).model_dump(),
            n_children=c.n_children,  # type: ignore[attr-defined]
        )
        for c in children
    ]
