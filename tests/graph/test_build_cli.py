"""`policykg build` through click's CliRunner, determinism, and a second parser."""
from __future__ import annotations

import pyoxigraph
import rdflib
from click.testing import CliRunner

from policykg.graph.build import turtle_files
from policykg.graph.cli import cli


def test_build_seeds_cli(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Built 5 documents" in result.output
    assert "重庆市渝中区市场监督管理局" in result.output  # the top broker of seed 002's network
    for name in ("turtle/gazetteer.ttl", "coordination.html", "diagnostics.json", "manifest.json"):
        assert (out / name).is_file(), name
    assert len(list((out / "turtle" / "documents").glob("*.ttl"))) == 5
    assert (out / "store").is_dir()
    assert not list(out.glob(".building-*"))


def test_turtle_is_deterministic_and_parses_twice(seed_build, tmp_path):
    from policykg.graph.build import build_corpus

    again = build_corpus(None, tmp_path / "again", view=False)
    files = [p for _, p in turtle_files(seed_build.out_dir)]
    assert [p.read_bytes() for p in files] == [p.read_bytes() for _, p in turtle_files(again.out_dir)]
    ox, rd = set(), rdflib.Graph()
    for p in files:
        ox.update(pyoxigraph.parse(path=str(p), format=pyoxigraph.RdfFormat.TURTLE))
        rd.parse(str(p), format="turtle")
    assert len(ox) == len(rd) == seed_build.counts["triples"]


def test_rdflib_dataset_one_graph_per_document(seed_build):
    from policykg.api import PolicyGraph

    ds = PolicyGraph(seed_build.out_dir).rdflib_dataset()
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert len([g for g in graphs if "/doc/" in g]) == 5
    assert len(list(ds.quads())) == seed_build.counts["quads"]
    assert len({(s, p, o) for s, p, o, _ in ds.quads()}) == seed_build.counts["triples"]


def test_missing_path_is_reported_and_others_built(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("（一）加强组织领导。（区司法局牵头，区法院配合）\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(cli, ["build", str(good), str(empty), str(tmp_path / "nope.txt"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "nope.txt" in result.output and "empty.txt" in result.output
    assert "Built 1 documents" in result.output


def test_help_explains_commands():
    result = CliRunner().invoke(cli, ["build", "--help"])
    assert result.exit_code == 0 and "betweenness" in result.output
