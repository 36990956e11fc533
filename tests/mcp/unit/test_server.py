"""FlowiseMCPServer through the SDK's own client, in-process, on responses recorded from Flowise."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client, MCPError
from mcp.types import (
    INVALID_PARAMS,
    CallToolResult,
    ElicitRequestFormParams,
    ElicitRequestParams,
    ElicitResult,
    InputResponses,
)

import flowise_integrations.mcp
from flowise_integrations import AsyncFlowise
from flowise_integrations._toolkit import select_targets
from flowise_integrations.mcp import FlowiseMCPServer
from flowise_integrations.mcp._decisions import DECISION_KEY
from flowise_integrations.types import Chatflow, Tool
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded, recorded_body, recorded_events, recorded_sse

API_KEY = "mcp-unit-key-5d1c"
FLOWS = recorded_body("chatflows/list")
AGENTFLOW = FLOWS[0]["id"]
TOOLS = recorded_body("tools/list")
PREDICTION = f"prediction/{AGENTFLOW}"

# Both ways the SDK's client talks to a server in the same process: JSON-RPC with the
# initialize handshake, and direct dispatch of the current protocol.
MODES = ["legacy", "auto"]


def _chatflows(request: httpx.Request) -> httpx.Response:
    kind = request.url.params["type"]
    return recorded("chatflows/list", body=[flow for flow in FLOWS if flow["type"] == kind])


@pytest.fixture
def flowise() -> MockFlowise:
    server = MockFlowise()
    server.add("GET", "chatflows", _chatflows)
    server.add("GET", "tools", recorded("tools/list"))
    return server


@pytest.fixture
async def mcp_server(flowise: MockFlowise) -> AsyncIterator[FlowiseMCPServer]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(flowise.handle))
    client = AsyncFlowise("http://flowise.test", API_KEY, max_retries=0, http_client=http)
    async with client, FlowiseMCPServer(client) as server:
        yield server


def _text(result: CallToolResult) -> str:
    assert len(result.content) == 1
    block = result.content[0]
    assert block.type == "text"
    return block.text


def _sent(flowise: MockFlowise, path: str) -> list[dict[str, Any]]:
    return [json.loads(call.content) for call in flowise.calls if call.url.path == f"/api/v1/{path}"]


def test_all_is_the_public_surface() -> None:
    assert flowise_integrations.mcp.__all__ == ["FlowiseMCPServer"]


@pytest.mark.parametrize("mode", MODES)
async def test_tools_are_the_toolkits_selection(mcp_server: FlowiseMCPServer, mode: str) -> None:
    expected = select_targets(
        [Chatflow.model_validate(flow) for flow in FLOWS], [Tool.model_validate(tool) for tool in TOOLS]
    )

    async with Client(mcp_server.server, mode=mode) as session:
        tools = (await session.list_tools()).tools

    assert [tool.name for tool in tools] == [target.name for target in expected]
    assert [tool.name for tool in tools] == ["echo-agentflow", "other_tool", "send_email"]
    for tool, target in zip(tools, expected, strict=True):
        assert tool.input_schema == target.parameters
        assert tool.description == target.description
        assert tool.title == target.flowise_name
    assert tools[2].input_schema["required"] == ["email"]


@pytest.mark.parametrize("mode", MODES)
async def test_a_flow_answers_with_its_text_and_ids(
    mcp_server: FlowiseMCPServer, flowise: MockFlowise, mode: str
) -> None:
    flowise.add("POST", PREDICTION, recorded("predictions/agentflow"))

    async with Client(mcp_server.server, mode=mode) as session:
        result = await session.call_tool("echo-agentflow", {"question": "hello agentflow"})

    assert not result.is_error
    assert _text(result) == "Echo: hello agentflow"
    answer = recorded_body("predictions/agentflow")
    assert result.structured_content == {
        "text": "Echo: hello agentflow",
        "chat_id": answer["chatId"],
        "chat_message_id": answer["chatMessageId"],
        "execution_id": answer["executionId"],
    }
    (sent,) = _sent(flowise, PREDICTION)
    assert sent["question"] == "hello agentflow"
    assert "streaming" not in sent
    assert len(sent["chatId"]) == 36  # a new conversation, with an id the server can abort by


async def test_with_progress_the_answer_streams_chunk_by_chunk(
    mcp_server: FlowiseMCPServer, flowise: MockFlowise
) -> None:
    flowise.add("POST", PREDICTION, recorded_sse("conversation_chain"))
    tokens = [event["data"] for event in recorded_events("conversation_chain") if event["event"] == "token"]
    seen: list[tuple[float, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, message))

    async with Client(mcp_server.server, mode="legacy") as session:
        result = await session.call_tool("echo-agentflow", {"question": "q"}, progress_callback=on_progress)

    assert len(tokens) > 1
    assert seen == [(float(n), token) for n, token in enumerate(tokens, start=1)]
    assert _text(result) == "".join(tokens)
    assert _sent(flowise, PREDICTION)[0]["streaming"] is True


@pytest.mark.parametrize("mode", MODES)
async def test_a_custom_tool_runs_on_the_server(
    mcp_server: FlowiseMCPServer, flowise: MockFlowise, mode: str
) -> None:
    flowise.add("POST", "node-custom-function", recorded("nodes/custom_function_string"))
    send_email = next(tool for tool in TOOLS if tool["name"] == "send_email")

    async with Client(mcp_server.server, mode=mode) as session:
        result = await session.call_tool("send_email", {"email": "ada@example.com"})

    assert not result.is_error
    assert _text(result) == recorded_body("nodes/custom_function_string")
    assert _sent(flowise, "node-custom-function") == [
        {"javascriptFunction": send_email["func"], "functionInputVariables": {"email": "ada@example.com"}}
    ]


async def test_a_custom_tools_json_result_is_also_structured(
    mcp_server: FlowiseMCPServer, flowise: MockFlowise
) -> None:
    flowise.add("POST", "node-custom-function", recorded("nodes/custom_function_object"))

    async with Client(mcp_server.server) as session:
        result = await session.call_tool("send_email", {"email": "ada@example.com"})

    value = recorded_body("nodes/custom_function_object")
    assert json.loads(_text(result)) == value
    assert result.structured_content == {"result": value}


@pytest.mark.parametrize(
    ("arguments", "problems"),
    [
        ({}, ["question: Field required"]),
        ({"question": ["not", "text"]}, ["question: Input should be a valid string"]),
        (
            {"question": "hi", "overrideConfig": {"sessionId": "sk-hostile-9"}},
            ["overrideConfig: Extra inputs are not permitted"],
        ),
    ],
)
@pytest.mark.parametrize("mode", MODES)
async def test_arguments_the_schema_refuses_are_a_tool_error(
    mcp_server: FlowiseMCPServer,
    flowise: MockFlowise,
    arguments: dict[str, Any],
    problems: list[str],
    mode: str,
) -> None:
    async with Client(mcp_server.server, mode=mode) as session:
        result = await session.call_tool("echo-agentflow", arguments)

    assert result.is_error
    message = _text(result)
    assert message.startswith("Invalid arguments for tool 'echo-agentflow': ")
    for problem in problems:
        assert problem in message
    assert "sk-hostile-9" not in message  # values are never repeated
    assert _sent(flowise, PREDICTION) == []  # nothing reached Flowise


@pytest.mark.parametrize("mode", MODES)
async def test_an_unknown_tool_is_a_protocol_error_and_the_server_keeps_serving(
    mcp_server: FlowiseMCPServer, flowise: MockFlowise, mode: str
) -> None:
    flowise.add("POST", PREDICTION, recorded("predictions/agentflow"))

    async with Client(mcp_server.server, mode=mode) as session:
        with pytest.raises(MCPError) as caught:
            await session.call_tool("no_such_tool", {"question": "hi"})
        answer = await session.call_tool("echo-agentflow", {"question": "hello agentflow"})

    assert caught.value.code == INVALID_PARAMS
    assert "Unknown tool 'no_such_tool'" in caught.value.message
    assert _text(answer) == "Echo: hello agentflow"


@pytest.mark.parametrize(
    ("path", "tool", "arguments", "response", "expected"),
    [
        (
            PREDICTION,
            "echo-agentflow",
            {"question": "hi"},
            "errors/prediction_chatflow_not_found",
            "Tool 'echo-agentflow' failed: NotFoundError: ",
        ),
        (
            "node-custom-function",
            "send_email",
            {"email": "a@b.c"},
            "nodes/custom_function_error",
            "Tool 'send_email' failed: InternalServerError: ",
        ),
    ],
)
async def test_flowise_errors_are_tool_errors_without_the_key(
    mcp_server: FlowiseMCPServer,
    flowise: MockFlowise,
    path: str,
    tool: str,
    arguments: dict[str, Any],
    response: str,
    expected: str,
) -> None:
    flowise.add("POST", path, recorded(response))

    async with Client(mcp_server.server) as session:
        result = await session.call_tool(tool, arguments)

    assert result.is_error
    message = _text(result)
    assert message.startswith(expected)
    assert recorded_body(response)["message"].split(" - ")[-1] in message
    assert API_KEY not in message


async def test_a_failure_inside_the_server_shows_no_details(
    mcp_server: FlowiseMCPServer, flowise: MockFlowise, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        raise RuntimeError(f"internal detail {API_KEY}")

    flowise.add("POST", PREDICTION, broken)

    async with Client(mcp_server.server) as session:
        result = await session.call_tool("echo-agentflow", {"question": "hi"})

    assert result.is_error
    assert _text(result) == (
        "Tool 'echo-agentflow' failed inside the Flowise MCP server; its log has the details."
    )
    assert "internal detail" in caplog.text  # the log has them


async def test_a_flow_waiting_for_a_person_says_what_it_asks(
    mcp_server: FlowiseMCPServer, flowise: MockFlowise
) -> None:
    """A host that takes no elicitations gets the question and the request as the answer."""
    flowise.add("POST", PREDICTION, recorded("predictions/human_input_stopped"))

    async with Client(mcp_server.server) as session:
        result = await session.call_tool("echo-agentflow", {"question": "ship it?"})

    assert not result.is_error
    assert _text(result) == "The flow is waiting for a person to decide: Approve?"
    assert result.structured_content is not None
    request = result.structured_content["human_input_request"]
    stopped = recorded_body("predictions/human_input_stopped")
    assert (request["chatflow_id"], request["execution_id"]) == (AGENTFLOW, stopped["executionId"])
    assert request["kind"] == "human_input"
    assert len(_sent(flowise, PREDICTION)) == 1  # nothing was resumed


def _answering(*answers: ElicitResult) -> tuple[Any, list[ElicitRequestParams]]:
    """An elicitation callback giving ``answers`` in turn, and the forms it was shown."""
    shown: list[ElicitRequestParams] = []
    pending = list(answers)

    async def answer(context: Any, params: ElicitRequestParams) -> ElicitResult:
        shown.append(params)
        return pending.pop(0)

    return answer, shown


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("answer", "sent"),
    [
        (
            ElicitResult(action="accept", content={"decision": "proceed", "feedback": "ship it"}),
            {"type": "proceed", "feedback": "ship it"},
        ),
        (ElicitResult(action="accept", content={"decision": "reject"}), {"type": "reject"}),
        (ElicitResult(action="decline"), {"type": "reject"}),
    ],
)
async def test_the_hosts_user_decides_and_the_same_run_resumes(
    mcp_server: FlowiseMCPServer, flowise: MockFlowise, mode: str, answer: ElicitResult, sent: dict[str, Any]
) -> None:
    flowise.add(
        "POST",
        PREDICTION,
        recorded("predictions/human_input_stopped"),
        recorded("predictions/human_input_resumed"),
    )
    callback, shown = _answering(answer)

    async with Client(mcp_server.server, mode=mode, elicitation_callback=callback) as session:
        result = await session.call_tool("echo-agentflow", {"question": "ship it?"})

    assert not result.is_error
    assert _text(result) == "Approved"  # what the recorded resumed run answered
    (form,) = shown
    assert isinstance(form, ElicitRequestFormParams)
    assert form.message == "Approve?"
    assert form.requested_schema["properties"]["decision"]["enum"] == ["proceed", "reject"]
    _, resumed = _sent(flowise, PREDICTION)
    # The conversation the stopped run answered from (with a real server, the one first sent).
    assert resumed["chatId"] == recorded_body("predictions/human_input_stopped")["chatId"]
    assert resumed["humanInput"] == sent
    assert "question" not in resumed


@pytest.mark.parametrize("mode", MODES)
async def test_a_dismissed_form_leaves_the_run_waiting(
    mcp_server: FlowiseMCPServer, flowise: MockFlowise, mode: str
) -> None:
    flowise.add("POST", PREDICTION, recorded("predictions/human_input_stopped"))
    callback, _ = _answering(ElicitResult(action="cancel"))

    async with Client(mcp_server.server, mode=mode, elicitation_callback=callback) as session:
        result = await session.call_tool("echo-agentflow", {"question": "ship it?"})

    assert not result.is_error
    assert _text(result) == "The flow is waiting for a person to decide: Approve?"
    assert len(_sent(flowise, PREDICTION)) == 1


@pytest.mark.parametrize("mode", MODES)
async def test_a_decision_that_is_neither_is_an_error_and_the_run_still_waits(
    mcp_server: FlowiseMCPServer, flowise: MockFlowise, mode: str
) -> None:
    flowise.add("POST", PREDICTION, recorded("predictions/human_input_stopped"))
    callback, _ = _answering(ElicitResult(action="accept", content={"decision": "maybe"}))

    async with Client(mcp_server.server, mode=mode, elicitation_callback=callback) as session:
        result = await session.call_tool("echo-agentflow", {"question": "ship it?"})

    assert result.is_error
    assert _text(result).startswith(
        "The decision must be 'proceed' or 'reject', not 'maybe'; the flow still waits."
    )
    assert len(_sent(flowise, PREDICTION)) == 1


async def test_a_forged_request_state_is_refused(mcp_server: FlowiseMCPServer, flowise: MockFlowise) -> None:
    """A host cannot hand back a request of its own making to resume somebody else's run."""
    forged = json.dumps({"chatflow_id": AGENTFLOW, "chat_id": "someone-elses-chat", "message": "x"})
    decision: InputResponses = {DECISION_KEY: ElicitResult(action="accept", content={"decision": "proceed"})}

    async with Client(mcp_server.server) as session:
        with pytest.raises(MCPError) as caught:
            await session.session.call_tool(
                "echo-agentflow", {"question": "hi"}, request_state=forged, input_responses=decision
            )

    assert caught.value.code == INVALID_PARAMS
    assert "requestState" in caught.value.message
    assert _sent(flowise, PREDICTION) == []


