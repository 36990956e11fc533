"""Credentials: secrets stay SecretStr, and redacted placeholders are never sent back."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from flowise_integrations import AsyncFlowise, NotFoundError
from flowise_integrations._constants import REDACTED_CREDENTIAL_SENTINEL
from flowise_integrations.types.chatflows import DeleteResult
from flowise_integrations.types.credentials import Credential, CredentialDetail, is_redacted
from tests.unit.mock_flowise import MockFlowise

CRED_ID = "7c1d2e3f-0000-4000-8000-00000000c0de"
SECRET = "sk-live-very-secret-123"
CIPHERTEXT = "U2FsdGVkX1+ciphertext=="
MASKED_URL = "redis://user:\u2022\u2022\u2022\u2022\u2022\u2022@cache:6379"
STORED = {
    "id": CRED_ID,
    "name": "openai",
    "credentialName": "openAIApi",
    "createdDate": "2026-01-02T03:04:05.000Z",
    "updatedDate": "2026-01-02T03:04:05.000Z",
    "workspaceId": "ws-1",
}
DETAIL = {
    **STORED,
    "plainDataObj": {
        "openAIApiKey": REDACTED_CREDENTIAL_SENTINEL,
        "redisUrl": MASKED_URL,
        "organization": "org-plaintext-42",
    },
}


def wrapped_500(message: str) -> dict[str, object]:
    return {"statusCode": 500, "success": False, "message": message, "stack": {}}


async def test_create_sends_plain_values_and_hides_the_ciphertext(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.json("POST", "credentials", {**STORED, "encryptedData": CIPHERTEXT})
    cred = await client.credentials.create(
        name="openai", credential_name="openAIApi", data={"openAIApiKey": SecretStr(SECRET), "org": "o-1"}
    )
    assert server.last.method == "POST"
    assert server.last_json() == {
        "name": "openai",
        "credentialName": "openAIApi",
        "plainDataObj": {"openAIApiKey": SECRET, "org": "o-1"},
    }
    assert isinstance(cred, Credential)
    assert cred.encrypted_data is not None
    assert cred.encrypted_data.get_secret_value() == CIPHERTEXT
    for text in (repr(cred), str(cred)):
        assert CIPHERTEXT not in text
        assert SECRET not in text


async def test_create_refuses_redacted_placeholders(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="openAIApiKey"):
        await client.credentials.create(
            name="copy", credential_name="openAIApi", data={"openAIApiKey": REDACTED_CREDENTIAL_SENTINEL}
        )
    with pytest.raises(TypeError):
        await client.credentials.create(name="x", credential_name="openAIApi", data={"n": 1})  # type: ignore[dict-item]
    assert server.calls == []


async def test_list_filters_by_repeated_credential_name(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", "credentials", [STORED, {**STORED, "id": "shared-1", "shared": True}])
    creds = await client.credentials.list(credential_name=["openAIApi", "anthropicApi"])
    assert server.last.url.params.get_list("credentialName") == ["openAIApi", "anthropicApi"]
    assert [c.shared for c in creds] == [None, True]
    assert creds[0].encrypted_data is None

    await client.credentials.list(credential_name="openAIApi")
    assert server.last.url.params.get_list("credentialName") == ["openAIApi"]
    await client.credentials.list()
    assert server.last.url.query == b""


async def test_get_keeps_values_secret_and_names_redacted_fields(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.json("GET", f"credentials/{CRED_ID}", DETAIL)
    cred = await client.credentials.get(CRED_ID)
    assert server.last.url.raw_path == f"/api/v1/credentials/{CRED_ID}".encode()
    assert isinstance(cred, CredentialDetail)
    assert cred.credential_name == "openAIApi"
    assert sorted(cred.redacted_fields) == ["openAIApiKey", "redisUrl"]
    assert cred.plain_data["organization"].get_secret_value() == "org-plaintext-42"
    for text in (repr(cred), str(cred), repr(cred.plain_data)):
        assert "org-plaintext-42" not in text
        assert REDACTED_CREDENTIAL_SENTINEL not in text


async def test_get_unknown_id_is_not_found(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json(
        "GET",
        "credentials/missing",
        wrapped_500("Error: credentialsService.createCredential - Credential missing not found"),
        500,
    )
    with pytest.raises(NotFoundError) as info:
        await client.credentials.get("missing")
    assert info.value.status_code == 500
    assert info.value.wrapped


async def test_reveal(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json(
        "GET",
        f"credentials/{CRED_ID}/reveal",
        {
            "plainDataObj": {
                "redisUrl": "redis://user:pw@cache:6379",
                "openAIApiKey": REDACTED_CREDENTIAL_SENTINEL,
            }
        },
    )
    data = await client.credentials.reveal(CRED_ID)
    assert server.last.url.raw_path == f"/api/v1/credentials/{CRED_ID}/reveal".encode()
    assert data.plain_data["redisUrl"].get_secret_value() == "redis://user:pw@cache:6379"
    assert data.redacted_fields == ["openAIApiKey"]
    assert "pw@" not in repr(data)


async def test_update_never_sends_placeholders_read_from_get(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.json("GET", f"credentials/{CRED_ID}", DETAIL)
    server.json("PUT", f"credentials/{CRED_ID}", {**STORED, "encryptedData": CIPHERTEXT})
    cred = await client.credentials.get(CRED_ID)
    edited = {**cred.plain_data, "organization": SecretStr("org-new")}
    updated = await client.credentials.update(CRED_ID, name="renamed", data=edited)
    assert server.last.method == "PUT"
    assert server.last_json() == {"name": "renamed", "plainDataObj": {"organization": "org-new"}}
    raw = server.last.content.decode()
    assert REDACTED_CREDENTIAL_SENTINEL not in raw
    assert "\u2022" not in raw
    assert "\\u2022" not in raw
    assert CIPHERTEXT not in repr(updated)


async def test_update_with_only_placeholders_sends_no_data(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("PUT", f"credentials/{CRED_ID}", STORED)
    await client.credentials.update(
        CRED_ID, credential_name="openAIApi", data={"openAIApiKey": SecretStr(REDACTED_CREDENTIAL_SENTINEL)}
    )
    assert server.last_json() == {"credentialName": "openAIApi"}


async def test_update_needs_a_field(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="nothing to update"):
        await client.credentials.update(CRED_ID)
    assert server.calls == []


async def test_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("DELETE", f"credentials/{CRED_ID}", {"raw": [], "affected": 1})
    result = await client.credentials.delete(CRED_ID)
    assert server.last.method == "DELETE"
    assert isinstance(result, DeleteResult)
    assert result.affected == 1


async def test_components(client: AsyncFlowise, server: MockFlowise) -> None:
    component = {
        "label": "OpenAI API",
        "name": "openAIApi",
        "version": 1,
        "inputs": [{"label": "OpenAI Api Key", "name": "openAIApiKey", "type": "password"}],
    }
    server.json("GET", "components-credentials", [component])
    components = await client.credentials.list_components()
    assert [c.name for c in components] == ["openAIApi"]
    assert components[0].inputs[0]["type"] == "password"

    server.json("GET", "components-credentials/openAIApi", component)
    one = await client.credentials.get_component("openAIApi")
    assert server.last.url.raw_path == b"/api/v1/components-credentials/openAIApi"
    assert one.label == "OpenAI API"
    assert one.version == 1

    message = (
        "Error: componentsCredentialsService.getSingleComponentsCredential - Error: "
        "componentsCredentialsService.getSingleComponentsCredential - Credential nope not found"
    )
    server.json("GET", "components-credentials/nope", wrapped_500(message), 500)
    with pytest.raises(NotFoundError):
        await client.credentials.get_component("nope")


def test_is_redacted() -> None:
    assert is_redacted(REDACTED_CREDENTIAL_SENTINEL)
    assert is_redacted(SecretStr(MASKED_URL))
    assert not is_redacted("redis://cache:6379")
