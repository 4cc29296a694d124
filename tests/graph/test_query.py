"""Named research queries on the seeds, checked against facts a person can read in the documents."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from policykg.graph.cli import cli
from policykg.graph.query import format_result, named_queries, run_query

SEED002 = "002_2bca6094475032cd.txt"


def _rows(store, name, **params):
    res = run_query(store, named_queries()[name].text, params)
    return [dict(zip(res.variables, (t.value if t is not None else None for t in row))) for row in res.rows]


def test_catalogue_states_questions():
    qs = named_queries()
    assert len(qs) >= 10
    for q in qs.values():
        assert q.question.endswith("?") or "?" in q.question, q.name


def test_tasks_of_district_market_regulator(seed_store):
    """Seed 002: 区市场监管局 takes part in 14 of the 20 items, e.g. (三) as responsible, (八) as lead."""
    rows = [r for r in _rows(seed_store, "tasks-of-agency", agency="区市场监管局") if r["doc"] == SEED002]
    by_number = {r["number"]: r["role"] for r in rows}
    assert set(by_number) == {"(三)", "(四)", "(五)", "(六)", "(七)", "(八)", "(十)", "(十三)", "(十五)", "(十六)",
                              "(十七)", "(十八)", "(十九)", "(二十)"}
    assert by_number["(三)"] == "responsible" and by_number["(八)"] == "lead" and by_number["(五)"] == "lead"
    assert "(九)" not in by_number  # (区法院负责)


def test_lead_counts_and_pairs(seed_store):
    leads = _rows(seed_store, "lead-counts")
    top = leads[0]
    assert top["label"] == "重庆市知识产权局"  # the executing department of all 18 rows of seed 004 (+ seed 000)
    pairs = _rows(seed_store, "co-assigned-pairs")
    best = {(p["aLabel"], p["bLabel"]): int(p["shared"]) for p in pairs}
    # 区委宣传部 and 区市场监管局 share items (三)(十)(十五)(十七)(十九)(二十)
    assert best[("中共重庆市渝中区委宣传部", "重庆市渝中区市场监督管理局")] == 6


def test_supporters_of(seed_store):
    rows = _rows(seed_store, "supporters-of", agency="市知识产权局")
    labels = {r["label"] for r in rows}
    assert "重庆市自由贸易试验区工作办公室" in labels  # 市知识产权局会同市自贸办 (seed 000)
    assert any(l.endswith("规划发展处") for l in labels)  # 责任处室 in seed 004


def test_zone_industries(seed_store):
    rows = _rows(seed_store, "zone-industries")
    got = {(r["zoneLabel"], r["industryLabel"]) for r in rows}
    assert ("果园港片区", "新能源及智能汽车") in got and len(got) == 8


def test_targets_and_years(seed_store):
    rows = _rows(seed_store, "targets-by-year")
    assert any(r["value"] == "120000" and r["unit"] == "件" and r["year"] == "2020" for r in rows)
    per_year = {r["year"]: int(r["agencies"]) for r in _rows(seed_store, "agencies-per-year")}
    assert set(per_year) == {"2014", "2016", "2017", "2023"}


def test_provenance_quotes(seed_store):
    rows = _rows(seed_store, "assignment-provenance")
    r = next(r for r in rows if r["agencyLabel"] == "重庆市渝中区司法局" and r["heading"] == "健全知识产权法规执行")
    assert r["role"] == "lead" and r["quote"].startswith("(区司法局牵头")


def test_every_named_query_runs(seed_store):
    for name, q in named_queries().items():
        params = {p: "重庆市渝中区市场监督管理局" for p in q.parameters if p == "agency"}
        params.update({p: "两江片区" for p in q.parameters if p == "zone"})
        res = run_query(seed_store, q.text, params)
        assert res.kind == "select", name
        assert res.rows, name


def test_cli_query_formats_and_errors(seed_build):
    store = str(seed_build.out_dir)
    r = CliRunner().invoke(cli, ["query", "--store", store, "--name", "lead-counts", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["results"]["bindings"][0]["label"]["value"] == "重庆市知识产权局"
    r = CliRunner().invoke(cli, ["query", "--store", store, "-e", "ASK { ?s a <https://w3id.org/policykg/ontology#Task> }"])
    assert r.output.strip() == "true"
    r = CliRunner().invoke(cli, ["query", "--store", store, "-e", "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 2", "--format", "nt"])
    assert r.exit_code == 0 and r.output.count(" .") == 2
    r = CliRunner().invoke(cli, ["query", "--store", store, "-e", "SELECT ?x WHERE { ?x ?y }"])
    assert r.exit_code != 0 and "1:26" in r.output  # the position of the syntax error
    r = CliRunner().invoke(cli, ["query", "--store", store, "--name", "lead-counts", "--format", "table"])
    assert "重庆市知识产权局 <https://" in r.output  # IRIs shown with their labels
    r = CliRunner().invoke(cli, ["query", "--store", store, "--list"])
    assert "tasks-of-agency" in r.output


def test_parameters_are_bound_not_pasted(seed_store):
    """A value that would break out of a pasted query is just an unknown literal here."""
    evil = '"} ; DROP ALL ; SELECT * WHERE { ?s ?p ?o '
    res = run_query(seed_store, named_queries()["tasks-of-agency"].text, {"agency": evil})
    assert res.rows == ()  # bound as a literal: no agency has it, nothing is dropped or injected


def test_unknown_label_for_a_resource_parameter_is_an_error(seed_build):
    r = CliRunner().invoke(cli, ["query", "--store", str(seed_build.out_dir), "--name", "tasks-of-agency",
                                 "--param", "agency=区市场监管"])
    assert r.exit_code != 0 and "区市场监管" in r.output


def test_python_api(seed_build):
    import policykg

    g = policykg.open_graph(seed_build.out_dir)
    docs = g.documents()
    assert sorted(docs["year"].tolist()) == [2014, 2014, 2016, 2017, 2023]
    df = g.query("tasks-of-agency", agency="区市场监管局")
    assert df[df["doc"] == SEED002]["task"].nunique() == 14
    cent = g.centrality(documents=[SEED002])
    assert cent.iloc[0]["label"] == "重庆市渝中区市场监督管理局"
    with pytest.raises(ValueError):
        g.query("tasks-of-agency", agency="no such agency")


def test_co_assigned_pairs_are_the_coordination_networks_edges(seed_store):
    """The stored co-assignments (pk:CoAssignment) agree with the tasks' role assignments."""
    from policykg.graph.projections import coordination_network

    G = coordination_network(seed_store)
    pairs = {frozenset((p["a"], p["b"])): int(p["shared"]) for p in _rows(seed_store, "co-assigned-pairs")}
    edges = {frozenset((u, v)): d["weight"] for u, v, d in G.edges(data=True)}
    assert pairs == edges and len(pairs) > 50


