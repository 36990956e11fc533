"""Every status and Flowise error-body shape maps to the documented exception.

The bodies are the ones Flowise 3.1.4 sent (``tests/fixtures``), except for shapes the harness
cannot provoke."""

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
    NotResumableError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
)
from flowise_integrations._core.response import make_status_error, parse_body, split_wrapped
from tests.unit.recorded import recorded, recorded_body

REQUEST = httpx.Request("GET", "http://flowise.test/api/v1/tools/x")


def response(status: int, *, json: object = None, text: str | None = None, **headers: str) -> httpx.Response:
    if json is not None:
        return httpx.Response(status, json=json, headers=headers, request=REQUEST)
    return httpx.Response(status, text=text or "", headers=headers, request=REQUEST)


RECORDED_STATUSES = [
    ("errors/invalid_chatflow_id", BadRequestError, "Invalid Chatflow ID"),
    ("errors/apikey_exceeds_permissions", BadRequestError, "exceed your own permissions"),
    ("errors/unauthorized", AuthenticationError, "Unauthorized Access"),
    ("errors/verify_unknown_key", AuthenticationError, "Unauthorized"),
    ("errors/chatflows_by_unknown_key", AuthenticationError, "Unauthorized"),
    ("errors/public_chatflow_unauthorized", AuthenticationError, "Unauthorized"),
    ("errors/forbidden", PermissionDeniedError, "Forbidden"),
    ("errors/chatflow_not_found", NotFoundError, "not found in the database"),
    ("errors/document_store_not_found", NotFoundError, "Document store"),
    ("errors/negative_page", PreconditionFailedError, "page cannot be negative"),
    ("errors/apikey_without_permissions", PreconditionFailedError, "permissions must be an array"),
    ("errors/rate_limited", RateLimitError, "Too many requests, slow down"),
    ("errors/tool_without_color", InternalServerError, "tool.color"),
    ("errors/tool_not_found", NotFoundError, "not found"),
    ("errors/flow_key_unauthorized", AuthenticationError, "Unauthorized"),
    ("errors/resume_finished", NotResumableError, "because it is in 'FINISHED' state"),
    ("errors/resume_without_execution", NotResumableError, "No previous execution found"),
]


@pytest.mark.parametrize(("fixture", "cls", "message"), RECORDED_STATUSES)
def test_recorded_status_table(fixture: str, cls: type[APIStatusError], message: str) -> None:
    resp = recorded(fixture, request=REQUEST)
    error = make_status_error(resp)
    assert type(error) is cls
    assert message in str(error)
    assert error.status_code == resp.status_code
    assert error.body == recorded_body(fixture)


@pytest.mark.parametrize(
    ("resp", "cls", "message"),
    [
        # Shapes Flowise's code has but the harness cannot provoke (JWT sessions, bodies from
        # controllers that answer with text, proxies in front of Flowise).
        (
            response(401, json={"message": "Invalid or Missing token"}),
            AuthenticationError,
            "Invalid or Missing token",
        ),
        (
            response(404, text="Chatflow not found", **{"content-type": "text/html; charset=utf-8"}),
            NotFoundError,
            "Chatflow not found",
        ),
        (
            response(413, json={"statusCode": 413, "success": False, "message": "request entity too large"}),
            BadRequestError,
            "too large",
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
    error = make_status_error(recorded("errors/execution_not_found", request=REQUEST))
    missing = recorded_body("errors/execution_not_found")["message"].split()[-3]
    assert isinstance(error, NotFoundError)
    assert error.status_code == 500
    assert error.wrapped
    assert error.operation == "executionsService.getExecutionById"
    assert error.detail == f"Execution {missing} not found"


def test_wrapped_unauthorized_is_authentication_error() -> None:
    error = make_status_error(recorded("errors/flow_key_unauthorized", request=REQUEST))
    assert isinstance(error, AuthenticationError)
    assert error.status_code == 500
    assert error.wrapped
    assert (error.operation, error.detail) == ("predictionsServices.buildChatflow", "Unauthorized")


def test_refused_resume_is_not_resumable_even_when_it_says_not_found() -> None:
    error = make_status_error(recorded("errors/resume_finished", request=REQUEST))
    assert isinstance(error, NotResumableError)
    assert (error.status_code, error.operation) == (500, "predictionsServices.buildChatflow")
    body = recorded_body("errors/resume_finished")
    body["message"] = (
        "Error: predictionsServices.buildChatflow - Node humanInputAgentflow_0 not found in previous "
        "execution. This could indicate an invalid resume attempt or a modified flow."
    )
    error = make_status_error(recorded("errors/resume_finished", body=body, request=REQUEST))
    assert type(error) is NotResumableError


def test_other_wrapped_500_stays_internal() -> None:
    error = make_status_error(recorded("errors/tool_without_color", request=REQUEST))
    assert type(error) is InternalServerError
    assert error.operation == "toolsService.createTool"
    assert error.detail == "SQLITE_CONSTRAINT: NOT NULL constraint failed: tool.color"


def test_rate_limit_exposes_retry_after() -> None:
    error = make_status_error(recorded("errors/rate_limited", request=REQUEST))
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 60.0
    assert (error.limit, error.remaining) == (2, 0)
    assert error.body == "Too many requests, slow down"


def test_hint_is_appended() -> None:
    error = make_status_error(
        recorded("errors/datasets_forbidden", request=REQUEST), hint="datasets need Enterprise"
    )
    assert "datasets need Enterprise" in str(error)


def test_split_wrapped_leaves_plain_messages() -> None:
    assert split_wrapped("Chatflow not found") == (None, "Chatflow not found")
    assert split_wrapped("Error: a.b - c - d") == ("a.b", "c - d")


def test_html_200_for_json_suggests_base_url() -> None:
    html = recorded("errors/unknown_route", request=REQUEST)
    assert html.text.startswith("<!DOCTYPE html>")
    with pytest.raises(APIResponseValidationError, match="base_url"):
        parse_body(html, "json")


def test_invalid_json_body_is_a_validation_error() -> None:
    truncated = response(200, text='{"id": "x", "na', **{"content-type": "application/json"})
    with pytest.raises(APIResponseValidationError, match="not valid JSON"):
        parse_body(truncated, "json")


def test_long_messages_are_truncated() -> None:
    error = make_status_error(response(500, text="x" * 10_000))
    assert len(str(error)) < 600
