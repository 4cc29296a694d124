

def test_cached_rows_give_the_stores_coordination_network(seed_results, seed_store):
    """The summary's network is assembled from rows cached per document (projections.document_rows
    on each document's triples); it must be the network projected from the store."""
    import networkx as nx

    from policykg.graph.projections import assignment_rows, coordination_from_rows, coordination_network, document_rows

    rows = sorted((r for res in seed_results.values()
                   for r in document_rows(res.assembled.triples, res.assembled.graph.value)),
                  key=lambda r: (r.document, r.task, r.role, r.agent))
    assert rows == assignment_rows(seed_store)
    G, H = coordination_from_rows(rows), coordination_network(seed_store)
    assert nx.utils.graphs_equal(G, H) and G.number_of_edges() > 50


def _turtle_quads(out) -> list:
    """The quads of a build's Turtle files, each file's triples in the named graph it names."""
    import pyoxigraph

    from policykg.graph.build import turtle_files

    return [pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.NamedNode(graph))
            for graph, path in turtle_files(out)
            for t in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)]


def _plain(quads):
    """Quads as tuples, xsd:nonNegativeInteger literals as xsd:integer (as Oxigraph stores them)."""
    import pyoxigraph

    out = set()
    for q in quads:
        o = q.object
        if isinstance(o, pyoxigraph.Literal) and o.datatype.value.endswith("#nonNegativeInteger"):
            o = pyoxigraph.Literal(o.value, datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        out.add((q.subject, q.predicate, o, q.graph_name))
    return out


def test_store_loaded_in_many_slices_by_several_loaders_holds_every_quad(seed_build, tmp_path, monkeypatch):
    """write_store_from_files feeds slices of whole lines to concurrent bulk loaders: with slices
    of 64 KB a large N-Quads file is cut into dozens of pieces and small files are joined, loaded
    by 3 loaders at once, and the store must hold exactly their quads (and the ontology graph)."""
    import pyoxigraph

    from policykg.graph import store as st
    from policykg.ontology.iris import ONTOLOGY_GRAPH

    quads = sorted(_turtle_quads(seed_build.out_dir), key=str)
    big = tmp_path / "big.nq"  # two thirds of the quads in one file, the rest in files of 40 quads
    cut = 2 * len(quads) // 3
    big.write_text("".join(f"{q} .\n" for q in quads[:cut]), encoding="utf-8")
    small = []
    for i in range(cut, len(quads), 40):
        small.append(tmp_path / f"small-{i}.nq")
        small[-1].write_text("\n".join(f"{q} ." for q in quads[i:i + 40]), encoding="utf-8")  # no final newline
    assert big.stat().st_size > 20 * (64 << 10) and len(small) > 50
    monkeypatch.setattr(st, "BULK_LOAD_SLICE", 64 << 10)
    st.write_store_from_files(tmp_path / "store", [big] + small, with_ontology=True, threads=3)
    store = pyoxigraph.Store.read_only(str(tmp_path / "store"))
    held = {q for q in store if q.graph_name != pyoxigraph.NamedNode(ONTOLOGY_GRAPH)}
    assert _plain(held) == _plain(quads) and len(held) == len(quads)
    assert len(list(store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(ONTOLOGY_GRAPH)))) > 100


def test_turtle_files_hold_the_stores_document_graphs(seed_build):
    """The Turtle files under turtle/ (one per document, one for the gazetteer, each naming its
    named graph in its first line) hold the quads of the store's document and gazetteer graphs,
    no more, no fewer."""
    import pyoxigraph

    from policykg.graph.build import turtle_files
    from policykg.ontology.iris import ONTOLOGY_GRAPH

    files = turtle_files(seed_build.out_dir)
    assert [p.relative_to(seed_build.out_dir).as_posix() for _, p in files] == \
        [f"turtle/documents/{name}.ttl" for name in seed_build.documents] + ["turtle/gazetteer.ttl"]
    for graph, path in files:
        assert path.read_text(encoding="utf-8").split("\n", 1)[0] == f"# the named graph <{graph}>"
    quads = _turtle_quads(seed_build.out_dir)
    store = pyoxigraph.Store.read_only(str(seed_build.out_dir / "store"))
    held = {q for q in store if q.graph_name != pyoxigraph.NamedNode(ONTOLOGY_GRAPH)}
    assert _plain(quads) == _plain(held) and len(quads) == len(set(quads)) == len(held) == seed_build.counts["quads"]
    assert len({q.triple for q in quads}) == seed_build.counts["triples"]
    assert len({q.graph_name for q in quads}) == 6  # five documents and the gazetteer