def test_rows_sorted_here_are_in_the_engines_order(seed_store):
    """run_query sorts the rows of a final ORDER BY itself (see client_ordering): for every named
    query, the same rows as the engine's ORDER BY, and the key columns in the engine's order."""
    from policykg.graph.query import client_ordering

    for name, q in named_queries().items():
        ordering = client_ordering(q.text)
        assert ordering is not None, name  # every named query ends with ORDER BY of variables
        params = {"agency": "区市场监管局"} if "agency" in q.parameters else {}
        if "zone" in q.parameters:
            params = {"zone": _rows(seed_store, "zone-industries")[0]["zone"]}
        ours = run_query(seed_store, q.text, params)
        kwargs = {"use_default_graph_as_union": True}
        if params:
            from policykg.graph.query import resolve_parameter
            from pyoxigraph import Variable

            kwargs["substitutions"] = {Variable(k): resolve_parameter(seed_store, v) for k, v in params.items()}
        engine = seed_store.query(q.text, **kwargs)
        variables = [v.value for v in engine.variables]
        theirs = [tuple(sol[v] for v in variables) for sol in engine]
        assert ours.variables == tuple(variables)
        assert sorted(map(repr, ours.rows)) == sorted(map(repr, theirs)), name
        keys = [variables.index(k) for k, _ in ordering[1]]
        assert [[row[i] for i in keys] for row in ours.rows] == [[row[i] for i in keys] for row in theirs], name
        assert len(theirs) > 0, name


