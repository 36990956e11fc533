"""Flowise flows and custom tools as LangChain tools, and a toolkit that discovers them.

Selection, naming (``[a-zA-Z0-9_-]``, at most 64 characters, collisions resolved with an id
suffix) and argument schemas come from :mod:`flowise_integrations._toolkit`, shared with the
LlamaIndex adapter, so both frameworks expose the same tools under the same names.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any, Literal

from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import ArgsSchema, BaseTool, BaseToolkit, ToolException
from pydantic import BaseModel, Field
from typing_extensions import Self, override

from .._async._discovery import discover_targets as adiscover_targets
from .._exceptions import APIError
from .._sync._discovery import discover_targets
from .._tool_args import args_model, wire_args
from .._toolkit import FlowiseToolTarget, TargetKind, chatflow_target, custom_tool_target
from ..types import Chatflow, Prediction, Tool
from ._connection import FlowiseConnection, merge_override_config

__all__ = ["FlowiseChatflowTool", "FlowiseCustomTool", "FlowiseQuestion", "FlowiseToolkit"]


class FlowiseQuestion(BaseModel):
    """The arguments of a flow that takes a question."""

    question: str = Field(description="The message to send to the flow.")


def _schema_model(args_schema: ArgsSchema | None) -> type[BaseModel] | None:
    return args_schema if isinstance(args_schema, type) and issubclass(args_schema, BaseModel) else None


def _session_override(
    override_config: dict[str, Any] | None, session_id: str | None, config: RunnableConfig | None
) -> dict[str, Any] | None:
    configured = ((config or {}).get("configurable") or {}).get("session_id")
    merged = merge_override_config(
        override_config,
        {"sessionId": session_id} if session_id else None,
        {"sessionId": configured} if isinstance(configured, str) and configured else None,
    )
    return merged or None


@contextlib.contextmanager
def _reported(tool: BaseTool) -> Iterator[None]:
    """Client errors as they are, or, with ``handle_tool_error`` set, as a :class:`ToolException`.

    LangChain turns a ``ToolException`` into the tool's answer (a ``ToolMessage`` with
    ``status="error"``), so an agent reads what went wrong and carries on instead of crashing.
    """
    try:
        yield
    except APIError as exc:
        if not tool.handle_tool_error:
            raise
        raise ToolException(f"{type(exc).__name__}: {exc}") from exc


class FlowiseChatflowTool(FlowiseConnection, BaseTool):
    """A chatflow, agentflow or assistant as a tool: arguments in, the flow's answer out.

    The arguments are ``{question}``, or the form fields of an agentflow whose Start node takes
    form input (``form_input=True``; built for you by :meth:`from_chatflow` and the toolkit). The
    tool returns the answer text as content and the whole
    :class:`~flowise_integrations.Prediction` as the artifact
    (``response_format="content_and_artifact"``). The ``session_id`` field, or
    ``config["configurable"]["session_id"]`` of the calling run, becomes the flow's memory
    session.

    Example:
        .. code-block:: python

            from flowise_integrations import Flowise
            from flowise_integrations.langchain import FlowiseChatflowTool

            with Flowise() as client:
                tool = FlowiseChatflowTool.from_chatflow(client.chatflows.get("..."), client=client)
                tool.invoke({"question": "Why is the sky blue?"})
    """

    chatflow_id: str
    """The flow to run (its id)."""

    kind: TargetKind = "chatflow"
    """What the flow is: ``"chatflow"``, ``"agentflow"`` or ``"assistant"``."""

    form_input: bool = False
    """The arguments are the Start node's form fields (sent as ``form``) rather than a question."""

    session_id: str | None = None
    """Flowise memory session for every call."""

    override_config: dict[str, Any] | None = None
    """``overrideConfig`` sent with every call."""

    args_schema: ArgsSchema | None = FlowiseQuestion
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"

    @classmethod
    def from_target(cls, target: FlowiseToolTarget, **kwargs: Any) -> Self:
        """A tool for a discovered flow (see ``_toolkit.chatflow_target``)."""
        if target.kind == "custom_tool":
            raise ValueError(f"{target.flowise_name!r} is a custom tool: use FlowiseCustomTool")
        form_input = target.takes_form
        schema = args_model(f"{target.name}_form", target.parameters) if form_input else FlowiseQuestion
        fields: dict[str, Any] = {
            "name": target.name,
            "description": target.description,
            "chatflow_id": target.id,
            "kind": target.kind,
            "form_input": form_input,
            "args_schema": schema,
        }
        return cls(**{**fields, **kwargs})

    @classmethod
    def from_chatflow(cls, chatflow: Chatflow, *, description: str | None = None, **kwargs: Any) -> Self:
        """A tool for ``chatflow``, named from its Flowise name; ``kwargs`` set other fields."""
        return cls.from_target(chatflow_target(chatflow, description=description), **kwargs)

    def _request(self, kwargs: dict[str, Any], config: RunnableConfig | None) -> dict[str, Any]:
        args = wire_args(_schema_model(self.args_schema), kwargs)
        request: dict[str, Any] = {
            "override_config": _session_override(self.override_config, self.session_id, config)
        }
        if self.form_input:
            request["form"] = args
        else:
            request["question"] = args.get("question", "")
        return request

    @override
    def _run(
        self,
        config: RunnableConfig,
        run_manager: CallbackManagerForToolRun | None = None,
        **kwargs: Any,
    ) -> tuple[str, Prediction]:
        with _reported(self):
            prediction = self._client.predictions.create(self.chatflow_id, **self._request(kwargs, config))
        return prediction.text, prediction

    @override
    async def _arun(
        self,
        config: RunnableConfig,
        run_manager: AsyncCallbackManagerForToolRun | None = None,
        **kwargs: Any,
    ) -> tuple[str, Prediction]:
        with _reported(self):
            prediction = await self._async_client.predictions.create(
                self.chatflow_id, **self._request(kwargs, config)
            )
        return prediction.text, prediction


