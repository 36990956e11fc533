"""``docstore upsert`` and ``docstore query`` against the real Flowise, its embeddings stand-in and
Chroma. Upserts go to stores made here, so the shared ``document_store`` keeps its five documents."""

from __future__ import annotations

import json
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowise_integrations import Flowise
from flowise_integrations.testing import LocalStack, flows

from .helpers import Cli, assert_fails, assert_ok

pytestmark = pytest.mark.integration

_FILES = {
    "glaciers.txt": "Glaciers form where snow piles up for many years and compresses into ice that slowly "
    "flows downhill under its own weight.",
    "tides.txt": "Tides rise and fall twice a day because the gravity of the moon and the sun pulls on "
    "the oceans of the rotating earth.",
    "bees.txt": "Honey bees pollinate flowers while they collect nectar, which they turn into honey "
    "inside the hive.",
}


def test_query_ranks_the_topical_document_first(cli: Cli, document_store: str) -> None:
    rows = cli.json("docstore", "query", document_store, "Why is the sky blue?", "-k", "3")
    assert len(rows) == 3
    assert [row["rank"] for row in rows] == [1, 2, 3]
    assert rows[0]["source"] == "sky.txt"
    assert "Rayleigh" in rows[0]["text"]

    table = cli("docstore", "query", document_store, "Why is the sky blue?", "-k", "1")
    assert_ok(table)
    assert "sky.txt" in table.stdout
    assert "Rayleigh" in table.stdout


def test_query_of_an_unknown_store_exits_5(cli: Cli) -> None:
    assert_fails(cli("docstore", "query", str(uuid.uuid4()), "anything"), 5)


@pytest.fixture
def seeded_store(flowise_client: Flowise, flowise_stack: LocalStack) -> Iterator[str]:
    """A store of its own (own Chroma collection) with one loader to copy the configuration from."""
    store_id, _ = flows.create_document_store(
        flowise_client,
        model_base_url=flowise_stack.model_base_url,
        chroma_url=flowise_stack.chroma_url,
        corpus={"python.txt": flows.DEFAULT_CORPUS["python.txt"]},
    )
    yield store_id
    flowise_client.document_stores.delete(store_id)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in _FILES.items():
        (docs / name).write_text(text + "\n", encoding="utf-8")
    (docs / "build.log").write_text("not a document\n")
    return docs


def test_upsert_a_folder_then_skip_it(cli: Cli, seeded_store: str, folder: Path, tmp_path: Path) -> None:
    state = tmp_path / "state.json"

    first = cli("docstore", "upsert", seeded_store, str(folder), "--state-file", str(state))
    assert_ok(first)
    for name in _FILES:
        assert name in first.stdout
    assert "3 file(s) upserted, 0 skipped, 0 failed, 3 chunk(s) added" in first.stdout
    assert "ignored 1 file(s)" in first.stderr
    recorded = json.loads(state.read_text())
    assert recorded["store_id"] == seeded_store
    assert {Path(path).name for path in recorded["files"]} == set(_FILES)

    again = cli.json("docstore", "upsert", seeded_store, str(folder), "--state-file", str(state))
    assert (again["upserted"], again["skipped"], again["chunksAdded"]) == (0, 3, 0)
    assert {item["status"] for item in again["files"]} == {"skipped"}

    # Each file is a loader of its own, and the chunks carry the file as their source.
    rows = cli.json("docstore", "query", seeded_store, "Why are there tides in the oceans?", "-k", "1")
    assert rows[0]["source"] == "tides.txt"
    rows = cli.json("docstore", "query", seeded_store, "How do bees make honey from nectar?", "-k", "1")
    assert rows[0]["source"] == "bees.txt"


def test_upsert_replaces_a_changed_file_and_force_redoes_all(
    cli: Cli, flowise_client: Flowise, seeded_store: str, folder: Path, tmp_path: Path
) -> None:
    state = ["--state-file", str(tmp_path / "state.json")]
    first = cli.json("docstore", "upsert", seeded_store, str(folder), *state)
    assert first["upserted"] == 3
    doc_ids = {item["source"]: item["docId"] for item in first["files"]}
    loaders_before = len(flowise_client.document_stores.get(seeded_store).loaders)

    (folder / "bees.txt").write_text(_FILES["bees.txt"] + " Bumblebees can buzz-pollinate tomatoes.\n")
    changed = cli.json("docstore", "upsert", seeded_store, str(folder), *state)
    statuses = {item["source"]: item["status"] for item in changed["files"]}
    assert statuses == {"bees.txt": "replaced", "glaciers.txt": "skipped", "tides.txt": "skipped"}
    assert {item["source"]: item["docId"] for item in changed["files"]}["bees.txt"] == doc_ids["bees.txt"]

    forced = cli.json("docstore", "upsert", seeded_store, str(folder), *state, "--force")
    assert {item["status"] for item in forced["files"]} == {"replaced"}
    assert forced["chunksAdded"] == 3
    assert len(flowise_client.document_stores.get(seeded_store).loaders) == loaders_before


def test_upsert_state_defaults_to_the_user_cache(
    cli: Cli, seeded_store: str, folder: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache)}
    first = cli.json("docstore", "upsert", seeded_store, str(folder / "glaciers.txt"), env=env)
    expected = cache / "flowise-integrations" / "cli" / f"upsert-{seeded_store}.json"
    assert first["stateFile"] == str(expected)
    assert expected.is_file()
    assert first["files"][0]["source"] == "glaciers.txt"
    again = cli.json("docstore", "upsert", seeded_store, str(folder / "glaciers.txt"), env=env)
    assert again["skipped"] == 1


def _write_pdf(path: Path, text: str) -> None:
    """A one-page PDF showing ``text`` (Helvetica, no compression)."""
    stream = f"BT /F1 18 Tf 50 700 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(body)


