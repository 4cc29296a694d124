"""Batches: parallel builds are deterministic, unchanged documents are skipped, a changed document
replaces its named graph, --prune drops removed ones, copies are built once, bad files are reported."""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from policykg.graph.build import build_corpus
from policykg.graph.cli import cli

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture()
def corpus(tmp_path):
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    for name in ("000_eb2995fcb8108479.txt", "002_2bca6094475032cd.txt"):
        shutil.copy(SEEDS / name, docs / name)
    shutil.copy(SEEDS / "003_9c80ff83156f27fc.txt", docs / "sub" / "003.txt")
    return docs


def _graphs(out: Path) -> set[str]:
    store = pyoxigraph.Store.read_only(str(out / "store"))
    return {g.value for g in store.named_graphs()}


def test_parallel_output_equals_serial(corpus, tmp_path):
    one = build_corpus([corpus], tmp_path / "one", workers=1, view=False)
    two = build_corpus([corpus], tmp_path / "two", workers=2, view=False)
    assert one.documents == two.documents == ("000_eb2995fcb8108479.txt", "002_2bca6094475032cd.txt", "sub/003.txt")
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_incremental_change_and_prune(corpus, tmp_path):
    out = tmp_path / "out"
    first = build_corpus([corpus], out, view=False)
    assert len(first.built) == 3
    before = {name: (out / name).read_bytes() for name in ("graph.trig", "graph.ttl")}
    again = build_corpus([corpus], out, view=False)
    assert again.built == () and len(again.reused) == 3
    assert {name: (out / name).read_bytes() for name in before} == before
    assert again.counts == first.counts
    # change one document: only it is rebuilt and its named graph replaced
    doc = corpus / "002_2bca6094475032cd.txt"
    doc.write_text(doc.read_text(encoding="utf-8").replace("(区法院负责)", "(区法院牵头,区检察院配合)"), encoding="utf-8")
    changed = build_corpus([corpus], out, view=False)
    assert changed.built == ("002_2bca6094475032cd.txt",)
    store = pyoxigraph.Store.read_only(str(out / "store"))
    q = """PREFIX pk: <https://w3id.org/policykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
           SELECT DISTINCT ?l WHERE { ?t pk:heading "强化知识产权司法保护"@zh-Hans ; pk:support ?a . ?a skos:prefLabel ?l }"""
    assert [s["l"].value for s in store.query(q, use_default_graph_as_union=True)] == ["重庆市渝中区人民检察院"]
    del store
    # the incremental result equals a full build of the same files
    full = build_corpus([corpus], tmp_path / "full", view=False, incremental=False)
    for name in ("graph.trig", "graph.ttl"):  # spliced from the old outputs and the new fragment
        assert (out / name).read_bytes() == (tmp_path / "full" / name).read_bytes()
    assert changed.counts == full.counts
    # remove a document: kept without --prune, dropped with it
    (corpus / "sub" / "003.txt").unlink()
    kept = build_corpus([corpus], out, view=False)
    assert "sub/003.txt" in kept.documents
    pruned = build_corpus([corpus], out, view=False, prune=True)
    assert pruned.pruned == ("sub/003.txt",) and "sub/003.txt" not in pruned.documents
    assert len([g for g in _graphs(out) if "/doc/" in g]) == 2
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["documents"]) == {"000_eb2995fcb8108479.txt", "002_2bca6094475032cd.txt"}
    rest = build_corpus([corpus], tmp_path / "rest", view=False, incremental=False)
    for name in ("graph.trig", "graph.ttl"):
        assert (out / name).read_bytes() == (tmp_path / "rest" / name).read_bytes()
    assert pruned.counts == rest.counts


