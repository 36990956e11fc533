"""ModelStandIn over real loopback HTTP: the OpenAI wire format, replies, recording and embeddings."""

from __future__ import annotations

import base64
import http.client
import json
import math
import socket
import struct
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from flowise_integrations.testing._model import ModelStandIn
from flowise_integrations.testing._process import HarnessError

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def standin() -> Iterator[ModelStandIn]:
    with ModelStandIn() as server:
        yield server


@pytest.fixture
def client(standin: ModelStandIn) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=standin.base_url, timeout=10.0, trust_env=False) as http:
        yield http


def chat_body(content: Any = "hello", **extra: Any) -> dict[str, Any]:
    return {"model": "gpt-test", "messages": [{"role": "user", "content": content}], **extra}


def sse_frames(raw: bytes) -> list[bytes]:
    """Split an event-stream body into frames, each still ending in its blank line."""
    assert raw.endswith(b"\n\n")
    return [frame + b"\n\n" for frame in raw[:-2].split(b"\n\n")]


def stream_chunks(client: httpx.Client, body: dict[str, Any]) -> tuple[httpx.Response, list[bytes]]:
    with client.stream("POST", "/chat/completions", json=body) as response:
        raw = response.read()
    return response, sse_frames(raw)


def port_is_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return False
    return True


def chunk_objects(frames: list[bytes]) -> list[dict[str, Any]]:
    return [json.loads(frame[len(b"data: ") :]) for frame in frames[:-1]]


def streamed_text(chunks: list[dict[str, Any]]) -> list[str]:
    return [
        c["choices"][0]["delta"]["content"]
        for c in chunks
        if c["choices"] and "content" in c["choices"][0]["delta"]
    ]


def embed(client: httpx.Client, texts: Any, **extra: Any) -> list[list[float]]:
    response = client.post("/embeddings", json={"model": "emb", "input": texts, **extra})
    assert response.status_code == 200, response.text
    return [item["embedding"] for item in response.json()["data"]]


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


# --------------------------------------------------------------------------------------------- lifecycle


def test_base_url_and_port(standin: ModelStandIn) -> None:
    assert standin.base_url == f"http://127.0.0.1:{standin.port}/v1"
    assert standin.port > 0


def test_starting_twice_is_an_error(standin: ModelStandIn) -> None:
    with pytest.raises(HarnessError, match="already running"):
        standin.start()
    assert standin.running


def test_port_before_start_is_an_error() -> None:
    with pytest.raises(HarnessError, match="not running"):
        _ = ModelStandIn().port


def test_stop_closes_listener_and_idle_keepalive_connections() -> None:
    server = ModelStandIn().start()
    port = server.port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/v1/models")
        response = conn.getresponse()
        response.read()
        assert response.status == 200
        assert conn.sock is not None
        server.stop()
        assert conn.sock.recv(1) == b""  # the server closed the idle keep-alive connection
    finally:
        conn.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    server.stop()  # a second stop is harmless


def test_keep_alive_across_json_and_streamed_responses(standin: ModelStandIn) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", standin.port, timeout=10)
    try:
        for body in (chat_body("one"), chat_body("two", stream=True), chat_body("three")):
            conn.request("POST", "/v1/chat/completions", body=json.dumps(body))
            sock = conn.sock
            response = conn.getresponse()
            response.read()
            assert response.status == 200
            assert not response.will_close
            assert conn.sock is sock
    finally:
        conn.close()


def test_stop_ends_a_stream_in_progress() -> None:
    server = ModelStandIn(token_delay=0.05).start()
    server.script(" ".join(["word"] * 200))
    port = server.port
    url = f"{server.base_url}/chat/completions"
    try:
        with (
            httpx.Client(trust_env=False, timeout=10) as http,
            http.stream("POST", url, json=chat_body(stream=True)) as response,
        ):
            frames = response.iter_bytes()
            assert next(frames).startswith(b"data: ")
            server.stop()
            with pytest.raises(httpx.TransportError):
                for _ in frames:
                    pass
    finally:
        server.stop()
    assert not port_is_open(port)


