"""One JSON error envelope for every 4xx and 5xx under /api/ (issue 16 §2).

    {"error": {"status": 422, "code": "validation", "message": "…", "fields": {"light": ["…"]}}}

`status` repeats the HTTP status, `code` is a stable word for programs (the table below), `message` is for
people, `fields` (only when a request's values were refused) maps each refused parameter or body field to its
messages. Every path under /api/ answers in this shape: unknown paths and objects (404), a method the path
does not take (405), refused values (422, from the request's types, the forms' rules or the services'),
missing or refused tokens (401, 403), conditional writes (412, 428), conflicts (409) and server errors (500).
"""

import logging
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from .conditional import PreconditionFailed, PreconditionRequired

logger = logging.getLogger("django.request")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "too_large",
    422: "validation",
    428: "precondition_required",
    429: "too_many_requests",
    500: "server_error",
}

DOCUMENTED = {  # the statuses every operation documents, besides its own
    401: "No token, or an unknown, revoked or expired one.",
    403: "The token's user may not do this (a read-only token writing, an auditor reading business data).",
    404: "No such path or object, or one outside the token user's scope.",
    422: "A value of the request was refused: `fields` names each one.",
    500: "A server error (logged); the request may be retried later.",
}


class ErrorBody(Schema):
    status: int = Field(description="The HTTP status, repeated.")
    code: str = Field(description="A stable word: " + ", ".join(sorted(set(CODES.values()))) + ".")
    message: str = Field(description="What went wrong, for people.")
    fields: dict[str, list[str]] | None = Field(
        None, description="The refused parameters or body fields, each with its messages."
    )


class ErrorOut(Schema):
    error: ErrorBody


class ApiError(Exception):
    """Raise to answer with the envelope: `ApiError(422, "…", fields={"light": ["…"]})`."""

    def __init__(self, status: int, message: str, *, fields: dict[str, list[str]] | None = None, code=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields
        self.code = code or CODES.get(status, "error")


def envelope(status: int, message: str, *, fields=None, code: str | None = None) -> dict:
    error: dict = {"status": status, "code": code or CODES.get(status, "error"), "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def error_response(status: int, message: str, *, fields=None, code: str | None = None) -> JsonResponse:
    return JsonResponse(envelope(status, message, fields=fields, code=code), status=status)


def validation_fields(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as `fields`: per field where it names them, else under `__all__`."""
    if hasattr(exc, "error_dict"):
        return {name: list(messages) for name, messages in exc.message_dict.items()}
    return {"__all__": list(exc.messages)}


def refused(exc: DjangoValidationError, *, names: dict[str, str] | None = None) -> ApiError:
    """A service's or model's ValidationError as a 422, its fields renamed to the API's (model → API name)."""
    names = names or {}
    fields = {names.get(name, name): messages for name, messages in validation_fields(exc).items()}
    return ApiError(422, " ".join(exc.messages) or "Refused.", fields=fields)


def form_fields(form) -> dict[str, list[str]]:
    """A bound form's errors as `fields`; a refused choice also lists the values allowed."""
    fields: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        fields[name] = list(messages)
        field = form.fields.get(name)
        choices = getattr(field, "choices", None)
        if choices is not None and not hasattr(field, "queryset"):
            allowed = [str(value) for value, _label in choices if value != ""]
            fields[name].append("Allowed: " + ", ".join(allowed) + ".")
    return fields


def _loc(loc) -> str:
    """pydantic's location without ninja's source and schema name: ("query", "filters", "light") → "light"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("query", "path", "body", "header", "cookie", "form", "file"):
        parts = parts[1:]
        if len(parts) > 1 and parts[0] in ("filters", "payload", "query", "data"):
            parts = parts[1:]
    return ".".join(parts) or "__all__"


def _pydantic_message(error: dict) -> str:
    message = error.get("msg", "invalid value")
    expected = (error.get("ctx") or {}).get("expected")
    if error.get("type") in ("enum", "literal_error") and expected:
        return f"{message} (allowed: {expected})" if "expected" not in message else message
    return message


def install(api) -> None:
    """Answer every error of `api` with the envelope."""

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return error_response(exc.status, exc.message, fields=exc.fields, code=exc.code)

    @api.exception_handler(NinjaValidationError)
    def request_refused(request, exc: NinjaValidationError):
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(_loc(error.get("loc", ())), []).append(_pydantic_message(error))
        return error_response(422, "Some values of the request were refused.", fields=fields)

    @api.exception_handler(DjangoValidationError)
    def rule_refused(request, exc: DjangoValidationError):
        fields = validation_fields(exc)
        return error_response(422, " ".join(exc.messages) or "refused", fields=fields)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = error_response(
            401,
            "A valid token is required: send `Authorization: Bearer <key>` (keys from /accounts/tokens/).",
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return error_response(exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(404, "Not found (or outside your scope).")

    @api.exception_handler(PreconditionRequired)
    def precondition_required(request, exc):
        return error_response(
            428,
            "If-Match is required: send the ETag of your last GET of this object, so that a change someone "
            "else made in between is not overwritten. Nothing was changed.",
        )

    @api.exception_handler(PreconditionFailed)
    def precondition_failed(request, exc):
        response = error_response(
            412,
            "The object changed since you read it (If-Match does not name the stored version). Nothing was "
            "changed: GET it again, check the differences and retry with the new ETag.",
        )
        if exc.etag:
            response["ETag"] = exc.etag
        return response

    @api.exception_handler(OverflowError)
    @api.exception_handler(DataError)
    def number_out_of_range(request, exc):
        """The last line of defence: a value the database cannot hold is the client's error, not a crash."""
        return error_response(422, "A number in the request is out of the range the database can store.")

    @api.exception_handler(Exception)
    def server_error(request, exc):
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exc,
            extra={"status_code": 500, "request": request},
        )
        return error_response(500, "Server error: it has been logged. Try again later.")


def json_405(view: Callable) -> Callable:
    """Wrap a ninja path view so that a method the path does not take answers with the envelope."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error_response(405, f"{request.method} is not allowed here; allowed: {allowed}.")
            response["Allow"] = allowed
        return response

    return wrapped


def unknown_path(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    return error_response(404, f"No such path: {request.path}.")


def openapi_with_errors(schema: dict) -> dict:
    """Document the envelope: the Error component, and every operation's 4xx/5xx answers in its shape."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    definition = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in definition.pop("$defs", {}).items():
        components[name] = sub
    components["Error"] = definition
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            # ninja keys an operation's declared answers by number; JSON keys are text, and 403 beside "403"
            # would be written twice (Swagger UI's YAML reader refuses the duplicate key).
            responses = operation["responses"] = {str(k): v for k, v in operation["responses"].items()}
            for status, description in DOCUMENTED.items():
                if status == 401 and "security" not in operation:
                    continue
                responses.setdefault(str(status), {"description": description})
            for status, response in responses.items():
                if str(status)[0] in "45":
                    response["content"] = content
                    if response.get("description") in (None, "", "Error"):
                        response["description"] = DOCUMENTED.get(int(status), CODES.get(int(status), "Error"))
    return schema
