

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


def test_store_loaded_in_many_slices_by_several_loaders_holds_every_quad(seed_build, tmp_path, monkeypatch):
    """write_store_from_files feeds slices of whole lines to concurrent bulk loaders; with slices
    of 64 KB the seeds' graph.nq is loaded in dozens of pieces by 3 loaders at once, and the store
    must hold exactly its quads (and the ontology graph)."""
    import pyoxigraph

    from policykg.graph import store as st
    from policykg.ontology.iris import ONTOLOGY_GRAPH

    nq = seed_build.out_dir / "graph.nq"
    assert nq.stat().st_size > 20 * (64 << 10)
    monkeypatch.setattr(st, "BULK_LOAD_SLICE", 64 << 10)
    st.write_store_from_files(tmp_path / "store", [nq], with_ontology=True, threads=3)
    store = pyoxigraph.Store.read_only(str(tmp_path / "store"))
    expected = set(pyoxigraph.parse(path=str(nq), format=pyoxigraph.RdfFormat.N_QUADS))
    held = {q for q in store if q.graph_name != pyoxigraph.NamedNode(ONTOLOGY_GRAPH)}

    def plain(quads):  # Oxigraph stores xsd:nonNegativeInteger values as xsd:integer ones
        out = set()
        for q in quads:
            o = q.object
            if isinstance(o, pyoxigraph.Literal) and o.datatype.value.endswith("#nonNegativeInteger"):
                o = pyoxigraph.Literal(o.value, datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
            out.add((q.subject, q.predicate, o, q.graph_name))
        return out

    assert plain(held) == plain(expected) and len(held) == len(expected)
    assert len(list(store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(ONTOLOGY_GRAPH)))) > 100