def _write_docx(path: Path, text: str) -> None:
    """A minimal Word document with one paragraph."""
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    relationship = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
            f'PartName="/word/document.xml" ContentType="{main}"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{relationship}" '
            'Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>',
        )


def test_upsert_other_file_types(cli: Cli, seeded_store: str, tmp_path: Path) -> None:
    docs = tmp_path / "mixed"
    docs.mkdir()
    (docs / "comets.md").write_text(
        "# Comets\n\nComets are icy bodies that grow glowing tails near the sun.\n"
    )
    (docs / "owls.csv").write_text("animal,fact\nowl,Owls can turn their heads about 270 degrees.\n")
    (docs / "rivers.json").write_text(
        json.dumps({"topic": "rivers", "fact": "Rivers carve valleys over time."})
    )
    (docs / "page.html").write_text(
        "<html><body><p>Lighthouses warn ships away from rocky coasts.</p></body></html>"
    )
    _write_pdf(docs / "quakes.pdf", "Earthquakes happen when tectonic plates suddenly slip along a fault.")
    _write_docx(docs / "deserts.docx", "Deserts receive very little rain and can be hot or cold.")
    done = cli.json("docstore", "upsert", seeded_store, str(docs), "--state-file", str(tmp_path / "s.json"))
    loaders = {item["source"]: (item["loader"], item["status"]) for item in done["files"]}
    assert loaders == {
        "comets.md": ("textFile", "added"),
        "owls.csv": ("csvFile", "added"),
        "rivers.json": ("jsonFile", "added"),
        "page.html": ("textFile", "added"),
        "quakes.pdf": ("pdfFile", "added"),
        "deserts.docx": ("docxFile", "added"),
    }
    assert all(item["chunks"] >= 1 for item in done["files"])  # the JSON loader makes a chunk per value
    assert done["chunksAdded"] == sum(item["chunks"] for item in done["files"])
    rows = cli.json("docstore", "query", seeded_store, "Why do comets have glowing tails?", "-k", "1")
    assert rows[0]["source"] == "comets.md"
    for question, source in [
        ("How far can owls turn their heads?", "owls.csv"),
        ("Why do earthquakes happen along a fault?", "quakes.pdf"),
        ("How much rain do deserts receive?", "deserts.docx"),
        ("What do lighthouses warn ships about?", "page.html"),
    ]:
        rows = cli.json("docstore", "query", seeded_store, question, "-k", "1")
        assert rows[0]["source"] == source, question


@pytest.fixture
def empty_store(flowise_client: Flowise) -> Iterator[str]:
    store = flowise_client.document_stores.create(name=f"cli-empty-{uuid.uuid4().hex[:8]}")
    yield store.id
    flowise_client.document_stores.delete(store.id)


def test_upsert_into_an_empty_store_needs_its_components(
    cli: Cli, flowise_stack: LocalStack, empty_store: str, folder: Path, tmp_path: Path
) -> None:
    state = ["--state-file", str(tmp_path / "state.json")]
    message = assert_fails(cli("docstore", "upsert", empty_store, str(folder), *state), 2)
    assert "--embedding and --vector-store" in message

    embedding = {
        "name": "localAIEmbeddings",
        "config": {"basePath": flowise_stack.model_base_url, "modelName": "m"},
    }
    vector_store = {
        "name": "chroma",
        "config": {"collectionName": f"c{uuid.uuid4().hex[:12]}", "chromaURL": flowise_stack.chroma_url},
    }
    done = cli.json(
        "docstore",
        "upsert",
        empty_store,
        str(folder),
        *state,
        "--embedding",
        json.dumps(embedding),
        "--vector-store",
        json.dumps(vector_store),
        "--splitter",
        json.dumps(
            {"name": "recursiveCharacterTextSplitter", "config": {"chunkSize": 400, "chunkOverlap": 20}}
        ),
        "--metadata",
        json.dumps({"team": "cli"}),
    )
    assert (done["upserted"], done["chunksAdded"]) == (3, 3)
    rows = cli.json("docstore", "query", empty_store, "How do glaciers form from snow?", "-k", "1")
    assert rows[0]["source"] == "glaciers.txt"
    assert rows[0]["metadata"]["team"] == "cli"


def test_upsert_into_an_unknown_store_exits_5(cli: Cli, folder: Path, tmp_path: Path) -> None:
    result = cli(
        "docstore", "upsert", str(uuid.uuid4()), str(folder), "--state-file", str(tmp_path / "s.json")
    )
    assert_fails(result, 5)


def test_a_refused_file_is_reported_and_the_others_go_on(cli: Cli, seeded_store: str, tmp_path: Path) -> None:
    docs = tmp_path / "partly-broken"
    docs.mkdir()
    (docs / "broken.json").write_text("{ this is not JSON")
    (docs / "good.txt").write_text(_FILES["glaciers.txt"])
    state = ["--state-file", str(tmp_path / "state.json")]

    result = cli("docstore", "upsert", seeded_store, str(docs), *state)
    assert result.exit_code == 6, (result.stdout, result.stderr)
    assert "Traceback" not in result.output
    assert "1 file(s) upserted, 0 skipped, 1 failed, 1 chunk(s) added" in result.stdout
    assert "failed: broken.json" in result.stderr
    assert (
        result.stderr.strip().splitlines()[-1].startswith("error: 1 of 2 file(s) failed (first: broken.json")
    )

    (docs / "broken.json").write_text(json.dumps({"fixed": "Now it is valid JSON about glaciers."}))
    again = cli.json("docstore", "upsert", seeded_store, str(docs), *state)
    assert {item["source"]: item["status"] for item in again["files"]} == {
        "broken.json": "added",
        "good.txt": "skipped",
    }
