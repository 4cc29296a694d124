"""SHACL: the seeds' graph conforms; a broken graph fails naming focus node, path and message."""
from __future__ import annotations

from policykg.graph.validate import rdflib_term, validate_ntriples, validate_triples


def _nt(build):
    import pyoxigraph

    from policykg.graph.build import turtle_files

    return sorted({f"{t.subject} {t.predicate} {t.object} ." for _, path in turtle_files(build.out_dir)
                   for t in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)})


def test_seed_graph_conforms(seed_build):
    assert validate_ntriples("\n".join(_nt(seed_build))) == []


def test_broken_graph_is_reported(seed_build):
    lines = _nt(seed_build)
    # drop every agent of every role assignment, and every agency kind of one agency
    broken = [l for l in lines if "<http://www.w3.org/ns/prov#agent>" not in l
              and not ("重庆市渝中区司法局>" in l and "#agencyKind>" in l)]
    violations = validate_ntriples("\n".join(broken))
    assert violations
    kinds = {(v.path.rsplit("#", 1)[-1], v.message) for v in violations}
    assert ("agent", "a role assignment names exactly one agent") in kinds
    assert any(v.focus.endswith("重庆市渝中区司法局") and v.path.endswith("agencyKind") for v in violations)


def test_triples_are_validated_as_their_ntriples_text(seed_build):
    """validate_triples (the build's path: terms converted one by one) reports what rdflib's
    N-Triples parser and the same shapes report, for a conforming and a broken graph, and it
    makes the very terms that parser makes (escapes, language tags, datatypes, blank nodes)."""
    import rdflib

    lines = _nt(seed_build)
    triples = [tuple(l[:-2].split(" ", 2)) for l in lines]
    assert validate_triples(triples) == [] == validate_ntriples("\n".join(lines))
    broken = [t for t in triples if t[1] != "<http://www.w3.org/ns/prov#agent>"]
    found = validate_triples(broken)
    assert found and found == validate_ntriples("\n".join(f"{s} {p} {o} ." for s, p, o in broken))
    for term in ('"a\\"b\\\\c\\nd\\u00E9\\U0001F600"', '"二〇二三年"@zh-hans', '"12"^^<http://www.w3.org/2001/XMLSchema#integer>',
                 "<http://example.org/a\\u00E9>", '"x"'):
        parsed = next(iter(rdflib.Graph().parse(data=f"<http://s> <http://p> {term} .", format="nt")))[2]
        assert rdflib_term(term) == parsed and type(rdflib_term(term)) is type(parsed), term
    assert rdflib_term("_:b0") == rdflib.BNode("b0")  # (rdflib's parser gives blank nodes fresh labels)


def test_build_stops_on_a_violation_and_writes_nothing(tmp_path):
    """A project's own shape (every agency must state its level) that some agencies violate:
    the build fails naming the focus node, the path and the message; an earlier build is untouched."""
    from click.testing import CliRunner

    from policykg.graph.cli import cli

    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", "--out", str(out), "--no-view"]).exit_code == 0
    before = {p: p.read_bytes() for p in (out / "turtle").rglob("*.ttl")}
    assert len(before) == 6
    shapes = tmp_path / "mine.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix pk: <https://w3id.org/policykg/ontology#> .
pk:LevelRequired a sh:NodeShape ; sh:targetClass pk:Agency ;
  sh:property [ sh:path pk:level ; sh:minCount 1 ; sh:message "an agency states its level" ] .
""", encoding="utf-8")
    r = CliRunner().invoke(cli, ["build", "--out", str(out), "--no-view", "--full", "--shapes", str(shapes)])
    assert r.exit_code != 0
    assert "SHACL violation: https://w3id.org/policykg/id/agency/" in r.output
    assert "https://w3id.org/policykg/ontology#level: an agency states its level" in r.output
    assert {p: p.read_bytes() for p in (out / "turtle").rglob("*.ttl")} == before
    assert not list(out.glob(".building-*"))
