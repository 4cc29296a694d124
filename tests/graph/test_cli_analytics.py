"""The analytics commands on the seeds build, with numbers a reader can check in the documents.

Seed 002 (002_2bca6094475032cd.txt) is the 2023 渝中区 intellectual-property work plan:
20 items, each ending in a tail such as “(区司法局牵头,区委宣传部、…按职责分工负责)”.
区市场监管局 (重庆市渝中区市场监督管理局) is named in 14 of the 20 tails and shares a
task with 18 other agencies.  Collective actors (各领导小组成员单位) are left out by
default, which leaves the 领导小组办公室 — lead of items (一) and (二), whose only
other assignee is that collective — without a partner: the network has 20 agencies,
19 of them tied together and 1 isolated.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from policykg.graph import analytics, cli_analytics
from policykg.graph.cli import cli

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
DOC = "002_2bca6094475032cd.txt"
ID = "https://w3id.org/policykg/id/"
SCJ = "重庆市渝中区市场监督管理局"
OFFICE = "重庆市渝中区知识产权工作领导小组办公室"
TAIL_3 = "(区司法局牵头,区委宣传部、区文化旅游委、区法院、区检察院、区公安分局、区市场监管局按职责分工负责)"


@pytest.fixture(scope="module")
def store_dir(seed_build):
    return str(seed_build.out_dir)


@pytest.fixture(scope="module")
def run(store_dir):
    runner = CliRunner()

    def invoke(*args, ok=True):
        result = runner.invoke(cli, [*args, "--store", store_dir])
        if ok:
            assert result.exit_code == 0, result.output + repr(result.exception)
        return result

    return invoke


def as_json(result):
    return json.loads(result.output)


def tails_of_002() -> list[str]:
    """The assignment tails of the 20 numbered items, read straight from the seed file."""
    text = (SEEDS / DOC).read_text(encoding="utf-8")
    items = re.findall(r"^\(([一二三四五六七八九十]+)\).*?(\([^()]*\))\s*$", text, flags=re.M)
    assert len(items) == 20
    return [tail for _, tail in items]


# ---------------------------------------------------------------------------
# help and start-up
# ---------------------------------------------------------------------------


def test_measure_names_agree_with_analytics():
    assert cli_analytics.CENTRALITY_NAMES == analytics.CENTRALITY_MEASURES
    assert set(cli_analytics.BROKERAGE_NAMES) <= set(analytics.MEASURES)


@pytest.mark.parametrize("command, names", [
    ("centrality", analytics.CENTRALITY_MEASURES),
    ("brokerage", ("constraint", "effective_size", "efficiency", "hierarchy")),
    ("compare", analytics.CENTRALITY_MEASURES),
    ("export", analytics.CENTRALITY_MEASURES),
])
def test_help_explains_each_measure_in_one_sentence(command, names):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    flat = " ".join(result.output.split())
    for name in names:
        meaning = " ".join(analytics.MEASURES[name].split())
        assert f"{name} {meaning[0].upper()}{meaning[1:]}." in flat


def test_every_command_has_help():
    for command in ("centrality", "brokerage", "summary", "communities", "compare", "path", "export"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "--store" in result.output


def test_cli_module_imports_only_click():
    code = ("import sys; import policykg.graph.cli; "
            "print(sorted(m for m in ('networkx', 'pandas', 'pyoxigraph') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ---------------------------------------------------------------------------
# centrality
# ---------------------------------------------------------------------------


def test_seed_002_counts_from_the_text():
    tails = tails_of_002()
    assert sum("区市场监管局" in t for t in tails) == 14
    partners = set()
    for t in tails:
        if "区市场监管局" in t:
            partners.update(re.split(r"[、,]", re.sub(r"牵头|按职责分工负责|负责|及其他领导小组成员单位|[()]", "", t)))
    partners -= {"区市场监管局", "", "领导小组各成员单位"}
    assert len(partners) == 18


def test_centrality_of_seed_002(run):
    data = as_json(run("centrality", "--document", DOC, "--top", "0", "--format", "json"))
    assert data["nodes"] == 20
    rows = data["rows"]
    top = rows[0]
    assert (top["rank"], top["label"], top["degree"]) == (1, SCJ, 18)
    assert top["degree"] == data["nodes"] - 2  # everyone except itself and the isolated office
    assert max(rows, key=lambda r: r["betweenness"])["label"] == SCJ
    assert max(rows, key=lambda r: r["weighted_degree"])["label"] == SCJ
    office = next(r for r in rows if r["label"] == OFFICE)
    assert office["degree"] == 0
    assert sum(r["degree"] > 0 for r in rows) == 19
    assert abs(sum(r["pagerank"] for r in rows) - 1) < 1e-9
    assert all(r["kind"] != "collective" for r in rows)


def test_centrality_table_is_aligned_and_ranked(run):
    out = run("centrality", "--document", DOC, "--top", "5").output.splitlines()
    assert "20 agencies, 70 ties" in out[0] and "1 isolated" in out[0]
    table = [line for line in out if line and not line.startswith(("Centrality", "Top "))]
    assert table[0].split()[:3] == ["rank", "label", "kind"] and len(table) == 2 + 5
    widths = {cli_analytics._width(line) for line in table}
    assert len(widths) == 1  # CJK counted as two columns: every line ends in the same column
    first = table[2].split()
    assert first[:4] == ["1", SCJ, "gov", "18"]


def test_centrality_options(run):
    rows = as_json(run("centrality", "--document", DOC, "--measure", "betweenness", "--measure", "degree",
                       "--format", "json"))["rows"]
    assert list(rows[0]) == ["rank", "node", "label", "kind", "betweenness", "degree"]
    assert [r["betweenness"] for r in rows] == sorted((r["betweenness"] for r in rows), reverse=True)
    assert len(rows) == 20  # default --top 20
    three = list(csv.DictReader(run("centrality", "--top", "3", "--format", "csv").output.splitlines()))
    assert len(three) == 3 and three[0]["node"].startswith(ID)
    # --years 2023 selects exactly seed 002
    by_year = as_json(run("centrality", "--years", "2023", "--format", "json", "--top", "0"))["rows"]
    by_doc = as_json(run("centrality", "--document", DOC, "--format", "json", "--top", "0"))["rows"]
    assert [(r["node"], r["degree"], r["weighted_degree"]) for r in by_year] == \
        [(r["node"], r["degree"], r["weighted_degree"]) for r in by_doc]
    for a, b in zip(by_year, by_doc):  # ARPACK (eigenvector) may differ in the last digits
        assert a["eigenvector"] == pytest.approx(b["eigenvector"], abs=1e-9)
    # collectives on request
    coll = as_json(run("centrality", "--document", DOC, "--with-collectives", "--format", "json", "--top", "0"))
    assert any(r["kind"] == "collective" for r in coll["rows"])
    # unweighted betweenness still puts 区市场监管局 first
    unweighted = as_json(run("centrality", "--document", DOC, "--measure", "betweenness", "--unweighted",
                             "--format", "json"))
    assert unweighted["rows"][0]["label"] == SCJ and not unweighted["weighted"]


def test_layers(run):
    lead = as_json(run("summary", "--document", DOC, "--layer", "lead", "--format", "json"))
    assert lead["directed"] is True
    # Only items (一), (二), (三) and (五) of 002 name a 牵头 unit; in (一), (二) and (五) the other
    # assignee is the collective 各领导小组成员单位, so the lead-responsible layer holds just the
    # six ties of 区司法局 (lead of (三)) to the units responsible with it.
    lr = as_json(run("summary", "--document", DOC, "--layer", "lead-responsible", "--format", "json"))
    assert lr["edges"] == 6
    rows = as_json(run("centrality", "--document", DOC, "--layer", "lead-responsible", "--format", "json",
                       "--top", "0"))["rows"]
    assert next(r for r in rows if r["label"] == "重庆市渝中区司法局")["degree"] == 6


@pytest.mark.parametrize("args, message", [
    (("--years", "2030"), "empty after the filters"),
    (("--document", "nope.txt"), "no document 'nope.txt'"),
    (("--jurisdiction", "火星"), "empty after the filters"),
])
def test_filter_errors_are_clear(run, args, message):
    result = run("centrality", *args, ok=False)
    assert result.exit_code == 1 and message in result.output
    assert DOC in result.output  # the message lists the documents the store holds


def test_bad_years_and_missing_store(tmp_path):
    result = CliRunner().invoke(cli, ["centrality", "--years", "last year", "--store", str(tmp_path)])
    assert result.exit_code == 2 and "2014-2023" in result.output
    result = CliRunner().invoke(cli, ["centrality", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "policykg build" in result.output


# ---------------------------------------------------------------------------
# brokerage, summary, communities
# ---------------------------------------------------------------------------


def test_brokerage_of_seed_002(run):
    data = as_json(run("brokerage", "--document", DOC, "--format", "json", "--top", "0"))
    rows = data["rows"]
    assert rows[0]["label"] == SCJ  # lowest constraint: the broker
    assert rows[0]["effective_size"] > max(r["effective_size"] or 0 for r in rows[1:])
    office = next(r for r in rows if r["label"] == OFFICE)
    assert office["constraint"] is None  # isolated: undefined
    table = run("brokerage", "--document", DOC, "--top", "3").output
    assert "constraint" in table and SCJ in table


def test_summary_of_seed_002(run):
    data = as_json(run("summary", "--document", DOC, "--format", "json"))
    assert (data["nodes"], data["edges"], data["components"], data["largest_component"], data["isolates"]) == \
        (20, 70, 2, 19, 1)
    assert data["density"] == pytest.approx(70 / (20 * 19 / 2))
    assert "density" in run("summary", "--document", DOC).output


def test_communities_are_deterministic(run):
    first = run("communities", "--document", DOC, "--format", "json").output
    second = run("communities", "--document", DOC, "--format", "json").output
    assert first == second
    data = json.loads(first)
    members = [m["label"] for c in data["communities"] for m in c["members"]]
    assert len(members) == len(set(members)) == 20
    assert -0.5 <= data["modularity"] <= 1
    assert [c["community"] for c in data["communities"]] == list(range(1, len(data["communities"]) + 1))
    assert {"community": len(data["communities"]), "size": 1,
            "members": [{"node": ID + "agency/" + OFFICE, "label": OFFICE, "kind": "leading_group"}]} \
        in data["communities"]  # the isolated office is a community of its own
    text = run("communities", "--document", DOC, "--seed", "0").output
    assert "modularity Q =" in text and "Community 1 (" in text
    assert run("communities", "--document", DOC, "--seed", "0").output == text
    rows = list(csv.DictReader(run("communities", "--document", DOC, "--format", "csv").output.splitlines()))
    assert len(rows) == 20


# ---------------------------------------------------------------------------
# compare
# ---------------------------------------------------------------------------


def test_compare_by_year(run):
    data = as_json(run("compare", "--by", "year", "--format", "json"))
    assert [p["period"] for p in data["periods"]] == ["2014", "2016", "2017", "2023"]
    row = next(r for r in data["rows"] if r["label"] == SCJ)
    assert (row["2014"], row["2023"]) == (None, 18)
    assert [(c["from"], c["to"]) for c in data["changes"]] == [("2014", "2016"), ("2016", "2017"), ("2017", "2023")]
    entered = [e["label"] for e in data["changes"][-1]["entered"]]
    assert entered[0] == SCJ  # the largest newcomer of 2023
    text = run("compare", "--by", "year").output
    assert "2017 → 2023" in text and "entered" in text and "left" in text
    header = next(line for line in text.splitlines() if line.startswith("label"))
    assert header.split()[-4:] == ["2014", "2016", "2017", "2023"]


def test_compare_by_document_and_csv(run):
    data = as_json(run("compare", "--by", "document", "--measure", "betweenness", "--format", "json"))
    assert len(data["periods"]) == 5 and data["periods"][-1]["period"] == DOC
    rows = list(csv.DictReader(run("compare", "--format", "csv", "--top", "0").output.splitlines()))
    assert set(rows[0]) == {"node", "label", "kind", "2014", "2016", "2017", "2023"}


# ---------------------------------------------------------------------------
# path
# ---------------------------------------------------------------------------


def test_path_between_justice_bureau_and_court(run):
    out = run("path", "区司法局", "区法院").output
    assert "重庆市渝中区司法局 —lead→ (三) 健全知识产权法规执行" in out
    assert f"“{TAIL_3}”" in out and "←responsible— 重庆市渝中区人民法院" in out
    assert "(十三) 健全知识产权纠纷多元化解机制" in out
    assert TAIL_3 in (SEEDS / DOC).read_text(encoding="utf-8")
    # the full names give the same answer
    assert run("path", "重庆市渝中区司法局", "重庆市渝中区人民法院").output == out
    one = run("path", "区司法局", "区法院", "--max-paths", "1").output
    assert "1 shortest connection" in one and "(十三)" not in one


def test_path_to_a_pilot_zone_and_a_mechanism(run):
    # 市知识产权局 leads tasks of seed 000 that concern the free-trade zone; 两江片区 is part of it.
    out = run("path", "市知识产权局", "两江片区").output
    assert "—concerns zone→ 中国(重庆)自由贸易试验区" in out and "←part of— 两江片区" in out
    data = as_json(run("path", "市知识产权局", "知识产权行政执法和保护协作机制", "--format", "json"))
    assert data["connected"] and [s["relation"] for s in data["paths"][0]] == ["lead", "establishes"]
    # the 渝中区 plan shares no pilot zone or mechanism with the municipal documents
    out = run("path", "区市场监管局", "两江片区").output
    assert "are not connected" in out


def test_path_errors(run, tmp_path):
    result = run("path", "区司法局", "不存在的机构", ok=False)
    assert result.exit_code == 1 and "no agency, pilot zone, mechanism or industry is called" in result.output
    result = run("path", "区市场监管局", "重庆市渝中区市场监督管理局", ok=False)
    assert result.exit_code == 1 and "same entity" in result.output
    # an ambiguous short name lists the candidates
    from pyoxigraph import Literal, NamedNode, Quad

    from policykg.graph.store import write_store

    pref = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    alt = NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
    kind = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    agency = NamedNode("https://w3id.org/policykg/ontology#Agency")
    g = NamedNode("urn:test:g")
    quads = []
    for district in ("渝中区", "江北区"):
        a = NamedNode(f"{ID}agency/重庆市{district}司法局")
        quads += [Quad(a, kind, agency, g), Quad(a, pref, Literal(f"重庆市{district}司法局"), g),
                  Quad(a, alt, Literal("区司法局"), g)]
    write_store(tmp_path / "store", quads)
    result = CliRunner().invoke(cli, ["path", "区司法局", "区法院", "--store", str(tmp_path)])
    assert result.exit_code == 1
    assert "could mean 2" in result.output and "重庆市江北区司法局" in result.output


# ---------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def expected(seed_store):
    from policykg.graph.projections import Filters, coordination_network

    G = coordination_network(seed_store, Filters(documents=(DOC,)))
    return {
        "labels": {n: d["label"] for n, d in G.nodes(data=True)},
        "edges": {frozenset((G.nodes[u]["label"], G.nodes[v]["label"])): w for u, v, w in G.edges(data="weight")},
    }


def _by_label_edges(G, label_of=lambda G, n: G.nodes[n]["label"]):
    return {frozenset((label_of(G, u), label_of(G, v))): w for u, v, w in G.edges(data="weight")}


def test_export_graphml_and_gexf_round_trip(run, tmp_path, expected):
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"net.{fmt}"
        result = run("export", "--format", fmt, "--document", DOC, "--out", str(out))
        assert "20 agencies and 70 ties" in result.output
        G = reader(out)
        assert {n: d["label"] for n, d in G.nodes(data=True)} == expected["labels"]
        assert {k: int(v) for k, v in _by_label_edges(G).items()} == expected["edges"]
        scj = G.nodes[ID + "agency/" + SCJ]
        assert int(scj["degree"]) == 18 and scj["kind"] == "gov" and scj["level"] == "district"
        assert scj["jurisdiction"] == "重庆市渝中区"
        assert {"betweenness", "closeness", "eigenvector", "pagerank", "weighted_degree"} <= set(scj)


def test_export_ucinet_pajek_csv_round_trip(run, tmp_path, expected):
    from policykg.graph.export import read_ucinet_dl

    labels = set(expected["labels"].values())
    run("export", "--format", "ucinet", "--document", DOC, "--out", str(tmp_path / "net"))
    D = read_ucinet_dl(tmp_path / "net.dl")
    assert set(D) == labels and _by_label_edges(D, lambda G, n: n) == expected["edges"]

    run("export", "--format", "pajek", "--document", DOC, "--out", str(tmp_path / "net"))
    Pj = nx.Graph(nx.read_pajek(tmp_path / "net.net"))
    assert set(Pj) == labels and Pj.number_of_edges() == 70

    run("export", "--format", "csv", "--document", DOC, "--out", str(tmp_path / "net.csv"))
    with open(tmp_path / "net_nodes.csv", encoding="utf-8", newline="") as f:
        nodes = list(csv.DictReader(f))
    with open(tmp_path / "net_edges.csv", encoding="utf-8", newline="") as f:
        edges = list(csv.DictReader(f))
    assert {r["label"] for r in nodes} == labels
    assert next(r for r in nodes if r["label"] == SCJ)["degree"] == "18"
    assert {frozenset((r["source_label"], r["target_label"])): int(r["weight"]) for r in edges} == expected["edges"]


def test_export_default_path_is_in_the_build_dir(seed_build, tmp_path):
    build = tmp_path / "build"
    shutil.copytree(Path(seed_build.out_dir) / "store", build / "store")
    result = CliRunner().invoke(cli, ["export", "--store", str(build)])
    assert result.exit_code == 0, result.output
    G = nx.read_graphml(build / "coordination.graphml")
    assert G.number_of_nodes() > 20  # all documents
    result = CliRunner().invoke(cli, ["export", "--format", "csv", "--layer", "lead", "--store", str(build / "store")])
    assert result.exit_code == 0, result.output
    assert (build / "lead_nodes.csv").exists() and (build / "lead_edges.csv").exists()
    result = CliRunner().invoke(cli, ["export", "--years", "1999", "--store", str(build)])
    assert result.exit_code == 1 and "empty" in result.output