def test_outputs_edited_since_the_last_build_are_rebuilt_whole(corpus, tmp_path):
    """An incremental build copies unchanged runs from the previous graph.trig only when that file
    is still what the manifest describes."""
    out = tmp_path / "out"
    build_corpus([corpus], out, view=False)
    reference = (out / "graph.trig").read_bytes()
    (out / "graph.trig").write_bytes(reference[: len(reference) // 2])  # truncated by someone
    doc = corpus / "000_eb2995fcb8108479.txt"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n区司法局牵头。\n", encoding="utf-8")
    changed = build_corpus([corpus], out, view=False)
    assert changed.built == ("000_eb2995fcb8108479.txt",)
    full = build_corpus([corpus], tmp_path / "full", view=False, incremental=False)
    for name in ("graph.trig", "graph.ttl"):
        assert (out / name).read_bytes() == (tmp_path / "full" / name).read_bytes()


def test_graph_nq_of_an_earlier_version_is_not_left_stale(corpus, tmp_path):
    """Builds before graph.trig wrote graph.nq; an old one must not sit beside the new outputs."""
    out = tmp_path / "out"
    build_corpus([corpus], out, view=False)
    (out / "graph.nq").write_text("<urn:x> <urn:y> <urn:z> <urn:g> .\n", encoding="utf-8")
    again = build_corpus([corpus], out, view=False)
    assert again.built == () and not (out / "graph.nq").exists() and (out / "graph.trig").is_file()


def test_copies_are_built_once(tmp_path):
    import opencc

    docs = tmp_path / "docs"
    docs.mkdir()
    text = (SEEDS / "002_2bca6094475032cd.txt").read_text(encoding="utf-8")
    (docs / "a.txt").write_text(text, encoding="utf-8")
    (docs / "b.txt").write_text(text, encoding="utf-8")  # the same bytes
    (docs / "c.txt").write_text(opencc.OpenCC("s2t").convert(text), encoding="utf-8")  # traditional copy
    report = build_corpus([docs], tmp_path / "out", view=False)
    assert report.documents == ("a.txt",)
    assert dict(report.duplicates) == {"b.txt": "a.txt", "c.txt": "a.txt"}


def test_bad_files_are_reported_and_the_rest_built(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEEDS / "002_2bca6094475032cd.txt", docs / "good.txt")
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (docs / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (docs / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (docs / "big.txt").write_text("知识产权" * 400_000, encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out), "--max-size", "1", "--no-view"])
    assert r.exit_code == 1
    for name in ("empty.txt", "binary.txt", "broken.docx", "big.txt", "old.doc"):
        assert name in r.output, name
    assert "Built 1 documents" in r.output
    # an existing build is not touched when nothing can be built
    before = (out / "graph.ttl").read_bytes()
    for f in docs.iterdir():
        if f.name == "good.txt":
            f.unlink()
    r = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out), "--no-view", "--full", "--max-size", "1"])
    assert r.exit_code != 0
    assert (out / "graph.ttl").read_bytes() == before


def test_same_facts_from_docx_as_from_text(tmp_path):
    """A DOCX task table gives the same agencies and roles as the same table in plain text."""
    import docx

    rows = [("1", "建立专利快速维权机制", "市知识产权局", "市公安局、市法院"),
            ("2", "加强知识产权金融服务", "市财政局", "市知识产权局")]
    header = ("序号", "工作任务", "牵头单位", "配合单位")
    d = docx.Document()
    d.add_paragraph("重庆市知识产权局关于印发2024年知识产权工作任务分工的通知")
    t = d.add_table(rows=1, cols=4)
    for cell, text in zip(t.rows[0].cells, header):
        cell.text = text
    for row in rows:
        cells = t.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    d.add_paragraph("重庆市知识产权局")
    d.add_paragraph("2024年3月1日")
    (tmp_path / "a").mkdir()
    d.save(tmp_path / "a" / "tasks.docx")
    (tmp_path / "b").mkdir()
    lines = ["重庆市知识产权局关于印发2024年知识产权工作任务分工的通知", " | ".join(header)]
    lines += [" | ".join(r) for r in rows] + ["重庆市知识产权局", "2024年3月1日"]
    (tmp_path / "b" / "tasks.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    facts = []
    for sub in ("a", "b"):
        build_corpus([tmp_path / sub], tmp_path / f"out-{sub}", view=False)
        store = pyoxigraph.Store.read_only(str(tmp_path / f"out-{sub}" / "store"))
        q = """PREFIX pk: <https://w3id.org/policykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
               SELECT DISTINCT ?h ?r ?l WHERE { VALUES (?p ?r) { (pk:lead "lead") (pk:support "support") }
               ?t pk:heading ?h ; ?p ?a . ?a skos:prefLabel ?l } ORDER BY ?h ?r ?l"""
        facts.append([(s["h"].value, s["r"].value, s["l"].value) for s in store.query(q, use_default_graph_as_union=True)])
    assert facts[0] == facts[1]
    # 市法院 of a province-level city (Chongqing) is its 高级人民法院
    assert ("建立专利快速维权机制", "support", "重庆市高级人民法院") in facts[0]
    assert ("加强知识产权金融服务", "lead", "重庆市财政局") in facts[0]
