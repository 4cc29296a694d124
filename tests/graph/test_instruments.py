"""Coding matrices through SPARQL, `policykg instruments`, following successions, and eval scoring."""
from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner
from pyoxigraph import Store

from policykg.builders.extract.instruments import TYPES, instrument_quads, scheme_quads
from policykg.graph.cli import cli
from policykg.graph.instruments import (
    add_succession_edges, coding_matrix, follow_successions, instrument_codings, score_instruments,
    succession_edges, succession_events, successor_map,
)
from policykg.ontology.iris import Iris
from policykg.ontology.successions import succession_quads

SEED0 = "000_eb2995fcb8108479.txt"
SEED2 = "002_2bca6094475032cd.txt"


@pytest.fixture(scope="module")
def quads(seed_results, builder):
    out = []
    for res in seed_results.values():
        out += list(res.assembled.quads)
        out += instrument_quads(res.raw, res.norm, res.extraction, builder.iris)
    return out + succession_quads(builder.iris)


@pytest.fixture(scope="module")
def store(quads):
    s = Store()
    s.bulk_extend(quads)
    return s


@pytest.fixture(scope="module")
def store_dir(quads, tmp_path_factory):
    from policykg.graph import store as st

    out = tmp_path_factory.mktemp("instruments-build")
    st.write_store(out / "store", quads + st.ontology_quads() + scheme_quads())
    return out


def iri(name: str) -> str:
    return str(Iris().agency(name))


# ---------------------------------------------------------------------------------------------
# matrices


def test_codings_long_form(store):
    df = instrument_codings(store)
    assert len(df) and set(df["instrument"]) <= set(TYPES)
    row = df[(df["document"] == SEED0) & df["heading"].str.contains("质押融资")]
    assert "environment/finance" in set(row["notation"])
    assert (df["confidence"] >= 0.6).all() and (df["confidence"] <= 1).all()
    assert set(df[df["document"] == SEED0]["year"]) == {2017}
    assert len(instrument_codings(store, min_confidence=0.95)) < len(df)


def test_matrix_by_document(store):
    m = coding_matrix(store, "document")
    assert list(m.index) == [f"{d}/{t}" for t, d in TYPES.items()]
    assert set(m.columns) == {"000_eb2995fcb8108479.txt", "001_f24d6cf811bb1823.txt", SEED2,
                              "003_9c80ff83156f27fc.txt", "004_cf21342dc1278932.txt"}
    assert m.loc["environment/finance", SEED0] >= 1
    assert m.loc["environment/finance", SEED2] >= 1
    assert (m.dtypes == int).all()
    coded = m.attrs["coded_measures"]
    for col in m.columns:
        assert m[col].max() <= coded[col] <= m[col].sum()
    high = coding_matrix(store, "document", min_confidence=0.95)
    assert (high.reindex(columns=m.columns, fill_value=0) <= m).all().all()


def test_matrix_by_dimension_counts_a_measure_once(store):
    t = coding_matrix(store, "document")
    d = coding_matrix(store, "document", level="dimension")
    assert list(d.index) == ["supply", "environment", "demand"]
    for col in d.columns:
        for dim in d.index:
            rows = [r for r in t.index if r.startswith(dim + "/")]
            assert t.loc[rows, col].max() <= d.loc[dim, col] <= t.loc[rows, col].sum()


def test_matrix_by_agency_year_zone(store):
    a = coding_matrix(store, "agency")
    assert "重庆市知识产权局" in a.columns  # lead of the 004 task table
    assert a.attrs["column_ids"]["重庆市知识产权局"] == iri("重庆市知识产权局")
    assert not any(c.startswith("各") for c in a.columns)  # collectives only on request
    y = coding_matrix(store, "year")
    assert {"2014", "2016", "2017", "2023"} <= set(y.columns)
    assert y["2017"].sum() == coding_matrix(store, "document")[SEED0].sum()
    z = coding_matrix(store, "zone")
    assert len(z.columns) >= 1
    with pytest.raises(ValueError):
        coding_matrix(store, "party")
    with pytest.raises(ValueError):
        coding_matrix(store, level="subtype")


# ---------------------------------------------------------------------------------------------
# the command