@pytest.mark.parametrize("mode", MODES)
async def test_a_cancelled_call_aborts_the_flowise_run(
    mcp_server: FlowiseMCPServer, flowise: MockFlowise, mode: str
) -> None:
    running = anyio.Event()

    async def never_answers(request: httpx.Request) -> httpx.Response:
        running.set()
        await anyio.Event().wait()
        raise AssertionError("unreachable")

    flowise.add("POST", PREDICTION, never_answers)  # type: ignore[arg-type]
    aborted: list[str] = []

    def abort(request: httpx.Request) -> httpx.Response:
        aborted.append(request.url.path.rsplit("/", 1)[-1])
        return recorded("chat_messages/abort")

    async with Client(mcp_server.server, mode=mode) as session:
        async with anyio.create_task_group() as tasks:

            async def call() -> None:
                await session.call_tool("echo-agentflow", {"question": "long"})

            tasks.start_soon(call)
            await running.wait()
            sent_chat_id = _sent(flowise, PREDICTION)[0]["chatId"]
            flowise.add("PUT", f"chatmessage/abort/{AGENTFLOW}/{sent_chat_id}", abort)
            tasks.cancel_scope.cancel()
        with anyio.fail_after(5):
            while not aborted:
                await anyio.wait_all_tasks_blocked()

    assert aborted == [sent_chat_id]