def test_client_ordering_is_only_taken_for_plain_variables():
    from policykg.graph.query import client_ordering

    text, keys = client_ordering("SELECT ?a ?b WHERE { ?a ?p ?b }\nORDER BY DESC(?b) ?a\n# a comment\n")
    assert keys == [("b", True), ("a", False)] and "ORDER" not in text
    assert client_ordering("SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a LIMIT 10") is None
    # a comment after the clause, and a "#" inside an IRI or a string, are not in the way
    text, keys = client_ordering('SELECT ?a WHERE { ?a <http://x.org/v#p> "#b" }\nORDER BY ?a  # by a\n')
    assert keys == [("a", False)] and text.rstrip().endswith('<http://x.org/v#p> "#b" }')
    assert client_ordering("SELECT ?a WHERE { ?a ?p ?b }  # ORDER BY ?a") is None
    assert client_ordering("SELECT ?a WHERE { ?a ?p ?b } ORDER BY STRLEN(?a)") is None
    assert client_ordering("SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a } }") is None


def test_rows_the_engine_must_order_are_left_to_it(seed_store):
    """NaN and infinities, and a column mixing numbers and strings, are ordered by the engine."""
    for values in ('1 "NaN"^^xsd:double 2', '"INF"^^xsd:double 1 "-INF"^^xsd:double', '1 "a" 2'):
        text = ("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT ?x WHERE { VALUES ?x { " + values
                + " } } ORDER BY ?x")
        ours = run_query(seed_store, text)
        engine = [s["x"] for s in seed_store.query(text)]
        assert list(r[0] for r in ours.rows) == engine
    ours = run_query(seed_store, "SELECT ?x WHERE { VALUES ?x { 3 1.5 2 } } ORDER BY DESC(?x)")
    assert [r[0].value for r in ours.rows] == ["3", "2", "1.5"]


def test_values_hint_opens_the_outermost_where_group(seed_store):
    """with_values_hint puts the substituted terms in a VALUES block after the first real
    `WHERE {`, not after one inside a comment, a string or an IRI, and leaves a query without
    the keyword alone; with the substitutions it gives the rows the substitutions alone give."""
    from pyoxigraph import Literal, NamedNode, Variable

    from policykg.graph.query import resolve_parameter, with_values_hint

    agency = resolve_parameter(seed_store, "区市场监管局")
    assert isinstance(agency, NamedNode)
    q = ('# not here: WHERE {\n'
         'PREFIX pk: <https://w3id.org/policykg/ontology#> '  # an IRI's "#" opens no comment
         'SELECT ?agency ?task ("WHERE {" AS ?s) (\'\'\'x\nWHERE {\'\'\' AS ?t) (IF(1 < 2, 1, 0) AS ?one) where {\n'
         '  GRAPH ?g { ?task pk:lead ?agency } } ORDER BY ?task')
    subs = {Variable("agency"): agency}
    hinted = with_values_hint(q, subs)
    assert hinted == q.replace("where {\n", f"where {{\n  VALUES (?agency) {{ ({agency}) }}\n", 1)
    plain = [tuple(s) for s in seed_store.query(q, substitutions=subs, use_default_graph_as_union=True)]
    assert plain and plain == [tuple(s) for s in seed_store.query(hinted, substitutions=subs,
                                                                  use_default_graph_as_union=True)]
    assert with_values_hint("SELECT * { ?s ?p ?o }", subs) == "SELECT * { ?s ?p ?o }"
    evil = {Variable("x"): Literal('"} } ; DROP ALL ; #')}  # stays one literal
    assert with_values_hint("ASK WHERE { ?s ?p ?x }", evil) == \
        'ASK WHERE {\n  VALUES (?x) { ("\\"} } ; DROP ALL ; #") } ?s ?p ?x }'
