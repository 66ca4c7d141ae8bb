"""Helpers of the community views."""

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST (even an empty one, so that it is validated), else None."""
    return request.POST if request.method == "POST" else None


def is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def xlsx_response(content: bytes, title: str) -> HttpResponse:
    """A download named like 酒宴登记-20200201-1330.xlsx (RFC 5987 for the Chinese name)."""
    name = f"{title}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    return response
