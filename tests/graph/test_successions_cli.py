"""Agency successions across the 2018 reform, end to end: a 2014 plan names 市工商局 and 市质监局, a 2023
plan names 市市场监管局; following successions lines their roles up; views draw the succession."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from policykg.graph.build import build_corpus
from policykg.graph.cli import cli

DOCS = Path(__file__).resolve().parents[1] / "data" / "successions"


def test_compare_follows_successions(tmp_path):
    out = tmp_path / "out"
    build_corpus([DOCS], out, view=False)
    plain = CliRunner().invoke(cli, ["compare", "--by", "year", "--store", str(out), "--format", "csv"])
    followed = CliRunner().invoke(cli, ["compare", "--by", "year", "--store", str(out), "--format", "csv",
                                        "--follow-successions"])
    assert plain.exit_code == 0 and followed.exit_code == 0, plain.output + followed.output
    assert "重庆市工商行政管理局" in plain.output and "重庆市工商行政管理局" not in followed.output
    row = next(l for l in followed.output.splitlines() if l.startswith("重庆市市场监督管理局") or "重庆市市场监督管理局," in l)
    assert row.rstrip().endswith("1,1")  # degree 1 in 2014 (as 市工商局) and in 2023


def test_overview_draws_succession_edges(tmp_path):
    from policykg.graph.store import open_store
    from policykg.graph.viewsets import overview

    out = tmp_path / "out"
    build_corpus([DOCS], out, view=False)
    G = overview(open_store(out))
    roles = {(G.nodes[u]["label"], G.nodes[v]["label"], d["role"]) for u, v, d in G.edges(data=True)}
    assert any(r == "succession" and {"重庆市工商行政管理局", "重庆市市场监督管理局"} == {a, b} for a, b, r in roles)
