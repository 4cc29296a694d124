"""Batches: parallel builds are deterministic, unchanged documents are skipped, a changed document
replaces its named graph, --prune drops removed ones, copies are built once, bad files are reported."""
from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from policykg.graph.build import _cache_key, build_corpus
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


def _turtle(out: Path) -> dict[str, bytes]:
    """The build's Turtle files (turtle/documents/*.ttl and turtle/gazetteer.ttl) by path."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "turtle").rglob("*.ttl"))}


def _graphs(out: Path) -> set[str]:
    store = pyoxigraph.Store.read_only(str(out / "store"))
    return {g.value for g in store.named_graphs()}


def test_parallel_output_equals_serial(corpus, tmp_path):
    one = build_corpus([corpus], tmp_path / "one", workers=1, view=False)
    two = build_corpus([corpus], tmp_path / "two", workers=2, view=False)
    assert one.documents == two.documents == ("000_eb2995fcb8108479.txt", "002_2bca6094475032cd.txt", "sub/003.txt")
    assert _turtle(tmp_path / "one") == _turtle(tmp_path / "two")
    assert len(_turtle(tmp_path / "one")) == 4  # three documents and the gazetteer


def test_incremental_change_and_prune(corpus, tmp_path):
    out = tmp_path / "out"
    first = build_corpus([corpus], out, view=False)
    assert len(first.built) == 3
    before = _turtle(out)
    inodes = {p: (out / p).stat().st_ino for p in before}
    again = build_corpus([corpus], out, view=False)
    assert again.built == () and len(again.reused) == 3
    assert _turtle(out) == before
    assert {p: (out / p).stat().st_ino for p in before} == inodes  # not even rewritten
    assert again.counts == first.counts
    # change one document: only it is rebuilt and its named graph replaced
    doc = corpus / "002_2bca6094475032cd.txt"
    doc.write_text(doc.read_text(encoding="utf-8").replace("(区法院负责)", "(区法院牵头,区检察院配合)"), encoding="utf-8")
    changed = build_corpus([corpus], out, view=False)
    assert changed.built == ("002_2bca6094475032cd.txt",)
    # its Turtle file is new; the others are the same files as before (hard links to the cache)
    assert {p for p in before if (out / p).stat().st_ino != inodes[p]} == {"turtle/documents/002_2bca6094475032cd.txt.ttl"}
    assert _turtle(out)["turtle/documents/002_2bca6094475032cd.txt.ttl"] != before["turtle/documents/002_2bca6094475032cd.txt.ttl"]
    store = pyoxigraph.Store.read_only(str(out / "store"))
    q = """PREFIX pk: <https://w3id.org/policykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
           SELECT DISTINCT ?l WHERE { ?t pk:heading "强化知识产权司法保护"@zh-Hans ; pk:support ?a . ?a skos:prefLabel ?l }"""
    assert [s["l"].value for s in store.query(q, use_default_graph_as_union=True)] == ["重庆市渝中区人民检察院"]
    del store
    # the incremental result equals a full build of the same files
    full = build_corpus([corpus], tmp_path / "full", view=False, incremental=False)
    assert _turtle(out) == _turtle(tmp_path / "full")
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
    assert _turtle(out) == _turtle(tmp_path / "rest")
    assert "turtle/documents/sub/003.txt.ttl" not in _turtle(out)
    assert pruned.counts == rest.counts


def _quads(out: Path) -> list[str]:
    """Every quad of the build's store, as sorted N-Quads lines."""
    store = pyoxigraph.Store.read_only(str(out / "store"))
    text = store.dump(format=pyoxigraph.RdfFormat.N_QUADS).decode("utf-8")
    return sorted(line for line in text.splitlines() if line)


