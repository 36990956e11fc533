"""``client.credentials`` against a real Flowise: CRUD, redaction, reveal, and credential types."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Generator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from flowise_integrations import AsyncFlowise, NotFoundError
from flowise_integrations._constants import REDACTED_CREDENTIAL_SENTINEL
from flowise_integrations.testing.flows import CONVERSATION_NODES, conversation_flow
from flowise_integrations.types import Credential
from flowise_integrations.types.credentials import URL_PASSWORD_MASK

COUCHBASE_URL = "couchbase://reader:{password}@db.example.com:8091"


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class KeyRecorder:
    """An OpenAI-compatible chat endpoint that records the ``Authorization`` header of each call.

    Flowise sends a credential's API key only to the model provider, so this is where the stored
    value of a password-type field can be observed.
    """

    def __init__(self) -> None:
        self.authorizations: list[str | None] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                recorder.authorizations.append(self.headers.get("Authorization"))
                body = json.dumps(
                    {
                        "id": "chatcmpl-recorder",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": "recorder",
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": "recorded"},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def key_recorder() -> Generator[KeyRecorder, None, None]:
    recorder = KeyRecorder()
    yield recorder
    recorder.close()


@pytest.fixture
async def openai_credential(async_flowise_client: AsyncFlowise) -> AsyncIterator[tuple[Credential, str]]:
    """A fresh ``openAIApi`` credential and its secret key."""
    secret = f"sk-secret-{uuid.uuid4().hex}"
    created = await async_flowise_client.credentials.create(
        name=_name("openai-cred"), credential_name="openAIApi", data={"openAIApiKey": secret}
    )
    yield created, secret
    await async_flowise_client.credentials.delete(created.id)


class Couchbase:
    """A ``couchbaseApi`` credential (url + string + password fields) and the values it stores."""

    def __init__(self, credential: Credential, url_password: str, username: str) -> None:
        self.credential = credential
        self.url = COUCHBASE_URL.format(password=url_password)
        self.masked_url = COUCHBASE_URL.format(password=URL_PASSWORD_MASK)
        self.username = username


@pytest.fixture
async def couchbase_credential(async_flowise_client: AsyncFlowise) -> AsyncIterator[Couchbase]:
    url_password = f"url-pass-{uuid.uuid4().hex[:8]}"
    username = f"user-{uuid.uuid4().hex[:8]}"
    created = await async_flowise_client.credentials.create(
        name=_name("couchbase-cred"),
        credential_name="couchbaseApi",
        data={
            "connectionString": COUCHBASE_URL.format(password=url_password),
            "username": username,
            "password": f"pw-{uuid.uuid4().hex}",
        },
    )
    yield Couchbase(created, url_password, username)
    await async_flowise_client.credentials.delete(created.id)


def _plain(data: dict[str, Any]) -> dict[str, str]:
    return {key: value.get_secret_value() for key, value in data.items()}


async def test_create_get_and_delete_keep_the_secret_out_of_models(
    async_flowise_client: AsyncFlowise,
) -> None:
    secret = f"sk-secret-{uuid.uuid4().hex}"
    name = _name("openai-cred")
    created = await async_flowise_client.credentials.create(
        name=name, credential_name="openAIApi", data={"openAIApiKey": secret}
    )
    try:
        assert created.name == name
        assert created.credential_name == "openAIApi"
        assert created.encrypted_data is not None
        assert secret not in created.encrypted_data.get_secret_value()
        assert secret not in repr(created)
        assert secret not in str(created)

        detail = await async_flowise_client.credentials.get(created.id)
        assert detail.id == created.id
        assert detail.name == name
        assert detail.credential_name == "openAIApi"
        assert detail.encrypted_data is None
        assert detail.redacted_fields == ["openAIApiKey"]
        assert detail.plain_data["openAIApiKey"].get_secret_value() == REDACTED_CREDENTIAL_SENTINEL
        for text in (repr(detail), str(detail), detail.model_dump_json()):
            assert secret not in text
            assert REDACTED_CREDENTIAL_SENTINEL not in text

        revealed = await async_flowise_client.credentials.reveal(created.id)
        assert revealed.redacted_fields == ["openAIApiKey"]
        assert revealed.plain_data["openAIApiKey"].get_secret_value() == REDACTED_CREDENTIAL_SENTINEL
    finally:
        deleted = await async_flowise_client.credentials.delete(created.id)
    assert deleted.affected == 1
    with pytest.raises(NotFoundError) as info:
        await async_flowise_client.credentials.get(created.id)
    assert info.value.status_code == 500
    assert f"Credential {created.id} not found" in info.value.message
    with pytest.raises(NotFoundError):
        await async_flowise_client.credentials.reveal(created.id)
    assert (await async_flowise_client.credentials.delete(created.id)).affected == 0


async def test_list_filters_by_one_or_several_credential_names(
    async_flowise_client: AsyncFlowise,
    openai_credential: tuple[Credential, str],
    couchbase_credential: Couchbase,
) -> None:
    openai, secret = openai_credential
    couchbase = couchbase_credential.credential

    everything = await async_flowise_client.credentials.list()
    assert {openai.id, couchbase.id} <= {credential.id for credential in everything}
    assert all(credential.encrypted_data is None for credential in everything)

    only_openai = await async_flowise_client.credentials.list(credential_name="openAIApi")
    assert openai.id in {credential.id for credential in only_openai}
    assert {credential.credential_name for credential in only_openai} == {"openAIApi"}

    both = await async_flowise_client.credentials.list(credential_name=["openAIApi", "couchbaseApi"])
    assert {openai.id, couchbase.id} <= {credential.id for credential in both}
    assert {credential.credential_name for credential in both} == {"openAIApi", "couchbaseApi"}

    listed = next(credential for credential in both if credential.id == openai.id)
    assert listed.name == openai.name
    assert secret not in repr(both)
    assert couchbase_credential.url not in repr(both)


async def test_get_masks_url_passwords_and_reveal_unmasks_only_urls(
    async_flowise_client: AsyncFlowise, couchbase_credential: Couchbase
) -> None:
    couchbase = couchbase_credential

    detail = await async_flowise_client.credentials.get(couchbase.credential.id)
    values = _plain(detail.plain_data)
    assert values["connectionString"] == couchbase.masked_url
    assert values["username"] == couchbase.username
    assert values["password"] == REDACTED_CREDENTIAL_SENTINEL
    assert sorted(detail.redacted_fields) == ["connectionString", "password"]
    assert couchbase.username not in repr(detail)
    assert couchbase.username not in str(detail)

    revealed = await async_flowise_client.credentials.reveal(couchbase.credential.id)
    revealed_values = _plain(revealed.plain_data)
    assert revealed_values["connectionString"] == couchbase.url
    assert couchbase.url not in repr(revealed)
    # reveal() unmasks URL fields only: plain string fields come back as the sentinel too.
    assert revealed_values["username"] == REDACTED_CREDENTIAL_SENTINEL
    assert revealed_values["password"] == REDACTED_CREDENTIAL_SENTINEL
    assert sorted(revealed.redacted_fields) == ["password", "username"]


async def test_update_with_values_read_back_keeps_the_masked_url(
    async_flowise_client: AsyncFlowise, couchbase_credential: Couchbase
) -> None:
    couchbase = couchbase_credential.credential
    url = couchbase_credential.url
    detail = await async_flowise_client.credentials.get(couchbase.id)
    assert detail.plain_data["connectionString"].get_secret_value() == couchbase_credential.masked_url
    new_name = _name("renamed-couchbase")

    updated = await async_flowise_client.credentials.update(
        couchbase.id, name=new_name, data=detail.plain_data
    )
    assert updated.id == couchbase.id
    assert updated.name == new_name
    assert updated.credential_name == "couchbaseApi"

    # The masked URL was not sent back: the stored URL still holds its real password.
    revealed = await async_flowise_client.credentials.reveal(couchbase.id)
    assert revealed.plain_data["connectionString"].get_secret_value() == url

    # An update merges: the changed field is replaced, the others are kept.
    await async_flowise_client.credentials.update(couchbase.id, data={"username": "carol"})
    after = await async_flowise_client.credentials.get(couchbase.id)
    assert after.name == new_name
    assert after.plain_data["username"].get_secret_value() == "carol"
    assert (await async_flowise_client.credentials.reveal(couchbase.id)).plain_data[
        "connectionString"
    ].get_secret_value() == url


async def _credential_chatflow_graph(
    client: AsyncFlowise, *, model_base_url: str, credential_id: str
) -> dict[str, Any]:
    """ConversationChain whose chatOpenAI takes its key from the stored credential."""
    defs = {name: (await client.nodes.get(name)).to_wire() for name in CONVERSATION_NODES}
    graph = conversation_flow(
        defs, model_base_url=model_base_url, model_inputs={"streaming": False}, credential=credential_id
    )
    return graph.to_flow_data()


async def test_update_with_values_read_back_keeps_the_stored_password(
    async_flowise_client: AsyncFlowise,
    openai_credential: tuple[Credential, str],
    key_recorder: KeyRecorder,
) -> None:
    """The stored key is observed where Flowise uses it: the model call of a flow using the credential."""
    credential, secret = openai_credential
    graph = await _credential_chatflow_graph(
        async_flowise_client, model_base_url=key_recorder.base_url, credential_id=credential.id
    )
    chatflow = await async_flowise_client.chatflows.create(
        name=_name("credential-flow"), flow_data=graph, type="CHATFLOW"
    )
    try:
        first = await async_flowise_client.predictions.create(chatflow.id, "hello", chat_id=_name("chat"))
        assert first.text == "recorded"
        assert key_recorder.authorizations == [f"Bearer {secret}"]

        detail = await async_flowise_client.credentials.get(credential.id)
        assert detail.redacted_fields == ["openAIApiKey"]
        new_name = _name("renamed-openai")
        updated = await async_flowise_client.credentials.update(
            credential.id, name=new_name, data=detail.plain_data
        )
        assert updated.name == new_name
        assert (await async_flowise_client.credentials.get(credential.id)).name == new_name

        await async_flowise_client.predictions.create(chatflow.id, "hello again", chat_id=_name("chat"))
        assert key_recorder.authorizations[-1] == f"Bearer {secret}"

        replacement = f"sk-secret-{uuid.uuid4().hex}"
        await async_flowise_client.credentials.update(credential.id, data={"openAIApiKey": replacement})
        await async_flowise_client.predictions.create(chatflow.id, "third", chat_id=_name("chat"))
        assert key_recorder.authorizations[-1] == f"Bearer {replacement}"
        assert REDACTED_CREDENTIAL_SENTINEL not in "".join(filter(None, key_recorder.authorizations))
    finally:
        with contextlib.suppress(NotFoundError):
            await async_flowise_client.chatflows.delete(chatflow.id)


async def test_update_of_unknown_credential_is_not_found(async_flowise_client: AsyncFlowise) -> None:
    unknown = str(uuid.uuid4())
    with pytest.raises(NotFoundError) as info:
        await async_flowise_client.credentials.update(unknown, name=_name("ghost"))
    assert info.value.status_code == 500
    assert f"Credential {unknown} not found" in info.value.message


async def test_credential_components(async_flowise_client: AsyncFlowise) -> None:
    components = await async_flowise_client.credentials.list_components()
    names = {component.name for component in components}
    assert {"openAIApi", "couchbaseApi"} <= names
    assert len(names) == len(components)

    openai = await async_flowise_client.credentials.get_component("openAIApi")
    assert openai.name == "openAIApi"
    assert openai.label == "OpenAI API"
    assert [(field["name"], field["type"]) for field in openai.inputs] == [("openAIApiKey", "password")]

    couchbase = await async_flowise_client.credentials.get_component("couchbaseApi")
    assert {field["name"]: field["type"] for field in couchbase.inputs} == {
        "connectionString": "url",
        "username": "string",
        "password": "password",
    }

    with pytest.raises(NotFoundError) as info:
        await async_flowise_client.credentials.get_component("noSuchCredential" + uuid.uuid4().hex[:6])
    assert info.value.status_code == 500
    assert "not found" in info.value.message
