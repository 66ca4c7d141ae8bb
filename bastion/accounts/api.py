"""The caller's own account."""

from django.http import HttpRequest
from ninja import Router, Schema

from bastion.accounts.jurisdiction import active_memberships
from bastion.accounts.roles import ROLE_CAPABILITIES

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    unit_code: str
    unit_name: str
    role: str
    capabilities: list[str]


class MeOut(Schema):
    username: str
    display_name: str
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, summary="Who am I, and where do I work")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        username=user.get_username(),
        display_name=getattr(user, "display_name", ""),
        memberships=[
            MembershipOut(
                unit_code=m.unit.code,
                unit_name=m.unit.name,
                role=m.role,
                capabilities=sorted(ROLE_CAPABILITIES.get(m.role, ())),
            )
            for m in active_memberships(user)
        ],
    )