def test_store_updated_in_place_equals_a_full_build(tmp_path):
    """With one document of five changed, the store is updated in place: the changed document's
    named graph loses the triples that are gone and gains the new ones (an edit early in the text
    moves the offsets, so the IRIs of its later text spans, of everything after it); the result
    is the store a full build makes, quad for quad, and so are the counts, even when the store held
    that graph differently from the last build."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copy(f, docs / f.name)
    out = tmp_path / "out"
    build_corpus([docs], out, view=False, validate=False, workers=2)
    before = _quads(out)
    doc = docs / "002_2bca6094475032cd.txt"
    text = doc.read_text(encoding="utf-8")
    edited = text.replace("(区司法局牵头,", "(区司法局、区财政局牵头,", 1).replace("(区法院负责)", "(区法院牵头,区检察院配合)")
    assert edited != text
    doc.write_text(edited, encoding="utf-8")
    # a graph the store holds differently from the last build (changed by hand): the update is taken
    # against what the store holds, so the stray triple goes too
    graph = "<https://w3id.org/policykg/id/doc/002_2bca6094475032cd>"
    store = pyoxigraph.Store(str(out / "store"))
    store.update(f"INSERT DATA {{ GRAPH {graph} {{ <urn:x:stray> <urn:x:p> \"stray\" }} }}")
    store.flush()
    del store
    changed = build_corpus([docs], out, view=False, validate=False, workers=2)
    assert changed.built == ("002_2bca6094475032cd.txt",)
    full = build_corpus([docs], tmp_path / "full", view=False, validate=False, workers=2, incremental=False)
    after = _quads(out)
    assert after == _quads(tmp_path / "full")
    assert changed.counts == full.counts
    gone = set(before) - set(after)
    assert gone and all(line.endswith(f" {graph} .") for line in gone)  # only its graph changed
    assert any("区财政局" in line for line in set(after) - set(before))


def test_unchanged_files_are_not_read_again(corpus, tmp_path, monkeypatch):
    """A file whose size, times and inode are as recorded is not hashed again; a changed one is,
    and so is one whose content changed with its modification time put back (its ctime moved)."""
    import time

    from policykg.graph import build as gb

    hour_ago = time.time() - 3600
    for f in corpus.rglob("*.txt"):
        os.utime(f, (hour_ago, hour_ago))
    time.sleep(1.1)  # their ctime (now) must be over a second older than the build that records it
    out = tmp_path / "out"
    build_corpus([corpus], out, view=False)
    hashed = []
    real = gb._file_sha
    monkeypatch.setattr(gb, "_file_sha", lambda src: hashed.append(src.name) or real(src))
    assert build_corpus([corpus], out, view=False).built == () and hashed == []
    doc = corpus / "000_eb2995fcb8108479.txt"
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace("知识产权", "知识产杈", 1), encoding="utf-8")  # same size
    os.utime(doc, (hour_ago, hour_ago))
    again = build_corpus([corpus], out, view=False)
    assert hashed == ["000_eb2995fcb8108479.txt"] and again.built == ("000_eb2995fcb8108479.txt",)


def test_published_turtle_files_are_read_only(corpus, tmp_path):
    """An output Turtle file is the cached fragment itself (a hard link), so it is read-only: an
    edit in place would change what the next incremental build reuses."""
    out = tmp_path / "out"
    build_corpus([corpus], out, view=False)
    for rel in _turtle(out):
        assert (out / rel).stat().st_mode & 0o222 == 0, rel
    cached = out / ".cache" / (_cache_key("000_eb2995fcb8108479.txt") + ".ttl")
    assert os.path.samefile(cached, out / "turtle" / "documents" / "000_eb2995fcb8108479.txt.ttl")


def test_single_file_outputs_of_an_earlier_version_are_not_left_stale(corpus, tmp_path):
    """Earlier versions wrote graph.nq, graph.ttl or graph.trig; an old one must not sit beside
    the new outputs."""
    out = tmp_path / "out"
    build_corpus([corpus], out, view=False)
    for name in ("graph.nq", "graph.ttl", "graph.trig"):
        (out / name).write_text("<urn:x> <urn:y> <urn:z> .\n", encoding="utf-8")
    again = build_corpus([corpus], out, view=False)
    assert again.built == () and len(_turtle(out)) == 4
    assert not [name for name in ("graph.nq", "graph.ttl", "graph.trig") if (out / name).exists()]


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
    before = _turtle(out)
    assert before
    for f in docs.iterdir():
        if f.name == "good.txt":
            f.unlink()
    r = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out), "--no-view", "--full", "--max-size", "1"])
    assert r.exit_code != 0
    assert _turtle(out) == before


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


def test_same_file_name_in_two_folders_is_two_documents(tmp_path):
    """Attachments are often all called 附件1: two of them in two folders are two documents with two
    named graphs (the folder is part of the document's IRI), not one graph holding both."""
    docs = tmp_path / "docs"
    (docs / "2023").mkdir(parents=True)
    (docs / "2024").mkdir()
    shutil.copy(SEEDS / "002_2bca6094475032cd.txt", docs / "2023" / "附件1.txt")
    shutil.copy(SEEDS / "003_9c80ff83156f27fc.txt", docs / "2024" / "附件1.txt")
    out = tmp_path / "out"
    report = build_corpus([docs], out, view=False, validate=False)
    assert report.documents == ("2023/附件1.txt", "2024/附件1.txt")
    graphs = _graphs(out)
    assert {"https://w3id.org/policykg/id/doc/2023%2F附件1", "https://w3id.org/policykg/id/doc/2024%2F附件1"} <= graphs
    store = pyoxigraph.Store.read_only(str(out / "store"))
    titles = {str(r["g"].value): r["t"].value for r in store.query(
        "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?g ?t WHERE { GRAPH ?g { ?g dcterms:title ?t } }")}
    assert titles["https://w3id.org/policykg/id/doc/2023%2F附件1"].startswith("2023年渝中区知识产权工作要点")
    assert "2023年渝中区" not in titles["https://w3id.org/policykg/id/doc/2024%2F附件1"]


def test_same_name_in_two_formats_is_refused_by_name(tmp_path):
    """plan.docx and plan.txt side by side would mint the same IRIs: the second is reported with the
    reason and a non-zero exit, the first is built."""
    import docx

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEEDS / "002_2bca6094475032cd.txt", docs / "plan.txt")
    d = docx.Document()
    for line in (SEEDS / "003_9c80ff83156f27fc.txt").read_text(encoding="utf-8").splitlines():
        d.add_paragraph(line)
    d.save(docs / "plan.docx")
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["build", str(docs), "--out", str(out), "--no-view", "--no-validate"])
    assert r.exit_code == 1, r.output
    assert "plan.txt: has the same name as" in r.output and "plan.docx" in r.output
    assert "rename one of them" in r.output
    assert "Built 1 documents" in r.output
    assert _graphs(out) >= {"https://w3id.org/policykg/id/doc/plan"}
