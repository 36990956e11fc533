"""Quickstart: one Flowise server used from LangChain and LlamaIndex.

1. a chatflow as a LangChain chat model in an LCEL chain, streamed token by token;
2. a Flowise document store as a LangChain retriever;
3. a retrieval chatflow as a LlamaIndex query engine, with its sources;
4. a flow as an agent tool, through the LangChain toolkit.

Run it with ``make demo``, which starts a local Flowise with demo flows (its model stand-in answers
``"FAKE: <your message>"``), or point it at your own server with ``FLOWISE_BASE_URL`` and
``FLOWISE_API_KEY``. To use your own flows, call :func:`quickstart` with their ids.
"""

from __future__ import annotations

import time

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from flowise_integrations.langchain import ChatFlowise, FlowiseRetriever, FlowiseToolkit
from flowise_integrations.llama_index import FlowiseQueryEngine


def quickstart(*, chatflow_id: str, store_id: str, rag_chatflow_id: str, tool_flow_id: str) -> dict[str, str]:
    """Run the four steps; every component reads FLOWISE_BASE_URL and FLOWISE_API_KEY."""
    summary: dict[str, str] = {}

    # 1. LangChain: prompt | ChatFlowise | StrOutputParser, streamed. The session id selects the
    #    flow's memory, so a second call in the same session sees the first.
    print("\n1. Streaming a chat answer through an LCEL chain")
    chat = ChatFlowise(chatflow_id=chatflow_id)
    prompt = ChatPromptTemplate.from_messages([("human", "Explain {topic} in one sentence.")])
    chain = prompt | chat | StrOutputParser()
    started = time.monotonic()
    chunks = 0
    for token in chain.stream(
        {"topic": "Rayleigh scattering"}, config={"configurable": {"session_id": "qs"}}
    ):
        print(token, end="", flush=True)
        chunks += 1
    print()
    summary["chat"] = f"{chunks} chunks streamed in {time.monotonic() - started:.2f} s"

    # 2. LangChain: the document store's vector search as a retriever.
    print("\n2. Retrieving from the document store")
    retriever = FlowiseRetriever(store_id=store_id, k=2)
    docs = retriever.invoke("Why is the sky blue?")
    for doc in docs:
        print(f"   {doc.metadata['source']}: {doc.page_content[:70]}...")
    summary["retriever"] = ", ".join(doc.metadata["source"] for doc in docs)

    # 3. LlamaIndex: a retrieval chatflow as a query engine; Flowise's source documents come back
    #    as source nodes.
    print("\n3. Answering with a LlamaIndex query engine")
    response = FlowiseQueryEngine(rag_chatflow_id).query("Why is the sky blue?")
    print(f"   answer:  {response}")
    sources = sorted({hit.node.metadata["source"] for hit in response.source_nodes})
    print(f"   sources: {', '.join(sources)}")
    summary["query engine"] = f"{len(response.source_nodes)} source nodes ({', '.join(sources)})"

    # 4. LangChain: flows as agent tools. The toolkit lists the server's flows (here only one)
    #    and gives each a provider-safe name and an argument schema.
    print("\n4. Calling a flow as a tool")
    tool = FlowiseToolkit(include_ids=[tool_flow_id]).get_tools()[0]
    answer = tool.invoke({"question": "Is anybody there?"})
    print(f"   {tool.name}({{'question': 'Is anybody there?'}}) -> {answer!r}")
    summary["tool"] = f"{tool.name} answered {answer!r}"
    return summary


def main() -> None:
    # The local stack and demo flows: see _local.py. Not needed with your own server and flows.
    from _local import demo_resources

    started = time.monotonic()
    with demo_resources() as demo:
        summary = quickstart(
            chatflow_id=demo.chatflow_id,
            store_id=demo.store_id,
            rag_chatflow_id=demo.rag_chatflow_id,
            tool_flow_id=demo.agentflow_id,
        )
        print(f"\nSummary (Flowise {demo.version} at {demo.base_url})")
        for step, outcome in summary.items():
            print(f"   {step:<13} {outcome}")
        print(f"   {'total':<13} {time.monotonic() - started:.1f} s including start-up")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit(130) from None
