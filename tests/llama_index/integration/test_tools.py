"""Agent tools against a real Flowise: flows as FunctionTools, custom tools run on the server,
and the FlowiseToolSpec over the prediction and admin API."""

from __future__ import annotations

import uuid

import pytest

from flowise_integrations import AsyncFlowise, Flowise
from flowise_integrations.llama_index import (
    FlowiseRetriever,
    FlowiseToolSpec,
    atools_from_server,
    chatflow_tool,
    custom_tool,
    tools_from_server,
)
from flowise_integrations.testing import LocalStack, flows
from flowise_integrations.types import Chatflow, Tool

pytestmark = pytest.mark.integration


async def test_chatflow_function_tool_with_real_arguments(
    flowise_client: Flowise, async_flowise_client: AsyncFlowise, echo_agentflow: Chatflow
) -> None:
    tool = chatflow_tool(echo_agentflow, client=flowise_client, async_client=async_flowise_client)

    assert tool.metadata.name == echo_agentflow.name
    assert tool.metadata.get_parameters_dict()["required"] == ["question"]
    assert tool.call(question="hello from a tool").content == "Echo: hello from a tool"
    assert (await tool.acall(question="async hello")).content == "Echo: async hello"


def test_chatflow_tool_by_id_on_a_rag_flow(flowise_client: Flowise, retrieval_chatflow: Chatflow) -> None:
    tool = chatflow_tool(retrieval_chatflow.id, client=flowise_client, description="Answers sky questions.")

    assert tool.metadata.description == "Answers sky questions."
    assert tool.call(question="Why is the sky blue?").content == "FAKE: Why is the sky blue?"


async def test_custom_tool_executes_on_the_server(
    flowise_client: Flowise, async_flowise_client: AsyncFlowise, adder: Tool
) -> None:
    tool = custom_tool(adder.id, client=flowise_client, async_client=async_flowise_client)

    assert tool.metadata.description == "Adds two numbers and labels the sum."
    assert tool.metadata.get_parameters_dict()["required"] == ["a", "b"]
    assert tool.call(a=2, b=3).content == "sum=5"
    assert (await tool.acall(a=40, b="2", label="answer")).content == "answer=42"


async def test_tools_from_server_finds_flows_and_custom_tools(
    flowise_client: Flowise, async_flowise_client: AsyncFlowise, echo_agentflow: Chatflow, adder: Tool
) -> None:
    tools = tools_from_server(client=flowise_client, include_ids=[echo_agentflow.id, adder.id])
    by_name = {tool.metadata.name: tool for tool in tools}

    assert set(by_name) == {echo_agentflow.name, adder.name.replace(" ", "_")}
    assert by_name[adder.name.replace(" ", "_")].call(a=1, b=1).content == "sum=2"
    assert by_name[echo_agentflow.name].call(question="found").content == "Echo: found"

    only_tools = await atools_from_server(
        client=flowise_client,
        async_client=async_flowise_client,
        kinds=["custom_tool"],
        include_ids=[adder.id],
    )
    assert [t.metadata.name for t in only_tools] == [adder.name.replace(" ", "_")]


async def test_tool_spec_over_the_server(
    flowise_client: Flowise,
    async_flowise_client: AsyncFlowise,
    echo_agentflow: Chatflow,
    document_store: str,
) -> None:
    spec = FlowiseToolSpec(
        chatflow_id=echo_agentflow.id,
        store_id=document_store,
        client=flowise_client,
        async_client=async_flowise_client,
    )
    tools = {tool.metadata.name: tool for tool in spec.to_tool_list()}

    assert tools["predict"].call(question="spec").content == "Echo: spec"
    assert (await tools["predict"].acall(question="async spec")).content == "Echo: async spec"
    listed = tools["list_chatflows"].call(kind="agentflow").raw_output
    assert echo_agentflow.id in {flow["id"] for flow in listed}
    hits = (await tools["query_document_store"].acall(query="Why is the sky blue?", top_k=2)).raw_output
    assert hits[0]["metadata"]["source"] == "sky.txt"
    assert len(hits) == 2

    name = f"li_var_{uuid.uuid4().hex[:6]}"
    variable = flowise_client.variables.create(name=name, value="eu-west-1")
    try:
        assert tools["get_variable"].call(name=name).raw_output == "eu-west-1"
        assert (await tools["get_variable"].acall(name=name)).raw_output == "eu-west-1"
        assert {"name": name, "value": "eu-west-1", "type": "static"} in tools[
            "list_variables"
        ].call().raw_output
    finally:
        flowise_client.variables.delete(variable.id)


async def test_upsert_text_is_then_retrievable(
    flowise_client: Flowise, async_flowise_client: AsyncFlowise, flowise_stack: LocalStack
) -> None:
    store_id, _ = flows.create_document_store(
        flowise_client,
        model_base_url=flowise_stack.model_base_url,
        chroma_url=flowise_stack.chroma_url,
        corpus={"bananas.txt": "Bananas are yellow fruit rich in potassium."},
    )
    try:
        spec = FlowiseToolSpec(store_id=store_id, client=flowise_client, async_client=async_flowise_client)
        tools = {tool.metadata.name: tool for tool in spec.to_tool_list()}

        added = (
            tools["upsert_text"]
            .call(
                text="Glaciers are slow rivers of ice that carve deep valleys.",
                metadata={"source": "glacier.txt"},
            )
            .raw_output
        )
        async_added = (
            await tools["upsert_text"].acall(text="Comets are icy bodies with glowing tails.")
        ).raw_output

        assert added["num_added"] == 1
        assert async_added["num_added"] == 1
        retriever = FlowiseRetriever(store_id, similarity_top_k=1, client=flowise_client)
        (glacier,) = retriever.retrieve("Which ice rivers carve valleys?")
        assert glacier.node.metadata["source"] == "glacier.txt"
        assert glacier.node.metadata["docId"] == added["doc_id"]
        (comet,) = retriever.retrieve("comets with glowing tails")
        assert comet.node.metadata["docId"] == async_added["doc_id"]
        assert "source" not in comet.node.metadata
        loaders = flowise_client.document_stores.get(store_id).loaders
        assert len(loaders) == 3
        assert {loader.splitter_id for loader in loaders} == {"recursiveCharacterTextSplitter"}
    finally:
        flowise_client.document_stores.delete(store_id)