def test_the_repr_shows_no_key(mcp_server: FlowiseMCPServer) -> None:
    assert API_KEY not in repr(mcp_server)
    assert repr(mcp_server).startswith("FlowiseMCPServer(name='flowise', client=")


def test_a_client_and_connection_settings_do_not_mix() -> None:
    with pytest.raises(ValueError, match="either client or base_url/api_key"):
        FlowiseMCPServer(AsyncFlowise("http://h"), api_key="k")


@pytest.fixture
async def store_server(flowise: MockFlowise) -> AsyncIterator[FlowiseMCPServer]:
    flowise.add("GET", "document-store/store", recorded("document_stores/list"))
    http = httpx.AsyncClient(transport=httpx.MockTransport(flowise.handle))
    client = AsyncFlowise("http://flowise.test", API_KEY, max_retries=0, http_client=http)
    async with client, FlowiseMCPServer(client, kinds=["agentflow"], document_stores=True) as server:
        yield server


async def test_document_stores_with_vectors_are_search_tools(
    store_server: FlowiseMCPServer, flowise: MockFlowise
) -> None:
    flowise.add("POST", "document-store/vectorstore/query", recorded("document_stores/query"))
    corpus = next(store for store in recorded_body("document_stores/list") if store["status"] == "UPSERTED")

    async with Client(store_server.server) as session:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        result = await session.call_tool("search_corpus", {"query": "Why is the sky blue?", "top_k": 2})

    assert sorted(tools) == ["echo-agentflow", "search_corpus"]  # the EMPTY store is not served
    assert tools["search_corpus"].input_schema["required"] == ["query"]
    assert tools["search_corpus"].annotations is not None
    assert tools["search_corpus"].annotations.read_only_hint is True
    (sent,) = _sent(flowise, "document-store/vectorstore/query")
    assert sent == {"storeId": corpus["id"], "query": "Why is the sky blue?", "inputs": {"topK": 2}}
    docs = recorded_body("document_stores/query")["docs"][:2]
    assert result.structured_content is not None
    assert [doc["page_content"] for doc in result.structured_content["docs"]] == [
        doc["pageContent"] for doc in docs
    ]
    assert _text(result).startswith(f"[1] {docs[0]['metadata']['source']}: {docs[0]['pageContent']}")


async def test_a_search_needs_a_query_and_a_sane_count(
    store_server: FlowiseMCPServer, flowise: MockFlowise
) -> None:
    async with Client(store_server.server) as session:
        await session.list_tools()
        missing = await session.call_tool("search_corpus", {})
        not_a_count = await session.call_tool("search_corpus", {"query": "sky", "top_k": "lots"})
        too_many = await session.call_tool("search_corpus", {"query": "sky", "top_k": 500})

    assert missing.is_error
    assert "query: Field required" in _text(missing)
    assert not_a_count.is_error
    assert "top_k: Input should be a valid integer" in _text(not_a_count)
    assert too_many.is_error
    assert "top_k: Input should be less than or equal to 20" in _text(too_many)
    assert _sent(flowise, "document-store/vectorstore/query") == []
