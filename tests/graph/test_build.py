

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
