"""The JSON API under /api/v1/ (django-ninja), its authentication and its error answers.

Every error is JSON: `{"detail": "...", "errors": [{"field": ..., "message": ...}]}`.
Nothing a client sends should produce a 500: validation errors answer 422, out-of-jurisdiction
and missing rows answer 404, stale versions 409.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from bastion.accounts.services import token_authenticate
from bastion.core.errors import field_errors
from bastion.core.schemas import ErrorOut


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a personal access token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


# The policy of every JSON answer: a JSON document loads nothing and is framed by nobody
# (the pages' policy, settings.CONTENT_SECURITY_POLICY, is for HTML). The API's HTML docs
# page is not an answer of `create_response` and keeps the pages' policy.
API_CSP = "default-src 'none'; frame-ancestors 'none'"


class BastionAPI(NinjaAPI):
    """Documents the error answers that every operation can give, in one place, and sets
    the JSON answers' own Content-Security-Policy.

    Any operation may answer 422 (a malformed request) and, behind authentication, 401; one
    with path parameters may answer 404 (missing or out of jurisdiction).
    """

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        response["Content-Security-Policy"] = API_CSP
        response._csp_exempt = True  # type: ignore[attr-defined]  # core.middleware
        response._csp_exempt_ro = True  # type: ignore[attr-defined]
        return response

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in error_schema.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components.setdefault("ErrorOut", error_schema)
        ref = {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        }
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                wanted = {422: "请求内容有误", 401: "未登录或令牌无效"}
                if "{" in path:
                    wanted[404] = "未找到，或不在辖区内"
                for status, description in wanted.items():
                    if str(status) not in responses and status not in responses:
                        responses[str(status)] = {"description": description, **ref}
        return schema


api = BastionAPI(
    title="Bastion API",
    version="1",
    description="堡垒：基层疫情防控系统 API。所有读取都限定在调用者的辖区内。",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
)


def _error(
    request: HttpRequest, status: int, detail: str, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(NinjaValidationError)
def _on_request_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for e in exc.errors:
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body", "payload", "query", "path")]
        errors.append({"field": ".".join(loc) or "__all__", "message": str(e.get("msg", ""))})
    return _error(request, 422, "请求内容有误。", errors)


@api.exception_handler(DjangoValidationError)
def _on_domain_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = field_errors(exc)
    return _error(request, 422, errors[0]["message"] if errors else "请求内容有误。", errors)


@api.exception_handler(Http404)
def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "未找到。")


@api.exception_handler(AuthenticationError)
def _on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "请先登录或提供有效的 API 令牌。")


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


def _register_routers() -> None:
    from bastion.accounts.api import router as accounts_router
    from bastion.checkpoints.api import router as checkpoints_router
    from bastion.community.api import router as community_router
    from bastion.exports.api import router as exports_router
    from bastion.mobilisation.api import router as mobilisation_router
    from bastion.observation.api import router as observation_router
    from bastion.orgs.api import router as orgs_router
    from bastion.party.api import router as party_router
    from bastion.people.api import router as people_router
    from bastion.reports.api import router as reports_router
    from bastion.screening.api import router as screening_router
    from bastion.supplies.api import router as supplies_router

    api.add_router("", accounts_router)
    api.add_router("/units", orgs_router)
    api.add_router("", people_router)
    api.add_router("", screening_router)
    api.add_router("", observation_router)
    api.add_router("", checkpoints_router)
    api.add_router("", community_router)
    api.add_router("", mobilisation_router)
    api.add_router("", supplies_router)
    api.add_router("", reports_router)
    api.add_router("", exports_router)
    api.add_router("", party_router)


_register_routers()