def _content(result: Any) -> str:
    if result is None:
        return ""
    return result if isinstance(result, str) else json.dumps(result, ensure_ascii=False)


class FlowiseCustomTool(FlowiseConnection, BaseTool):
    """A Flowise custom tool, run on the server (``POST /node-custom-function``).

    Its JavaScript ``code`` (the tool's ``func``) reads each argument as ``$<name>``; the result
    comes back as text (JSON for anything but a string). Build it with :meth:`from_tool` to take
    the name, description and argument schema from the Flowise tool.

    Example:
        .. code-block:: python

            from flowise_integrations import Flowise
            from flowise_integrations.langchain import FlowiseCustomTool

            with Flowise() as client:
                tool = FlowiseCustomTool.from_tool(client.tools.get("..."), client=client)
                tool.invoke({"a": 1, "b": 2})
    """

    code: str
    """The JavaScript function body to run."""

    tool_id: str | None = None
    """The Flowise tool this came from, if any."""

    @classmethod
    def from_target(cls, target: FlowiseToolTarget, **kwargs: Any) -> Self:
        """A tool for a discovered custom tool (see ``_toolkit.custom_tool_target``)."""
        if target.kind != "custom_tool":
            raise ValueError(f"{target.flowise_name!r} is a {target.kind}: use FlowiseChatflowTool")
        fields: dict[str, Any] = {
            "name": target.name,
            "description": target.description,
            "code": target.code or "",
            "tool_id": target.id,
            "args_schema": args_model(f"{target.name}_args", target.parameters),
        }
        return cls(**{**fields, **kwargs})

    @classmethod
    def from_tool(cls, tool: Tool, **kwargs: Any) -> Self:
        """A tool for the Flowise custom tool ``tool``; ``kwargs`` set other fields."""
        return cls.from_target(custom_tool_target(tool), **kwargs)

    @override
    def _run(self, run_manager: CallbackManagerForToolRun | None = None, **kwargs: Any) -> str:
        variables = wire_args(_schema_model(self.args_schema), kwargs)
        with _reported(self):
            return _content(self._client.nodes.execute_custom_function(self.code, variables=variables))

    @override
    async def _arun(self, run_manager: AsyncCallbackManagerForToolRun | None = None, **kwargs: Any) -> str:
        variables = wire_args(_schema_model(self.args_schema), kwargs)
        with _reported(self):
            return _content(
                await self._async_client.nodes.execute_custom_function(self.code, variables=variables)
            )


class FlowiseToolkit(FlowiseConnection, BaseToolkit):
    """The server's chatflows, agentflows, assistants and custom tools as LangChain tools.

    Filters: ``include_ids`` (only these), ``exclude_ids``, ``name_pattern`` (a regular
    expression searched in the Flowise name) and ``kinds``. Tools are sorted by kind, then
    name, and share this toolkit's clients. ``get_tools`` lists the server each time it is
    called (``aget_tools`` is the async form).

    Example:
        .. code-block:: python

            from flowise_integrations.langchain import FlowiseToolkit

            tools = FlowiseToolkit(kinds=["agentflow", "custom_tool"]).get_tools()
    """

    include_ids: list[str] | None = None
    exclude_ids: list[str] = Field(default_factory=list)
    name_pattern: str | None = None
    kinds: list[TargetKind] | None = None
    session_id: str | None = None
    """Memory session given to every flow tool."""
    handle_tool_error: bool = True
    """The tools' ``handle_tool_error``: by default a failing flow (not found, a server error, a
    timeout) is the tool's answer, ``"NotFoundError: 404 ..."``, which an agent can read and act on;
    ``False`` raises the client's exception out of the agent loop."""

    def _filters(self) -> dict[str, Any]:
        return {
            "include_ids": self.include_ids,
            "exclude_ids": self.exclude_ids,
            "name_pattern": self.name_pattern,
            "kinds": self.kinds,
        }

    def _tool(self, target: FlowiseToolTarget) -> BaseTool:
        shared = {
            "client": self._client,
            "async_client": self._async_client,
            "handle_tool_error": self.handle_tool_error,
        }
        if target.kind == "custom_tool":
            return FlowiseCustomTool.from_target(target, **shared)
        return FlowiseChatflowTool.from_target(target, session_id=self.session_id, **shared)

    @override
    def get_tools(self) -> list[BaseTool]:
        return [self._tool(target) for target in discover_targets(self._client, **self._filters())]

    async def aget_tools(self) -> list[BaseTool]:
        """``get_tools`` on the async client."""
        return [
            self._tool(target) for target in await adiscover_targets(self._async_client, **self._filters())
        ]
