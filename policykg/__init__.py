"""policykg: knowledge graphs of interagency coordination from Chinese policy documents.

The public API (imported lazily, so ``import policykg`` is cheap):

- :func:`build` — build documents (default: the bundled seeds) and open the result;
- :func:`open_graph` — open an existing build directory;
- :class:`PolicyGraph` — ``query`` (SPARQL → DataFrame), ``projection`` (networkx),
  ``centrality``, ``brokerage``, ``communities``, ``view`` (offline HTML);
- :func:`evaluate` — score extraction against gold annotations.
"""
__version__ = "0.1.0"
__all__ = ["build", "open_graph", "PolicyGraph", "evaluate", "__version__"]


def __getattr__(name):
    if name in ("build", "open_graph", "PolicyGraph", "evaluate"):
        from policykg import api

        return getattr(api, name)
    raise AttributeError(f"module 'policykg' has no attribute {name!r}")
