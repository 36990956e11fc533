"""What the MCP server sends back: tool listings, answers and errors as MCP results; no I/O.

Every failure of a tool call becomes a result with ``isError`` set, so the model reads what went
wrong and the host carries on. The messages are the client's typed errors (which never carry a
key) or a validation summary that names the arguments but does not repeat their values.
"""

from __future__ import annotations

import json
from typing import Any

import mcp.types as types
from pydantic import ValidationError

from .._exceptions import APIError
from .._toolkit import FlowiseToolTarget
from ..types import HumanInputRequest, Prediction

__all__ = [
    "answer_result",
    "custom_tool_result",
    "error_result",
    "internal_error_result",
    "invalid_arguments_result",
    "mcp_tool",
    "waiting_result",
]


def mcp_tool(target: FlowiseToolTarget) -> types.Tool:
    """A flow or custom tool as an MCP tool: its safe name, description and argument schema."""
    return types.Tool(
        name=target.name,
        title=target.flowise_name,
        description=target.description,
        input_schema=target.parameters,
        annotations=types.ToolAnnotations(
            title=target.flowise_name, read_only_hint=False, open_world_hint=True
        ),
    )


def _text(text: str) -> list[types.ContentBlock]:
    return [types.TextContent(text=text)]


def answer_result(prediction: Prediction) -> types.CallToolResult:
    """A flow's answer: its text, and in ``structuredContent`` the ids and any source documents."""
    structured: dict[str, Any] = {
        "text": prediction.text,
        "chat_id": prediction.chat_id,
        "chat_message_id": prediction.chat_message_id,
        "execution_id": prediction.execution_id,
    }
    sources = prediction.all_source_documents
    if sources:
        structured["source_documents"] = [
            {"page_content": doc.page_content, "metadata": doc.metadata} for doc in sources
        ]
    return types.CallToolResult(
        content=_text(prediction.text),
        structured_content={key: value for key, value in structured.items() if value is not None},
    )


def waiting_result(request: HumanInputRequest, *, problem: str | None = None) -> types.CallToolResult:
    """An agentflow that stopped for a person: what it asks, and the request to resume it by.

    With ``problem`` (a decision that could not be used) it is an error the model can read.
    """
    text = f"The flow is waiting for a person to decide: {request.message}"
    return types.CallToolResult(
        content=_text(
            f"{problem[0].upper()}{problem[1:]}; the flow still waits. {text}" if problem else text
        ),
        structured_content={"human_input_request": request.model_dump(mode="json")},
        is_error=problem is not None,
    )


def custom_tool_result(result: Any) -> types.CallToolResult:
    """A custom tool's return value: text as it is, anything else as JSON (and structured)."""
    if isinstance(result, str):
        return types.CallToolResult(content=_text(result))
    text = json.dumps(result, ensure_ascii=False, default=str)
    return types.CallToolResult(content=_text(text), structured_content={"result": result})


def _failure(message: str) -> types.CallToolResult:
    return types.CallToolResult(content=_text(message), is_error=True)


def error_result(tool: str, exc: APIError) -> types.CallToolResult:
    """A client error (status, connection, timeout, stream error) as the tool's error answer."""
    return _failure(f"Tool {tool!r} failed: {type(exc).__name__}: {exc}")


def invalid_arguments_result(tool: str, exc: ValidationError) -> types.CallToolResult:
    """Arguments the tool's schema refuses: each one's name and what is wrong, never its value."""
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or '(arguments)'}: {error['msg']}"
        for error in exc.errors(include_input=False, include_url=False)
    )
    return _failure(f"Invalid arguments for tool {tool!r}: {problems}")


def internal_error_result(tool: str) -> types.CallToolResult:
    """An unexpected failure inside the server: no details leave it (they go to its log)."""
    return _failure(f"Tool {tool!r} failed inside the Flowise MCP server; its log has the details.")
