"""Credentials: secrets stay SecretStr, and redacted placeholders are never sent back.

The recorded credential is an ``openSearchUrl``: a URL (masked by ``get``), a plain ``user`` and a
``password`` (redacted).
"""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from flowise_integrations import AsyncFlowise, NotFoundError
from flowise_integrations._constants import REDACTED_CREDENTIAL_SENTINEL
from flowise_integrations.types.chatflows import DeleteResult
from flowise_integrations.types.credentials import Credential, CredentialDetail, is_redacted
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded, recorded_body

CREATED = recorded_body("credentials/create")
CRED_ID = CREATED["id"]
DETAIL = recorded_body("credentials/get")
MASKED_URL = DETAIL["plainDataObj"]["openSearchUrl"]
URL = "https://admin:hunter2@search:9200"
PASSWORD = "pw-recorded"


async def test_create_sends_plain_values_and_hides_the_ciphertext(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.add("POST", "credentials", recorded("credentials/create"))
    cred = await client.credentials.create(
        name="search",
        credential_name="openSearchUrl",
        data={"openSearchUrl": URL, "user": "admin", "password": SecretStr(PASSWORD)},
    )
    assert server.last.method == "POST"
    assert server.last_json() == {
        "name": "search",
        "credentialName": "openSearchUrl",
        "plainDataObj": {"openSearchUrl": URL, "user": "admin", "password": PASSWORD},
    }
    assert isinstance(cred, Credential)
    assert (cred.id, cred.name, cred.credential_name) == (CRED_ID, "search", "openSearchUrl")
    assert cred.encrypted_data is not None
    assert cred.encrypted_data.get_secret_value() == CREATED["encryptedData"]
    for text in (repr(cred), str(cred)):
        assert CREATED["encryptedData"] not in text


async def test_create_refuses_redacted_placeholders(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="password"):
        await client.credentials.create(
            name="copy", credential_name="openSearchUrl", data=DETAIL["plainDataObj"]
        )
    with pytest.raises(TypeError):
        await client.credentials.create(name="x", credential_name="openAIApi", data={"n": 1})  # type: ignore[dict-item]
    assert server.calls == []


async def test_list_filters_by_repeated_credential_name(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "credentials", recorded("credentials/list"))
    creds = await client.credentials.list(credential_name=["openSearchUrl", "openAIApi"])
    assert server.last.url.params.get_list("credentialName") == ["openSearchUrl", "openAIApi"]
    assert [(c.id, c.credential_name, c.shared) for c in creds] == [(CRED_ID, "openSearchUrl", None)]
    assert creds[0].encrypted_data is None

    shared = {**recorded_body("credentials/list")[0], "id": "shared-1", "shared": True}
    server.add("GET", "credentials", recorded("credentials/list", body=[shared]))
    assert [c.shared for c in await client.credentials.list(credential_name="openSearchUrl")] == [True]
    assert server.last.url.params.get_list("credentialName") == ["openSearchUrl"]
    await client.credentials.list()
    assert server.last.url.query == b""


async def test_get_keeps_values_secret_and_names_redacted_fields(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.add("GET", f"credentials/{CRED_ID}", recorded("credentials/get"))
    cred = await client.credentials.get(CRED_ID)
    assert server.last.url.raw_path == f"/api/v1/credentials/{CRED_ID}".encode()
    assert isinstance(cred, CredentialDetail)
    assert cred.credential_name == "openSearchUrl"
    assert sorted(cred.redacted_fields) == ["openSearchUrl", "password"]
    assert cred.plain_data["user"].get_secret_value() == "admin"
    assert cred.plain_data["password"].get_secret_value() == REDACTED_CREDENTIAL_SENTINEL
    assert (
        cred.plain_data["openSearchUrl"].get_secret_value()
        == "https://admin:\u2022\u2022\u2022\u2022\u2022\u2022@search:9200/"
    )
    for text in (repr(cred), str(cred), repr(cred.plain_data)):
        assert "admin" not in text
        assert REDACTED_CREDENTIAL_SENTINEL not in text


async def test_get_unknown_id_is_not_found(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "credentials/missing", recorded("errors/credential_not_found"))
    with pytest.raises(NotFoundError) as info:
        await client.credentials.get("missing")
    assert info.value.status_code == 500
    assert info.value.wrapped
    # Flowise names the wrong service in this message.
    assert info.value.operation == "credentialsService.createCredential"


async def test_reveal(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", f"credentials/{CRED_ID}/reveal", recorded("credentials/reveal"))
    data = await client.credentials.reveal(CRED_ID)
    assert server.last.url.raw_path == f"/api/v1/credentials/{CRED_ID}/reveal".encode()
    assert data.plain_data["openSearchUrl"].get_secret_value() == URL
    assert sorted(data.redacted_fields) == ["password", "user"]
    assert "hunter2" not in repr(data)


async def test_update_never_sends_placeholders_read_from_get(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.add("GET", f"credentials/{CRED_ID}", recorded("credentials/get"))
    server.add("PUT", f"credentials/{CRED_ID}", recorded("credentials/update"))
    cred = await client.credentials.get(CRED_ID)
    edited = {**cred.plain_data, "user": SecretStr("reader")}
    updated = await client.credentials.update(CRED_ID, name="search-renamed", data=edited)
    assert server.last.method == "PUT"
    assert server.last_json() == {"name": "search-renamed", "plainDataObj": {"user": "reader"}}
    raw = server.last.content.decode()
    assert REDACTED_CREDENTIAL_SENTINEL not in raw
    assert "\u2022" not in raw
    assert "\\u2022" not in raw
    assert updated.name == "search-renamed"
    assert updated.encrypted_data is not None
    assert updated.encrypted_data.get_secret_value() not in repr(updated)


async def test_update_with_only_placeholders_sends_no_data(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("PUT", f"credentials/{CRED_ID}", recorded("credentials/update"))
    await client.credentials.update(
        CRED_ID, credential_name="openSearchUrl", data={"password": SecretStr(REDACTED_CREDENTIAL_SENTINEL)}
    )
    assert server.last_json() == {"credentialName": "openSearchUrl"}


async def test_update_needs_a_field(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="nothing to update"):
        await client.credentials.update(CRED_ID)
    assert server.calls == []


async def test_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("DELETE", f"credentials/{CRED_ID}", recorded("credentials/delete"))
    result = await client.credentials.delete(CRED_ID)
    assert server.last.method == "DELETE"
    assert isinstance(result, DeleteResult)
    assert result.affected == 1


async def test_components(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "components-credentials", recorded("credentials/components"))
    components = await client.credentials.list_components()
    assert [c.name for c in components] == ["awsApi", "agentflowApi"]
    assert components[1].inputs[0]["type"] == "password"

    server.add("GET", "components-credentials/openSearchUrl", recorded("credentials/component"))
    one = await client.credentials.get_component("openSearchUrl")
    assert server.last.url.raw_path == b"/api/v1/components-credentials/openSearchUrl"
    assert (one.label, one.version) == ("OpenSearch", 2)
    assert [(i["name"], i["type"]) for i in one.inputs] == [
        ("openSearchUrl", "url"),
        ("user", "string"),
        ("password", "password"),
    ]

    server.add("GET", "components-credentials/nope", recorded("credentials/component_not_found"))
    with pytest.raises(NotFoundError):
        await client.credentials.get_component("nope")


def test_is_redacted() -> None:
    assert is_redacted(REDACTED_CREDENTIAL_SENTINEL)
    assert is_redacted(SecretStr(MASKED_URL))
    assert not is_redacted(URL)