def test_client_hanging_up_mid_stream_does_not_break_the_server() -> None:
    with ModelStandIn(token_delay=0.01) as server, httpx.Client(trust_env=False, timeout=10) as http:
        server.script(" ".join(["word"] * 100))
        with http.stream("POST", f"{server.base_url}/chat/completions", json=chat_body(stream=True)) as r:
            assert next(r.iter_bytes()).startswith(b"data: ")
        # leaving the block closes the connection with most of the stream unsent
        after = http.post(f"{server.base_url}/chat/completions", json=chat_body("still here"))
    assert after.json()["choices"][0]["message"]["content"] == "FAKE: still here"


def test_chunked_request_bodies_are_read(client: httpx.Client) -> None:
    def body() -> Iterator[bytes]:
        yield b'{"model": "m", "messages": [{"role": "user", '
        yield b'"content": "in pieces"}]}'

    response = client.post("/chat/completions", content=body(), headers={"content-type": "application/json"})
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert response.json()["choices"][0]["message"]["content"] == "FAKE: in pieces"


def test_malformed_content_length_is_400_and_closes(standin: ModelStandIn) -> None:
    with socket.create_connection(("127.0.0.1", standin.port), timeout=5) as conn:
        conn.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    head, _, payload = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert json.loads(payload)["error"]["type"] == "invalid_request_error"


# --------------------------------------------------------------------------------------------- chat


