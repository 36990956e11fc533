"""The command line without a Flowise server: packaging, usage errors, no answer from the server,
and the upsert bookkeeping (file discovery, loaders, state file, components)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from flowise_integrations import __version__
from flowise_integrations.cli import INSTALL_HINT
from flowise_integrations.cli._common import CliError, mask_secret
from flowise_integrations.cli._upsert import (
    DEFAULT_SPLITTER,
    UpsertState,
    collect_files,
    default_state_path,
    fingerprint,
    store_components,
)
from flowise_integrations.types.document_stores import DocumentStore

from .helpers import assert_fails, invoke

_ENV = {key: value for key, value in os.environ.items() if not key.startswith("FLOWISE_")}


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_ENV, timeout=120, check=False
    )


def test_missing_typer_prints_the_install_line_and_exits_1() -> None:
    done = _python(
        "import sys; sys.modules['typer'] = None\n"
        "from flowise_integrations.cli import main\n"
        "main(['chatflows', 'list'])\n"
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [INSTALL_HINT]
    assert "pip install 'flowise-integrations[cli]'" in done.stderr


def test_missing_rich_is_reported_the_same_way() -> None:
    done = _python(
        "import sys; sys.modules['rich'] = None\nfrom flowise_integrations.cli import main\nmain([])\n"
    )
    assert (done.returncode, done.stderr.splitlines()) == (1, [INSTALL_HINT])


def test_the_package_and_the_cli_package_do_not_import_typer() -> None:
    done = _python(
        "import sys, flowise_integrations, flowise_integrations.cli\nprint('typer' in sys.modules)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_python_dash_m_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "flowise_integrations.cli", "--version"],
        capture_output=True,
        text=True,
        env=_ENV,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, __version__)


def test_help_lists_every_command_group() -> None:
    result = invoke(["--help"])
    assert result.exit_code == 0
    for name in ("chatflows", "predict", "docstore", "variables", "tools", "apikeys", "local"):
        assert name in result.stdout


def test_usage_errors_exit_2() -> None:
    assert invoke(["chatflows", "list", "--type", "NOPE"]).exit_code == 2
    assert invoke(["no-such-command"]).exit_code == 2
    assert invoke(["docstore", "query", "store-id"]).exit_code == 2  # TEXT missing
    assert invoke(["docstore", "upsert", "s", ".", "--embedding", "{not json"]).exit_code == 2
    assert invoke(["docstore", "upsert", "s", ".", "--embedding", '{"config": {}}']).exit_code == 2


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    "args",
    [["chatflows", "list"], ["predict", "6f1e1f5e-58a4-4f0e-9d8a-0f2f3c1d2b1a", "hi"], ["apikeys", "list"]],
)
def test_an_unreachable_server_exits_3(args: list[str]) -> None:
    secret = "unreachable-secret-key-0123456789"
    result = invoke(
        ["--base-url", f"http://127.0.0.1:{_closed_port()}", "--max-retries", "0", *args],
        env={"FLOWISE_API_KEY": secret},
    )
    message = assert_fails(result, 3, secret=secret)
    assert "Connection" in message or "connect" in message.lower()


def test_an_unreachable_server_exits_3_with_json_too() -> None:
    result = invoke(
        [
            "--base-url",
            f"http://127.0.0.1:{_closed_port()}",
            "--max-retries",
            "0",
            "variables",
            "list",
            "--json",
        ]
    )
    assert_fails(result, 3)


def test_upsert_of_nothing_loadable_is_a_usage_error_before_any_request(tmp_path: Path) -> None:
    (tmp_path / "notes.log").write_text("not loadable")
    result = invoke(
        ["--base-url", f"http://127.0.0.1:{_closed_port()}", "docstore", "upsert", "store", str(tmp_path)]
    )
    assert "no file to upsert" in assert_fails(result, 2)
    result = invoke(["docstore", "upsert", "store", str(tmp_path / "notes.log")])
    assert "cannot load .log files" in assert_fails(result, 2)
    result = invoke(["docstore", "upsert", "store", str(tmp_path / "missing.txt")])
    assert "no such file or folder" in assert_fails(result, 2)


def test_mask_secret_shows_only_the_ends() -> None:
    assert mask_secret("abcdefghijklmnopqrstuvwxyz") == "abcd…wxyz"
    assert mask_secret("short") == "…"


def test_collect_files_walks_folders_and_picks_loaders(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / ".hidden").mkdir()
    for name in ("b.txt", "a.md", "data.json", "table.csv", "paper.pdf", "letter.docx", "page.html", "x.log"):
        (docs / name).write_text("x")
    (docs / "sub" / "deep.TXT").write_text("x")
    (docs / ".hidden" / "secret.txt").write_text("x")
    (docs / ".dotfile.txt").write_text("x")
    extra = tmp_path / "extra.md"
    extra.write_text("x")

    files, ignored = collect_files([docs, extra, docs / "b.txt"])

    assert [(f.source, f.loader) for f in files] == [
        ("a.md", "textFile"),
        ("b.txt", "textFile"),
        ("data.json", "jsonFile"),
        ("letter.docx", "docxFile"),
        ("page.html", "textFile"),
        ("paper.pdf", "pdfFile"),
        ("table.csv", "csvFile"),
        ("sub/deep.TXT", "textFile"),
        ("extra.md", "textFile"),
    ]
    assert ignored == 1
    assert all(f.path.is_absolute() for f in files)


def test_collect_files_rejects_unknown_types_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "README").write_text("x")
    with pytest.raises(CliError) as caught:
        collect_files([tmp_path / "README"])
    assert caught.value.exit_code == 2
    assert "files without an extension" in caught.value.message
    with pytest.raises(CliError, match="no such file"):
        collect_files([tmp_path / "nope"])


def test_state_round_trip_and_skip_rules(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("hello")
    files, _ = collect_files([doc])
    path = tmp_path / "state" / "upsert.json"
    state = UpsertState.load(path, "store-1")
    assert state.files == {}
    first = fingerprint(doc)
    state.record(files[0], first, doc_id="loader-1", chunks=2)
    state.save()

    loaded = UpsertState.load(path, "store-1")
    entry = loaded.entry(files[0])
    assert entry is not None
    assert (entry["sha256"], entry["doc_id"], entry["chunks"]) == (first.sha256, "loader-1", 2)
    assert loaded.is_current(files[0], fingerprint(doc, entry), {"loader-1"})
    assert not loaded.is_current(files[0], fingerprint(doc, entry), {"another-loader"})  # loader gone

    doc.write_text("hello, changed")
    assert not loaded.is_current(files[0], fingerprint(doc, entry), {"loader-1"})

    with pytest.raises(CliError, match="belongs to document store store-1"):
        UpsertState.load(path, "store-2")
    path.write_text("[]")
    with pytest.raises(CliError, match="not an upsert state file"):
        UpsertState.load(path, "store-1")


def test_fingerprint_trusts_the_recorded_hash_while_size_and_time_match(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("hello")
    stat = doc.stat()
    recorded = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": "recorded"}
    assert fingerprint(doc, recorded).sha256 == "recorded"
    assert fingerprint(doc, {**recorded, "size": 0}).sha256 != "recorded"


def test_default_state_path_is_in_the_user_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_state_path("a/b") == tmp_path / "flowise-integrations" / "cli" / "upsert-a_b.json"


def _store(**fields: object) -> DocumentStore:
    return DocumentStore.model_validate({"id": "s1", "name": "store", **fields})


def test_store_components_reuse_the_store_and_a_loader_splitter() -> None:
    store = _store(
        embeddingConfig=json.dumps({"name": "emb", "config": {"a": 1}}),
        vectorStoreConfig=json.dumps({"name": "vs", "config": {"b": 2}}),
        loaders=json.dumps(
            [{"id": "l1", "loaderId": "plainText", "splitterId": "split", "splitterConfig": {"c": 3}}]
        ),
    )
    components = store_components(store)
    assert components == {
        "splitter": {"name": "split", "config": {"c": 3}},
        "embedding": {"name": "emb", "config": {"a": 1}},
        "vector_store": {"name": "vs", "config": {"b": 2}},
        "record_manager": None,
    }
    given = {"name": "other", "config": {}}
    assert store_components(store, embedding=given, splitter=given)["embedding"] == given


def test_store_components_of_an_empty_store_need_options() -> None:
    with pytest.raises(CliError) as caught:
        store_components(_store())
    assert caught.value.exit_code == 2
    assert "--embedding and --vector-store" in caught.value.message
    components = store_components(
        _store(), embedding={"name": "e", "config": {}}, vector_store={"name": "v", "config": {}}
    )
    assert components["splitter"] == DEFAULT_SPLITTER
