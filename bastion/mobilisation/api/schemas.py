"""Schemas of the mobilisation API: what goes in and out, names masked on the way out."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from bastion.core.masking import mask_name
from bastion.core.schemas import MAX_ID, Day, ErrorOut, Page, UnitCode
from bastion.mobilisation import services
from bastion.mobilisation.models import Application, Assignment, Call, Member, Team, WorkLog

CHANNEL = "api"
Text = r"^[^\x00-\x1f\x7f]*$"
LongText = r"^[^\x00]*$"
SkillCode = Literal["medical", "nursing", "driving", "police", "language", "logistics", "other"]
StatusCode = Literal["submitted", "selected", "declined"]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 400: ErrorOut}


class MemberOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    person_id: int
    name: str = Field(description="姓名（脱敏）")
    is_party_member: bool
    party_since_year: int | None
    skills: list[str]
    availability: str
    posts: str
    account_id: int | None = Field(description="关联的登录账号")

    @staticmethod
    def of(m: Member) -> "MemberOut":
        return MemberOut(
            id=m.pk,
            unit_code=m.unit_code,
            unit_name=m.unit.name,
            person_id=m.person_id,
            name=mask_name(m.person.name),
            is_party_member=m.is_party_member,
            party_since_year=m.party_since_year,
            skills=list(m.skills),
            availability=m.availability,
            posts=m.posts,
            account_id=m.account_id,
        )


class MemberPage(Page):
    items: list[MemberOut]


class UnitFilters(Schema):
    unit: UnitCode
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class MemberIn(Schema):
    unit: UnitCode
    person_id: Id
    is_party_member: bool = False
    party_since_year: int | None = Field(None, ge=1900, le=2100)
    skills: list[SkillCode] = Field(default_factory=list, max_length=7)
    availability: str = Field("", max_length=200, pattern=Text)
    posts: str = Field("", max_length=200, pattern=Text)


class CallIn(Schema):
    unit: UnitCode
    title: str = Field(min_length=1, max_length=100, pattern=Text)
    description: str = Field("", max_length=1000, pattern=LongText)
    place: str = Field("", max_length=200, pattern=Text)
    starts_on: date | None = None
    ends_on: date | None = None
    people_needed: int = Field(ge=1, le=services.MAX_PEOPLE)


class CallOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    title: str
    description: str
    place: str
    starts_on: date | None
    ends_on: date | None
    people_needed: int
    status: Literal["open", "closed"]

    @staticmethod
    def of(c: Call) -> "CallOut":
        return CallOut(
            id=c.pk,
            unit_code=c.unit_code,
            unit_name=c.unit.name,
            title=c.title,
            description=c.description,
            place=c.place,
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            people_needed=c.people_needed,
            status=c.status,  # type: ignore[arg-type]
        )


class CallPage(Page):
    items: list[CallOut]


class ApplicationIn(Schema):
    member_id: Id
    is_pledge: bool = Field(False, description="请战书")
    statement: str = Field("", max_length=2000, pattern=LongText)
    experience: str = Field("", max_length=500, pattern=Text)
    applies_to_join_party: bool = False


class ApplicationOut(Schema):
    id: int
    member_id: int
    name: str = Field(description="姓名（脱敏）")
    call_id: int | None
    team_id: int | None
    unit_code: str
    is_pledge: bool
    statement: str
    experience: str
    applies_to_join_party: bool
    status: StatusCode

    @staticmethod
    def of(a: Application) -> "ApplicationOut":
        return ApplicationOut(
            id=a.pk,
            member_id=a.member_id,
            name=mask_name(a.member.person.name),
            call_id=a.call_id,
            team_id=a.team_id,
            unit_code=a.unit_code,
            is_pledge=a.is_pledge,
            statement=a.statement,
            experience=a.experience,
            applies_to_join_party=a.applies_to_join_party,
            status=a.status,  # type: ignore[arg-type]
        )


class SelectIn(Schema):
    select: bool = Field(True, description="true 选派，false 不选派")


class TeamIn(Schema):
    unit: UnitCode = Field(description="派出单位")
    name: str = Field(min_length=1, max_length=100, pattern=Text)
    destination: str = Field("", max_length=100, pattern=Text)
    member_ids: list[Id] = Field(default_factory=list, max_length=services.MAX_TEAM)
    leader_id: Id | None = None
    branch_name: str = Field("", max_length=100, pattern=Text, description="临时党支部名称")


class TeamOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    name: str
    destination: str
    leader_id: int | None
    party_branch_code: str | None
    party_branch_name: str | None
    member_count: int

    @staticmethod
    def of(t: Team, member_count: int) -> "TeamOut":
        return TeamOut(
            id=t.pk,
            unit_code=t.unit_code,
            unit_name=t.unit.name,
            name=t.name,
            destination=t.destination,
            leader_id=t.leader_id,
            party_branch_code=t.party_branch.code if t.party_branch else None,
            party_branch_name=t.party_branch.name if t.party_branch else None,
            member_count=member_count,
        )


class WorkLogIn(Schema):
    member_id: Id
    day: date
    hours: Decimal = Field(gt=0, le=24, max_digits=3, decimal_places=1)
    cancelled_leave: bool = False
    client_uuid: uuid.UUID


class WorkLogOut(Schema):
    id: int
    member_id: int
    unit_code: str
    day: date
    hours: Decimal
    cancelled_leave: bool
    client_uuid: uuid.UUID

    @staticmethod
    def of(w: WorkLog) -> "WorkLogOut":
        return WorkLogOut(
            id=w.pk,
            member_id=w.member_id,
            unit_code=w.unit_code,
            day=w.day,
            hours=w.hours,
            cancelled_leave=w.cancelled_leave,
            client_uuid=w.client_uuid,
        )


class AssignmentIn(Schema):
    member_id: Id
    duty: str = Field(min_length=1, max_length=100, pattern=Text)
    place: str = Field("", max_length=200, pattern=Text)
    starts_on: Day
    ends_on: Day
    call_id: Id | None = None


class AssignmentOut(Schema):
    id: int
    member_id: int
    member_name: str
    unit_code: str
    call_id: int | None
    duty: str
    place: str
    starts_on: date
    ends_on: date

    @staticmethod
    def of(a: Assignment) -> "AssignmentOut":
        return AssignmentOut(
            id=a.pk,
            member_id=a.member_id,
            member_name=a.member.person.name,
            unit_code=a.unit_code,
            call_id=a.call_id,
            duty=a.duty,
            place=a.place,
            starts_on=a.starts_on,
            ends_on=a.ends_on,
        )