def test_non_streaming_completion_shape(client: httpx.Client) -> None:
    response = client.post("/chat/completions", json=chat_body("hello world"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["content-length"]) == len(response.content)
    body = response.json()
    assert body["object"] == "chat.completion"
    assert body["id"].startswith("chatcmpl-")
    assert isinstance(body["created"], int)
    assert body["model"] == "gpt-test"
    (choice,) = body["choices"]
    assert choice["index"] == 0
    assert choice["message"]["role"] == "assistant"
    assert choice["message"]["content"] == "FAKE: hello world"
    assert choice["finish_reason"] == "stop"
    usage = body["usage"]
    assert usage["completion_tokens"] == 3
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_streaming_frames(client: httpx.Client) -> None:
    response, frames = stream_chunks(client, chat_body("stream chain", stream=True))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["transfer-encoding"] == "chunked"
    for frame in frames:
        assert frame.startswith(b"data: ")
        assert frame.endswith(b"\n\n")
        assert b"\n" not in frame[:-2]
    assert frames[-1] == b"data: [DONE]\n\n"
    chunks = chunk_objects(frames)
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    assert len({c["id"] for c in chunks}) == 1
    assert all(c["model"] == "gpt-test" for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert streamed_text(chunks)[1:] == ["FAKE:", " stream", " chain"]
    assert [c["choices"][0]["finish_reason"] for c in chunks] == [None, None, None, None, "stop"]
    assert all("usage" not in c for c in chunks)


def test_streaming_include_usage(client: httpx.Client) -> None:
    body = chat_body("count me", stream=True, stream_options={"include_usage": True})
    _, frames = stream_chunks(client, body)
    chunks = chunk_objects(frames)
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    last = chunks[-1]
    assert last["choices"] == []
    assert last["usage"]["completion_tokens"] == 3
    assert last["usage"]["total_tokens"] == last["usage"]["prompt_tokens"] + 3
    assert all(c["usage"] is None for c in chunks[:-1])


def test_list_content_parts_are_joined(client: httpx.Client) -> None:
    parts = [
        {"type": "text", "text": "describe"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
        {"type": "text", "text": "this"},
    ]
    response = client.post("/chat/completions", json=chat_body(parts))
    assert response.json()["choices"][0]["message"]["content"] == "FAKE: describe this"


def test_default_reply_uses_last_user_message(client: httpx.Client) -> None:
    messages = [
        {"role": "system", "content": "be terse"},
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "FAKE: first"},
        {"role": "user", "content": "second"},
    ]
    response = client.post("/chat/completions", json={"model": "m", "messages": messages})
    assert response.json()["choices"][0]["message"]["content"] == "FAKE: second"


def test_scripted_replies_first_in_first_out(standin: ModelStandIn, client: httpx.Client) -> None:
    standin.script("one", "two words")
    first = client.post("/chat/completions", json=chat_body("a")).json()
    _, frames = stream_chunks(client, chat_body("b", stream=True))
    third = client.post("/chat/completions", json=chat_body("c")).json()
    assert first["choices"][0]["message"]["content"] == "one"
    assert "".join(streamed_text(chunk_objects(frames))) == "two words"
    assert third["choices"][0]["message"]["content"] == "FAKE: c"


def test_custom_reply_callable_sees_the_messages() -> None:
    seen: list[list[dict[str, Any]]] = []

    def reply(messages: list[dict[str, Any]]) -> str:
        seen.append(messages)
        return f"{len(messages)} messages, last by {messages[-1]['role']}"

    messages = [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]
    with ModelStandIn(reply=reply) as server, httpx.Client(trust_env=False) as http:
        body = http.post(
            f"{server.base_url}/chat/completions", json={"model": "m", "messages": messages}
        ).json()
    assert body["choices"][0]["message"]["content"] == "2 messages, last by user"
    assert seen == [messages]


def test_reply_callable_error_is_a_500_in_openai_shape() -> None:
    def reply(messages: list[dict[str, Any]]) -> str:
        raise RuntimeError("boom")

    with ModelStandIn(reply=reply) as server, httpx.Client(trust_env=False) as http:
        response = http.post(f"{server.base_url}/chat/completions", json=chat_body())
    assert response.status_code == 500
    assert "boom" in response.json()["error"]["message"]


def test_token_delay_is_kept_and_stream_still_completes() -> None:
    with ModelStandIn(token_delay=0.001) as server, httpx.Client(trust_env=False) as http:
        assert server.token_delay == 0.001
        with http.stream(
            "POST", f"{server.base_url}/chat/completions", json=chat_body("a b", stream=True)
        ) as r:
            frames = sse_frames(r.read())
    assert "".join(streamed_text(chunk_objects(frames))) == "FAKE: a b"


def test_negative_token_delay_is_rejected() -> None:
    with pytest.raises(ValueError, match="token_delay"):
        ModelStandIn(token_delay=-1)


def test_requests_are_recorded_and_reset(standin: ModelStandIn, client: httpx.Client) -> None:
    history = [
        {"role": "user", "content": "my name is Ada"},
        {"role": "assistant", "content": "FAKE: my name is Ada"},
        {"role": "user", "content": "what is my name?"},
    ]
    client.post("/chat/completions", json={"model": "m", "messages": history})
    client.post("/embeddings", json={"model": "e", "input": "x"})
    client.get("/models")
    recorded = standin.requests
    assert [path for path, _ in recorded] == ["/v1/chat/completions", "/v1/embeddings", "/v1/models"]
    assert recorded[2][1] is None
    assert standin.chat_requests() == [{"model": "m", "messages": history}]
    recorded.clear()
    standin.chat_requests()[0]["messages"].clear()
    assert len(standin.requests) == 3  # callers get copies
    assert standin.chat_requests()[0]["messages"] == history
    standin.script("unused")
    standin.reset()
    assert standin.requests == []
    reply = client.post("/chat/completions", json=chat_body("after reset")).json()
    assert reply["choices"][0]["message"]["content"] == "FAKE: after reset"


# --------------------------------------------------------------------------------------------- embeddings


def test_embeddings_shape_and_normalisation(client: httpx.Client) -> None:
    response = client.post("/embeddings", json={"model": "emb", "input": ["blue sky", "red sea", ""]})
    body = response.json()
    assert body["object"] == "list"
    assert body["model"] == "emb"
    assert [item["index"] for item in body["data"]] == [0, 1, 2]
    assert {item["object"] for item in body["data"]} == {"embedding"}
    assert body["usage"] == {"prompt_tokens": 4, "total_tokens": 4}
    vectors = [item["embedding"] for item in body["data"]]
    assert all(len(v) == 256 for v in vectors)
    assert all(math.isclose(math.sqrt(sum(x * x for x in v)), 1.0) for v in vectors)
    assert vectors[0] != vectors[1]


def test_embeddings_are_deterministic_and_accept_a_single_string(client: httpx.Client) -> None:
    (one,) = embed(client, "Volcanoes erupt lava.")
    (two,) = embed(client, ["volcanoes ERUPT lava"])
    assert one == two


def test_embeddings_accept_token_id_lists(client: httpx.Client) -> None:
    from_lists = embed(client, [[101, 7592], [2088]])
    from_flat = embed(client, [101, 7592])
    assert len(from_lists) == 2
    assert from_flat[0] == from_lists[0] == embed(client, "101 7592")[0]


def test_embeddings_base64_decodes_to_the_float_vector(client: httpx.Client) -> None:
    text = "Photosynthesis turns sunlight into sugar."
    (floats,) = embed(client, text)
    (encoded,) = embed(client, text, encoding_format="base64")
    assert isinstance(encoded, str)
    raw = base64.b64decode(encoded)
    decoded = struct.unpack(f"<{len(raw) // 4}f", raw)
    assert len(decoded) == 256
    assert all(math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-7) for a, b in zip(decoded, floats, strict=True))


def test_embeddings_dimensions(client: httpx.Client) -> None:
    (vector,) = embed(client, "a short text", dimensions=32)
    assert len(vector) == 32
    assert math.isclose(math.sqrt(sum(x * x for x in vector)), 1.0)


CORPUS = {
    "sky": (
        "The sky looks blue because air molecules scatter short blue wavelengths of sunlight: "
        "Rayleigh scattering."
    ),
    "photosynthesis": (
        "Photosynthesis lets green plants turn sunlight, water and carbon dioxide into sugar and oxygen."
    ),
    "volcanoes": (
        "Volcanoes erupt when molten rock, called magma, rises through the crust and escapes as lava and ash."
    ),
    "revolution": (
        "The French Revolution began in 1789, overthrew the monarchy and executed King Louis XVI in Paris."
    ),
    "python": (
        "Python is a programming language with readable syntax, dynamic typing and a large standard library."
    ),
}


@pytest.mark.parametrize(
    ("query", "topic"),
    [
        ("Why is the sky blue?", "sky"),
        ("How do plants make sugar from sunlight?", "photosynthesis"),
        ("What happens when a volcano erupts?", "volcanoes"),
        ("When did the French monarchy fall?", "revolution"),
        ("Which programming language has readable syntax?", "python"),
    ],
)
def test_embeddings_rank_the_topical_chunk_first(client: httpx.Client, query: str, topic: str) -> None:
    documents = embed(client, list(CORPUS.values()))
    (query_vector,) = embed(client, query)
    scores = {name: cosine(query_vector, vector) for name, vector in zip(CORPUS, documents, strict=True)}
    assert max(scores, key=scores.__getitem__) == topic, scores


# --------------------------------------------------------------------------------------------- other routes


def test_models_list(client: httpx.Client) -> None:
    body = client.get("/models").json()
    assert body["object"] == "list"
    (model,) = body["data"]
    assert model["id"] == "fake-model"
    assert model["object"] == "model"
    assert model["owned_by"] == "flowise-integrations"
    assert isinstance(model["created"], int)


def test_model_name_is_configurable() -> None:
    with ModelStandIn(model="other") as server, httpx.Client(trust_env=False) as http:
        assert http.get(f"{server.base_url}/models").json()["data"][0]["id"] == "other"
        body = http.post(
            f"{server.base_url}/chat/completions", json={"messages": [{"role": "user", "content": "x"}]}
        )
    assert body.json()["model"] == "other"


def assert_openai_error(response: httpx.Response, status: int) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["message"]
    assert error["type"] == "invalid_request_error"
    assert error["param"] is None
    assert error["code"] is None


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"[1, 2]",
        json.dumps({"model": "m"}).encode(),
        json.dumps(chat_body() | {"messages": []}).encode(),
    ],
    ids=["bad-json", "not-an-object", "missing-messages", "empty-messages"],
)
def test_bad_chat_requests_are_400(client: httpx.Client, content: bytes) -> None:
    response = client.post("/chat/completions", content=content, headers={"content-type": "application/json"})
    assert_openai_error(response, 400)


@pytest.mark.parametrize(
    "body",
    [{"input": None}, {"input": []}, {"input": ["ok", 3]}, {"input": "x", "dimensions": 0}],
    ids=["no-input", "empty-list", "mixed-list", "zero-dimensions"],
)
def test_bad_embedding_requests_are_400(client: httpx.Client, body: dict[str, Any]) -> None:
    assert_openai_error(client.post("/embeddings", json=body), 400)


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/nope"), ("POST", "/completions"), ("GET", "/chat/completions")]
)
def test_unknown_routes_are_404(client: httpx.Client, method: str, path: str) -> None:
    assert_openai_error(client.request(method, path, json={} if method == "POST" else None), 404)
