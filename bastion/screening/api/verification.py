"""Verification lists API (核查名单): upload, progress, rows to verify, verify and route."""

import io
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Schema, Status, UploadedFile

from bastion.accounts.jurisdiction import code_in_scope
from bastion.accounts.roles import Capability
from bastion.audit.models import Action
from bastion.audit.services import access_log_write
from bastion.core.errors import StaleVersion, ValidationError
from bastion.core.masking import mask_id_number, mask_mobile
from bastion.core.schemas import MAX_ID, ErrorOut, Page, UnitCode, page_bounds
from bastion.orgs.models import OrgUnit
from bastion.screening import selectors, services
from bastion.screening.api import router
from bastion.screening.api.common import CHANNEL, ERRORS, TEXT, WRITE_ERRORS, ObjectId
from bastion.screening.forms.verification import MAX_UPLOAD_BYTES
from bastion.screening.models import VerificationList, VerificationRow
from bastion.screening.spreadsheets.reading import UnreadableFile
from bastion.screening.spreadsheets.verification import list_rows_read

RowStatusCode = Literal["pending", "found_correct", "found_corrected", "not_here", "unreachable"]


class ProgressOut(Schema):
    unit_code: str | None = Field(description="null: the rows that could not be routed")
    unit_name: str | None
    total: int
    pending: int
    found_correct: int
    found_corrected: int
    not_here: int
    unreachable: int
    percent: int

    @staticmethod
    def of(p: selectors.Progress, routed: bool = True) -> "ProgressOut":
        unit = p.unit if routed else None
        return ProgressOut(
            unit_code=unit.code if unit else None,
            unit_name=unit.name if unit else None,
            total=p.total,
            pending=p.pending,
            found_correct=p.found_correct,
            found_corrected=p.found_corrected,
            not_here=p.not_here,
            unreachable=p.unreachable,
            percent=p.percent,
        )


class VListOut(Schema):
    id: int
    title: str
    note: str
    unit_code: str
    file_name: str
    uploaded_at: datetime

    @staticmethod
    def of(vlist: VerificationList) -> "VListOut":
        return VListOut(
            id=vlist.pk,
            title=vlist.title,
            note=vlist.note,
            unit_code=vlist.unit_code,
            file_name=vlist.file_name,
            uploaded_at=vlist.uploaded_at,
        )


class VListDetailOut(VListOut):
    total: ProgressOut
    per_unit: list[ProgressOut]


class RowOut(Schema):
    id: int
    list_id: int
    sheet: str
    row_number: int
    name: str
    id_number_masked: str
    mobile_masked: str
    address: str
    extra: dict[str, str]
    unit_code: str | None
    routed_by: str
    status: RowStatusCode
    corrected_name: str
    corrected_id_number_masked: str
    corrected_mobile_masked: str
    corrected_address: str
    note: str
    signal_id: int | None
    version: int

    @staticmethod
    def of(row: VerificationRow) -> "RowOut":
        return RowOut(
            id=row.pk,
            list_id=row.vlist_id,
            sheet=row.sheet,
            row_number=row.row_number,
            name=row.name,
            id_number_masked=mask_id_number(row.id_number),
            mobile_masked=mask_mobile(row.mobile),
            address=row.address,
            extra={str(k): str(v) for k, v in row.extra.items()},
            unit_code=row.unit_code if row.unit_id else None,
            routed_by=row.routed_by,
            status=row.status,  # type: ignore[arg-type]
            corrected_name=row.corrected_name,
            corrected_id_number_masked=mask_id_number(row.corrected_id_number),
            corrected_mobile_masked=mask_mobile(row.corrected_mobile),
            corrected_address=row.corrected_address,
            note=row.note,
            signal_id=row.signal_id,
            version=row.version,
        )


class RowPage(Page):
    items: list[RowOut]


class RowFilters(Schema):
    list_id: int | None = Field(None, ge=1, le=MAX_ID)
    status: RowStatusCode | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class VerifyIn(Schema):
    status: Literal["found_correct", "found_corrected", "not_here", "unreachable"]
    version: int = Field(ge=1, le=2**31 - 1)
    corrected_name: str = Field("", max_length=40, pattern=TEXT)
    corrected_id_number: str = Field("", max_length=40, pattern=TEXT)
    corrected_mobile: str = Field("", max_length=30, pattern=TEXT)
    corrected_address: str = Field("", max_length=200, pattern=TEXT)
    note: str = Field("", max_length=200, pattern=TEXT)


