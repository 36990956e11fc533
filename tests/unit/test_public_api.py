"""The public surface: exports, import hygiene, and sync/async parity."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import flowise_integrations
import flowise_integrations.testing
import flowise_integrations.types
from flowise_integrations import AsyncFlowise, Flowise
from flowise_integrations._async.resources._base import AsyncResource
from flowise_integrations._sync.resources._base import Resource


def test_all_is_complete() -> None:
    """Every export exists and every public name is exported (ruff's RUF022 keeps ``__all__`` sorted)."""
    for module in (flowise_integrations, flowise_integrations.types, flowise_integrations.testing):
        names = module.__all__
        assert len(set(names)) == len(names)
        for name in names:
            assert hasattr(module, name), name
        assert set(names) <= set(dir(module))
        public = {n for n, v in vars(module).items() if not n.startswith("_") and not inspect.ismodule(v)}
        assert public <= set(names) | {"annotations"}, public - set(names)


def test_lazy_exports_match_the_type_checking_imports() -> None:
    """The lazy table and the imports type checkers read name the same objects from the same modules."""
    source = Path(flowise_integrations.__file__).read_text()
    (block,) = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "typing.TYPE_CHECKING"
    ]
    imported = {
        alias.name: "." * node.level + (node.module or "")
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported == flowise_integrations._EXPORTS
    assert set(imported) | {"__version__"} == set(flowise_integrations.__all__)
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        flowise_integrations.Nope  # noqa: B018


def test_import_is_lazy() -> None:
    """``import flowise_integrations`` and building a client define no model, resource or framework."""
    code = (
        "import sys; import flowise_integrations as f; f.Flowise('http://h'); f.AsyncFlowise('http://h');"
        "loaded = [m for m in sys.modules if m.startswith(('flowise_integrations.types',"
        " 'flowise_integrations._sync.resources.', 'flowise_integrations._async.resources.',"
        " 'pydantic.main'))];"
        "assert not loaded, loaded;"
        "f.Flowise('http://h').chatflows;"
        "assert 'flowise_integrations._sync.resources.chatflows' in sys.modules;"
        "assert f.types.Chatflow.__name__ == 'Chatflow'"  # the models package, as an attribute
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_does_not_load_frameworks() -> None:
    code = (
        "import sys, flowise_integrations, flowise_integrations.types;"
        "bad = [m for m in sys.modules"
        " if m.startswith(('langchain', 'langgraph', 'llama_index', 'mcp', 'starlette', 'uvicorn',"
        " 'chromadb', 'pytest'))];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _resources(client: Flowise | AsyncFlowise) -> dict[str, object]:
    found: dict[str, object] = {}

    def walk(prefix: str, obj: object) -> None:
        for name in dir(obj):
            value = getattr(obj, name)
            if not name.startswith("_") and isinstance(value, (Resource, AsyncResource)):
                found[prefix + name] = value
                walk(prefix + name + ".", value)

    walk("", client)
    return found


def _public_methods(obj: object) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(type(obj), inspect.isfunction)
        if not name.startswith("_")
    }


def test_sync_and_async_clients_have_the_same_surface() -> None:
    sync_client, async_client = Flowise("http://h"), AsyncFlowise("http://h")
    sync_resources, async_resources = _resources(sync_client), _resources(async_client)
    assert sync_resources.keys() == async_resources.keys()
    assert len(sync_resources) >= 19
    pairs = [(sync_client, async_client)] + [(sync_resources[k], async_resources[k]) for k in sync_resources]
    for sync_obj, async_obj in pairs:
        sync_methods, async_methods = _public_methods(sync_obj), _public_methods(async_obj)
        expected = {name.replace("aclose", "close") for name in async_methods}
        assert set(sync_methods) == expected, type(sync_obj).__name__
        for name, signature in async_methods.items():
            other = sync_methods[name.replace("aclose", "close")]
            assert list(other.parameters) == list(signature.parameters), f"{type(sync_obj).__name__}.{name}"
            async_member = getattr(type(async_obj), name)
            if inspect.iscoroutinefunction(async_member):
                assert not inspect.iscoroutinefunction(
                    getattr(type(sync_obj), name.replace("aclose", "close"))
                )
