"""What the Prediction model derives from an agentflow's executed nodes."""

from __future__ import annotations

from flowise_integrations._core.prediction import PredictionAccumulator
from flowise_integrations.types import Prediction, UsageMetadata, UsageMetadataEvent


def node(node_id: str, output: dict[str, object]) -> dict[str, object]:
    return {"nodeId": node_id, "nodeLabel": node_id, "data": {"output": output}, "status": "FINISHED"}


def test_usage_is_summed_over_nodes() -> None:
    prediction = Prediction.model_validate(
        {
            "text": "done",
            "agentFlowExecutedData": [
                node("start", {}),
                node(
                    "llm_0",
                    {
                        "content": "a",
                        "usageMetadata": {"input_tokens": 3, "output_tokens": 2, "total_tokens": 5},
                    },
                ),
                node(
                    "llm_1",
                    {
                        "content": "done",
                        "usageMetadata": {"input_tokens": 7, "output_tokens": 1, "total_tokens": 8},
                    },
                ),
            ],
        }
    )
    assert prediction.usage == UsageMetadata(input_tokens=10, output_tokens=3, total_tokens=13)


def test_chatflows_report_no_usage() -> None:
    assert Prediction.model_validate({"text": "FAKE: hi"}).usage is None


def test_streamed_usage_events_add_up() -> None:
    accumulator = PredictionAccumulator(chat_id="c", question="q")
    accumulator.add(UsageMetadataEvent(UsageMetadata(input_tokens=1, output_tokens=1, total_tokens=2)))
    accumulator.add(UsageMetadataEvent(UsageMetadata(input_tokens=2, output_tokens=3, total_tokens=5)))
    assert accumulator.final().usage == UsageMetadata(input_tokens=3, output_tokens=4, total_tokens=7)


def test_source_documents_fall_back_to_the_last_node_with_any() -> None:
    prediction = Prediction.model_validate(
        {
            "agentFlowExecutedData": [
                node(
                    "retriever",
                    {"sourceDocuments": [{"pageContent": "sky", "metadata": {"source": "sky.txt"}}]},
                ),
                node("reply", {"content": "blue"}),
            ],
        }
    )
    assert [doc.metadata["source"] for doc in prediction.all_source_documents] == ["sky.txt"]