class RouteIn(Schema):
    unit: UnitCode


class RowConflictOut(ErrorOut):
    current: RowOut


@router.get("/verification-lists", response={200: list[VListOut], **ERRORS})
def vlist_list(request: HttpRequest) -> Any:
    return [VListOut.of(v) for v in selectors.vlist_list(user=request.user)[:200]]


@router.post(
    "/verification-lists",
    response={201: VListDetailOut, **WRITE_ERRORS},
    summary="Push a list down (multipart: unit, title, note, file); rows are routed to villages",
)
def vlist_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    unit: Form[UnitCode],
    title: Form[str] = "",
    note: Form[str] = "",
) -> Any:
    # Length and characters of the title and note are judged by the service (422).
    user = request.user
    if (file.size or 0) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": "文件不能超过 20 MB。"})
    target = None
    if code_in_scope(user, unit, Capability.MANAGE_SCREENING):
        target = OrgUnit.objects.filter(code=unit).first()
    try:
        rows = list_rows_read(io.BytesIO(file.read()))
    except UnreadableFile as e:
        raise ValidationError({"file": str(e)}) from None
    vlist = services.vlist_upload(
        actor=user, unit=target, title=title, note=note, file_name=file.name or "", rows=rows
    )
    return Status(201, _detail(request, vlist))


def _detail(request: HttpRequest, vlist: VerificationList) -> VListDetailOut:
    total, per_unit = selectors.vlist_progress(user=request.user, vlist=vlist)
    return VListDetailOut(
        **VListOut.of(vlist).model_dump(),
        total=ProgressOut.of(total),
        per_unit=[ProgressOut.of(p) for p in per_unit],
    )


@router.get("/verification-lists/{vlist_id}", response={200: VListDetailOut, **ERRORS})
def vlist_get(request: HttpRequest, vlist_id: ObjectId) -> Any:
    return _detail(request, selectors.vlist_get(user=request.user, vlist_id=vlist_id))


@router.get(
    "/verification-rows",
    response={200: RowPage, **ERRORS},
    summary="Rows to verify: a village its own, an uploader all of its lists'",
)
def vrow_list(request: HttpRequest, filters: Query[RowFilters]) -> Any:
    vlist = (
        selectors.vlist_get(user=request.user, vlist_id=filters.list_id)
        if filters.list_id
        else None
    )
    rows = selectors.vrow_list(user=request.user, vlist=vlist, status=filters.status)
    count = rows.count()
    start, end = page_bounds(filters.page, filters.page_size)
    items = [RowOut.of(r) for r in rows[start:end]]
    access_log_write(
        user=request.user,
        action=Action.LIST,
        object_type="verification_row",
        detail={"count": count},
        channel=CHANNEL,
    )
    return RowPage(items=items, count=count, page=filters.page, page_size=filters.page_size)


@router.post(
    "/verification-rows/{row_id}/verify",
    response={200: RowOut, **WRITE_ERRORS, 409: RowConflictOut},
    summary="Record what the village found; corrections are kept beside the originals",
)
def vrow_verify(request: HttpRequest, row_id: ObjectId, payload: VerifyIn) -> Any:
    user = request.user
    row = selectors.vrow_get(user=user, row_id=row_id)
    if not code_in_scope(user, row.unit_code, Capability.RECORD_SCREENING) or row.unit_id is None:
        return Status(403, ErrorOut(detail="只有分派到的村（社区）可以核查该行。"))
    try:
        verified = services.vrow_verify(actor=user, row=row, **payload.model_dump())
    except StaleVersion as e:
        return Status(409, RowConflictOut(detail=str(e), current=RowOut.of(e.current)))
    return RowOut.of(verified)


@router.post(
    "/verification-rows/{row_id}/route",
    response={200: RowOut, **WRITE_ERRORS},
    summary="Send a row that could not be routed to a village by hand",
)
def vrow_route(request: HttpRequest, row_id: ObjectId, payload: RouteIn) -> Any:
    user = request.user
    row = selectors.vrow_get(user=user, row_id=row_id)
    if not code_in_scope(user, row.vlist.unit_code, Capability.MANAGE_SCREENING):
        return Status(403, ErrorOut(detail="只有下发单位可以分派。"))
    target = selectors.forward_targets(q=payload.unit).first()
    return RowOut.of(services.vrow_route(actor=user, row=row, unit=target))