def test_cli_instruments_table_csv_json(store_dir):
    runner = CliRunner()
    res = runner.invoke(cli, ["instruments", "--store", str(store_dir)])
    assert res.exit_code == 0, res.output
    assert "environment/finance 金融支持" in res.output and SEED0 in res.output and "(coded measures)" in res.output
    res = runner.invoke(cli, ["instruments", "--store", str(store_dir), "--format", "json", "--by", "year"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["by"] == "year" and len(data["instruments"]) == 16 and "2017" in data["columns"]
    assert data["instrument_labels"]["environment/finance"] == {"zh": "金融支持", "en": "finance"}
    assert len(data["counts"]) == 16 and all(len(r) == len(data["columns"]) for r in data["counts"])
    res = runner.invoke(cli, ["instruments", "--store", str(store_dir), "--format", "csv", "--level", "dimension",
                              "--transpose"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].split(",")[1:] == ["supply", "environment", "demand", "(coded measures)"]
    assert any(line.startswith(SEED0 + ",") for line in lines)
    res = runner.invoke(cli, ["instruments", "--store", str(store_dir), "--by", "agency", "--follow-successions"])
    assert res.exit_code == 0 and "successions followed" in res.output


def test_cli_scheme_and_errors(tmp_path, seed_results):
    runner = CliRunner()
    res = runner.invoke(cli, ["instruments", "--scheme"])
    assert res.exit_code == 0 and "environment/finance" in res.output and "金融支持" in res.output
    res = runner.invoke(cli, ["instruments", "--scheme", "--format", "json"])
    assert len(json.loads(res.output)) == 19
    res = runner.invoke(cli, ["instruments", "--store", str(tmp_path / "nothing")])
    assert res.exit_code != 0 and "policykg build" in res.output
    from policykg.graph import store as st

    (tmp_path / "old").mkdir()
    # a store built before instrument coding existed: the document's quads without the codings
    old = [q for q in seed_results[SEED0].assembled.quads
           if "/instrument/" not in q.subject.value and not q.predicate.value.endswith(("#instrument", "#qualifiedInstrument"))]
    st.write_store(tmp_path / "old" / "store", old)
    res = runner.invoke(cli, ["instruments", "--store", str(tmp_path / "old")])
    assert res.exit_code != 0 and "no instrument codings" in res.output
    res = runner.invoke(cli, ["instruments", "--help"])
    assert res.exit_code == 0 and "--follow-successions" in res.output


def test_command_module_imports_only_click():
    import ast
    from pathlib import Path

    src = (Path(__file__).resolve().parents[2] / "graph" / "cli_instruments.py").read_text(encoding="utf-8")
    top = [n for n in ast.parse(src).body if isinstance(n, (ast.Import, ast.ImportFrom))]
    mods = {(n.module if isinstance(n, ast.ImportFrom) else n.names[0].name) for n in top}
    assert mods <= {"__future__", "click", "policykg.graph.cli_common"}


# ---------------------------------------------------------------------------------------------
# successions


def _reform_graph() -> nx.Graph:
    G = nx.Graph()
    for name, docs in (("重庆市工商行政管理局", ["a.txt"]), ("重庆市质量技术监督局", ["a.txt"]),
                       ("重庆市市场监督管理局", ["b.txt"]), ("重庆市知识产权局", ["a.txt", "b.txt"]),
                       ("重庆市科学技术委员会", ["a.txt"])):
        G.add_node(iri(name), label=name, kind="gov", documents=list(docs), provenance=[])
    G.add_edge(iri("重庆市工商行政管理局"), iri("重庆市知识产权局"), weight=2, role="coordination", tasks=["t1", "t2"])
    G.add_edge(iri("重庆市质量技术监督局"), iri("重庆市知识产权局"), weight=1, role="coordination", tasks=["t3"])
    G.add_edge(iri("重庆市市场监督管理局"), iri("重庆市知识产权局"), weight=4, role="coordination", tasks=["t9"])
    G.add_edge(iri("重庆市工商行政管理局"), iri("重庆市市场监督管理局"), weight=1, role="coordination", tasks=["t4"])
    G.add_edge(iri("重庆市科学技术委员会"), iri("重庆市知识产权局"), weight=1, role="coordination", tasks=["t5"])
    return G


def test_follow_successions_merges_predecessors(store):
    G = _reform_graph()
    before = nx.to_dict_of_dicts(G)
    H = follow_successions(G, store)
    assert nx.to_dict_of_dicts(G) == before  # the input is untouched
    samr, ipo, kj = iri("重庆市市场监督管理局"), iri("重庆市知识产权局"), iri("重庆市科学技术局")
    assert set(H) == {samr, ipo, kj}
    assert H.nodes[samr]["merged_from"] == sorted([iri("重庆市工商行政管理局"), iri("重庆市质量技术监督局")])
    assert set(H.nodes[samr]["merged_labels"]) == {"重庆市工商行政管理局", "重庆市质量技术监督局"}
    assert H.nodes[samr]["label"] == "重庆市市场监督管理局" and H.nodes[samr]["documents"] == ["b.txt", "a.txt"]
    assert H[samr][ipo]["weight"] == 2 + 1 + 4 and set(H[samr][ipo]["tasks"]) == {"t1", "t2", "t3", "t9"}
    # the successor that no document named gets its label from the store
    assert H.nodes[kj]["label"] == "重庆市科学技术局" and H.nodes[kj]["merged_from"] == [iri("重庆市科学技术委员会")]
    assert "merged_from" not in H.nodes[ipo]  # 重庆市知识产权局 continues (placed under 市场监管局)
    assert H.graph["succession_self_loops_dropped"] == 1
    assert (iri("重庆市工商行政管理局"), samr) in H.graph["successions_followed"]


def test_follow_successions_until_splits_and_bundled(store):
    G = _reform_graph()
    assert set(follow_successions(G, store, until=2017)) == set(G)
    H = follow_successions(G)  # no store: the bundled successions
    assert iri("重庆市市场监督管理局") in H and iri("重庆市工商行政管理局") not in H
    S = nx.DiGraph()
    S.add_node(iri("国家新闻出版广电总局"), label="国家新闻出版广电总局", documents=[])
    S.add_node(iri("国家知识产权局"), label="国家知识产权局", documents=[])
    S.add_edge(iri("国家新闻出版广电总局"), iri("国家知识产权局"), weight=1, role="support")
    assert iri("国家广播电视总局") in follow_successions(S, store)
    assert set(follow_successions(S, store, splits="keep")) == set(S)
    M = nx.MultiDiGraph(S)
    M.add_edge(iri("国家新闻出版广电总局"), iri("国家知识产权局"), weight=1, role="lead")
    assert follow_successions(M, store).number_of_edges() == 2


def test_succession_events_and_edges_for_views(store):
    events = succession_events(store)
    bundled = succession_events(None)  # the TSV, minted with the default base
    assert {e.key for e in events} == {e.key for e in bundled}
    assert {(e.key, e.original, e.kind) for e in events} == {(e.key, tuple(sorted(e.original)), e.kind) for e in bundled}
    smap = successor_map(store)
    assert smap[iri("重庆市科学技术委员会")] == iri("重庆市科学技术局")
    edges = succession_edges(store)
    assert all(d["role"] == "succession" for _, _, d in edges)
    assert (iri("重庆市科学技术委员会"), iri("重庆市科学技术局")) in {(u, v) for u, v, _ in edges}
    G = nx.DiGraph()
    G.add_node(iri("重庆市科学技术委员会"), label="重庆市科学技术委员会", kind="gov")
    assert add_succession_edges(G, store) == 0
    assert add_succession_edges(G, store, add_missing=True) == 1
    d = G[iri("重庆市科学技术委员会")][iri("重庆市科学技术局")]
    assert d["role"] == "succession" and d["kind"] == "renaming" and "重庆市机构改革方案" in d["provenance"][0]["quote"]
    assert G.nodes[iri("重庆市科学技术局")]["label"] == "重庆市科学技术局"
    from policykg.graph.views import ROLE_STYLES

    assert "succession" in ROLE_STYLES


# ---------------------------------------------------------------------------------------------
# eval


def test_score_instruments(store):
    gold = {"doc": SEED0, "tasks": [], "measures": [
        {"id": "8.", "title": "推动重庆自贸试验区各片区建立知识产权质押融资风险分担机制",
         "instruments": ["environment/finance"]}]}
    s = score_instruments(store, gold).as_dict()
    assert (s["tp"], s["fp"], s["fn"]) == (1, 0, 0) and s["f1"] == 1.0
    gold["measures"].append({"id": "17.", "title": "加快知识产权人才培养", "instruments": ["税收优惠"]})
    s = score_instruments(store, gold).as_dict()
    assert s["tp"] == 1 and s["fn"] == 1 and s["fp"] >= 1
    gold["measures"].append({"id": "99.", "title": "不存在的任务标题文字", "instruments": ["tax"]})
    assert score_instruments(store, gold).fn == 2
    # a task annotated as unclassifiable: any system type is a false positive
    gold = {"doc": SEED2, "tasks": [{"id": "(十六)", "title": "推动知识产权质押融资", "lead": [], "instruments": []}]}
    assert score_instruments(store, gold).fp >= 1
    assert score_instruments(store, {"doc": SEED2, "tasks": [{"title": "x"}]}).as_dict()["tp"] == 0
    with pytest.raises(ValueError):
        score_instruments(store, {"doc": SEED0, "measures": [{"title": "加快知识产权人才培养", "instruments": ["x"]}]})
