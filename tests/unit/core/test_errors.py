"""Every status and Flowise error-body shape maps to the documented exception."""

from __future__ import annotations

import httpx
import pytest

from flowise_integrations import (
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
)
from flowise_integrations._core.response import make_status_error, parse_body, split_wrapped

REQUEST = httpx.Request("GET", "http://flowise.test/api/v1/tools/x")


def response(status: int, *, json: object = None, text: str | None = None, **headers: str) -> httpx.Response:
    if json is not None:
        return httpx.Response(status, json=json, headers=headers, request=REQUEST)
    return httpx.Response(status, text=text or "", headers=headers, request=REQUEST)


@pytest.mark.parametrize(
    ("resp", "cls", "message"),
    [
        (
            response(400, json={"statusCode": 400, "success": False, "message": "Invalid Chatflow ID"}),
            BadRequestError,
            "Invalid Chatflow ID",
        ),
        (response(401, json={"error": "Unauthorized Access"}), AuthenticationError, "Unauthorized Access"),
        (
            response(401, json={"message": "Invalid or Missing token"}),
            AuthenticationError,
            "Invalid or Missing token",
        ),
        (response(403, json={"message": "Forbidden"}), PermissionDeniedError, "Forbidden"),
        (
            response(404, text="Chatflow not found", **{"content-type": "text/html; charset=utf-8"}),
            NotFoundError,
            "Chatflow not found",
        ),
        (
            response(
                412, json={"statusCode": 412, "success": False, "message": "Error: x.y - id not provided!"}
            ),
            PreconditionFailedError,
            "id not provided",
        ),
        (
            response(413, json={"statusCode": 413, "success": False, "message": "request entity too large"}),
            BadRequestError,
            "too large",
        ),
        (
            response(
                429, text="slow down", **{"content-type": "text/html; charset=utf-8", "retry-after": "60"}
            ),
            RateLimitError,
            "slow down",
        ),
        (
            response(
                500,
                json={
                    "statusCode": 500,
                    "success": False,
                    "message": "SQLITE_CONSTRAINT: NOT NULL constraint failed: tool.color",
                },
            ),
            InternalServerError,
            "tool.color",
        ),
        (
            response(
                502,
                text="<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
                **{"content-type": "text/html"},
            ),
            InternalServerError,
            "502 Bad Gateway",
        ),
        (response(418, text=""), APIStatusError, "418"),
    ],
)
def test_status_table(resp: httpx.Response, cls: type[APIStatusError], message: str) -> None:
    error = make_status_error(resp)
    assert type(error) is cls
    assert message in str(error)
    assert error.status_code == resp.status_code


def test_wrapped_not_found_is_not_found_with_status_500() -> None:
    error = make_status_error(
        response(
            500,
            json={
                "statusCode": 500,
                "success": False,
                "message": "Error: executionsService.getExecutionById - Execution x not found",
            },
        )
    )
    assert isinstance(error, NotFoundError)
    assert error.status_code == 500
    assert error.wrapped
    assert error.operation == "executionsService.getExecutionById"
    assert error.detail == "Execution x not found"


def test_wrapped_unauthorized_is_authentication_error() -> None:
    error = make_status_error(
        response(
            500,
            json={
                "statusCode": 500,
                "success": False,
                "message": "Error: predictionsServices.buildChatflow - Unauthorized",
            },
        )
    )
    assert isinstance(error, AuthenticationError)
    assert error.status_code == 500


def test_other_wrapped_500_stays_internal() -> None:
    error = make_status_error(
        response(
            500,
            json={
                "statusCode": 500,
                "success": False,
                "message": "Error: predictionsServices.buildChatflow - Cannot have chunkOverlap >= chunkSize",
            },
        )
    )
    assert type(error) is InternalServerError
    assert error.detail == "Cannot have chunkOverlap >= chunkSize"


def test_rate_limit_exposes_retry_after() -> None:
    error = make_status_error(response(429, text="slow down", **{"retry-after": "60"}))
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 60.0


def test_hint_is_appended() -> None:
    error = make_status_error(response(403, json={"message": "Forbidden"}), hint="datasets need Enterprise")
    assert "datasets need Enterprise" in str(error)


def test_split_wrapped_leaves_plain_messages() -> None:
    assert split_wrapped("Chatflow not found") == (None, "Chatflow not found")
    assert split_wrapped("Error: a.b - c - d") == ("a.b", "c - d")


def test_html_200_for_json_suggests_base_url() -> None:
    html = response(
        200, text="<!DOCTYPE html><html><body>Flowise</body></html>", **{"content-type": "text/html"}
    )
    with pytest.raises(APIResponseValidationError, match="base_url"):
        parse_body(html, "json")


def test_invalid_json_body_is_a_validation_error() -> None:
    truncated = response(200, text='{"id": "x", "na', **{"content-type": "application/json"})
    with pytest.raises(APIResponseValidationError, match="not valid JSON"):
        parse_body(truncated, "json")


def test_long_messages_are_truncated() -> None:
    error = make_status_error(response(500, text="x" * 10_000))
    assert len(str(error)) < 600
