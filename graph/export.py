"""Write coordination networks for Gephi, UCINET, Pajek, R and pandas.

All files are UTF-8 without a byte-order mark, so Chinese agency names
survive.  Every writer replaces its target atomically (it writes a temporary
file next to it and :func:`os.replace`-s it), so an interrupted export never
leaves half a file behind.

=========  ===========================  ====================================
format     written by                   read back with
=========  ===========================  ====================================
graphml    :func:`write_graphml`        Gephi, :func:`networkx.read_graphml`
gexf       :func:`write_gexf`           Gephi, :func:`networkx.read_gexf`
pajek      :func:`write_pajek`          Pajek, Gephi, :func:`networkx.read_pajek`
ucinet     :func:`write_ucinet_dl`      UCINET, Gephi, :func:`read_ucinet_dl`
csv        :func:`write_csv`            R, pandas, spreadsheets (csv module)
=========  ===========================  ====================================

GraphML and GEXF keep every attribute; Pajek and UCINET DL only carry the
labels and tie weights (the other attributes go to the GraphML/GEXF/CSV
exports).  In Pajek and DL files the vertex *label* is the identifier, so
labels that occur more than once (e.g. 区市场监管局 in two districts) are
disambiguated as ``"label <IRI>"``.
"""
from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import re
import tempfile
from collections.abc import Hashable, Iterator, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

__all__ = [
    "EXPORT_FORMATS",
    "export_graph",
    "write_graphml",
    "write_gexf",
    "write_pajek",
    "write_ucinet_dl",
    "read_ucinet_dl",
    "write_csv",
]

#: Formats :func:`export_graph` understands.
EXPORT_FORMATS: tuple[str, ...] = ("graphml", "gexf", "pajek", "ucinet", "csv")

_EXTENSIONS = {"graphml": ".graphml", "gexf": ".gexf", "pajek": ".net", "ucinet": ".dl"}

_MISSING = object()

# ---------------------------------------------------------------------------
# shared helpers
# ---------------------------------------------------------------------------


@contextlib.contextmanager
def _atomic(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it into place on success."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        try:
            mode = target.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def _scalar(value: Any) -> Any:
    """A plain Python value for a file format, or ``_MISSING`` to drop it.

    ``None`` and NaN are dropped; numpy scalars become Python scalars;
    lists, tuples and sets become ``"; "``-joined strings (sets sorted);
    dicts become JSON; anything else (dates, rdflib terms ...) ``str()``.
    """
    if value is None:
        return _MISSING
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (TypeError, ValueError):
            pass
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return _MISSING if math.isnan(value) else value
    if isinstance(value, str):
        return value
    if isinstance(value, (set, frozenset)):
        return "; ".join(sorted(str(x) for x in value if x is not None))
    if isinstance(value, (list, tuple)):
        return "; ".join(str(x) for x in value if x is not None)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def _unified(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give every attribute one type across all records (GraphML keys are typed).

    All-bool and all-int columns stay, int mixed with float becomes float,
    any other mixture becomes str.
    """
    types: dict[str, set[type]] = {}
    for rec in records:
        for key, value in rec.items():
            types.setdefault(key, set()).add(type(value))
    convert: dict[str, Any] = {}
    for key, ts in types.items():
        if len(ts) <= 1:
            continue
        convert[key] = float if ts == {int, float} else str
    if not convert:
        return records
    return [{k: (convert[k](v) if k in convert else v) for k, v in rec.items()} for rec in records]


def _label(G: nx.Graph, node: Hashable) -> str:
    label = G.nodes[node].get("label")
    return str(node) if label is None or label == "" else str(label)


def _sanitized_copy(
    G: nx.Graph, *, graph_attributes: bool, rename: Mapping[str, str] | None = None
) -> nx.Graph:
    """A copy of ``G`` whose attributes GraphML/GEXF can store; ``label`` always set."""
    rename = rename or {}
    H = G.__class__()
    if graph_attributes:
        for key, value in G.graph.items():
            if key in ("node_default", "edge_default"):
                continue
            value = _scalar(value)
            if value is not _MISSING:
                H.graph[key] = value
    nodes = list(G)
    node_records = []
    for v in nodes:
        rec = {}
        for key, value in G.nodes[v].items():
            value = _scalar(value)
            if value is not _MISSING:
                rec[rename.get(key, key)] = value
        rec["label"] = _label(G, v)
        node_records.append(rec)
    for v, rec in zip(nodes, _unified(node_records)):
        H.add_node(v, **rec)
    if G.is_multigraph():
        edges = list(G.edges(keys=True, data=True))
        ends = [(u, v, key) for u, v, key, _ in edges]
    else:
        edges = list(G.edges(data=True))
        ends = [(u, v) for u, v, _ in edges]
    edge_records = []
    for edge in edges:
        rec = {}
        for key, value in edge[-1].items():
            value = _scalar(value)
            if value is not _MISSING:
                rec[rename.get(key, key)] = value
        edge_records.append(rec)
    for end, rec in zip(ends, _unified(edge_records)):
        H.add_edge(*end, **rec)
    return H


def _unique_labels(G: nx.Graph) -> dict[Hashable, str]:
    """Node -> label usable as an identifier (duplicates become ``label <IRI>``)."""
    labels = {v: _label(G, v) for v in G}
    count: dict[str, int] = {}
    for label in labels.values():
        count[label] = count.get(label, 0) + 1
    unique = {v: (f"{lab} <{v}>" if count[lab] > 1 else lab) for v, lab in labels.items()}
    taken: set[str] = set()
    for v, lab in unique.items():  # only if a label literally equals "x <iri>"
        candidate, i = lab, 2
        while candidate in taken:
            candidate, i = f"{lab} #{i}", i + 1
        unique[v] = candidate
        taken.add(candidate)
    return unique


def _weight_value(data: Mapping[str, Any], weight: str | None, u: Any, v: Any) -> int | float:
    if weight is None:
        return 1
    w = data.get(weight, 1)
    if w is None:
        return 1
    if hasattr(w, "item"):
        w = w.item()
    if isinstance(w, bool) or not isinstance(w, (int, float)):
        try:
            w = float(w)
        except (TypeError, ValueError):
            raise TypeError(f"edge ({u!r}, {v!r}) has a non-numeric {weight!r}: {w!r}") from None
    return w


def _number(x: int | float) -> str:
    """Integers without a decimal point, other floats with full precision."""
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return repr(x) if isinstance(x, float) else str(x)


def _one_line(text: str) -> str:
    return " ".join(text.replace('"', "'").split())


# ---------------------------------------------------------------------------
# GraphML and GEXF
# ---------------------------------------------------------------------------


def write_graphml(G: nx.Graph, path: str | os.PathLike) -> None:
    """Write GraphML that Gephi opens with Chinese labels.

    Attribute values are converted to types GraphML can declare: lists
    (``documents``, ``tasks``) become ``"; "``-joined strings, ``None`` and
    NaN are dropped, and an attribute whose values mix types gets one type
    (int + float -> float, anything else -> string).  Every node gets a
    ``label`` (its IRI if it has none), which Gephi shows as the node label;
    edge ``weight`` is Gephi's tie weight.  Node ids are the IRIs.

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph; it is not modified.
    path : str or path-like
        Target file, replaced atomically.

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("ex:a", label="区市场监管局", documents=["002"])
    >>> G.add_edge("ex:a", "ex:b", weight=2, tasks=["ex:t3", "ex:t10"])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_graphml(G, pathlib.Path(d) / "g.graphml")
    ...     H = nx.read_graphml(pathlib.Path(d) / "g.graphml")
    >>> H.nodes["ex:a"]["label"], H.nodes["ex:b"]["label"], H.edges["ex:a", "ex:b"]["tasks"]
    ('区市场监管局', 'ex:b', 'ex:t3; ex:t10')
    """
    H = _sanitized_copy(G, graph_attributes=True)
    with _atomic(path) as tmp:
        nx.write_graphml(H, tmp, encoding="utf-8", prettyprint=True)


# attributes the GEXF writer interprets itself; renamed so they stay data
_GEXF_RESERVED = {"id": "id_attr", "pid": "pid_attr", "start": "start_attr",
                  "end": "end_attr", "viz": "viz_attr", "type": "type_attr"}


def write_gexf(G: nx.Graph, path: str | os.PathLike) -> None:
    """Write GEXF 1.2 that Gephi opens with Chinese labels.

    Attributes are converted as in :func:`write_graphml`.  The node
    ``label`` becomes the GEXF label and the edge ``weight`` the GEXF weight
    (both are read back by :func:`networkx.read_gexf`); attributes named
    ``id``, ``pid``, ``start``, ``end``, ``viz`` or ``type``, which GEXF
    would interpret, are kept as ``<name>_attr``.  Graph-level attributes
    are not written.

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph; it is not modified.
    path : str or path-like
        Target file, replaced atomically.

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("ex:a", label="区委宣传部", kind="party")
    >>> G.add_edge("ex:a", "ex:b", weight=6)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_gexf(G, pathlib.Path(d) / "g.gexf")
    ...     H = nx.read_gexf(pathlib.Path(d) / "g.gexf")
    >>> H.nodes["ex:a"]["label"], H.nodes["ex:a"]["kind"], H.edges["ex:a", "ex:b"]["weight"]
    ('区委宣传部', 'party', 6.0)
    """
    H = _sanitized_copy(G, graph_attributes=False, rename=_GEXF_RESERVED)
    with _atomic(path) as tmp:
        nx.write_gexf(H, tmp, encoding="utf-8", prettyprint=True, version="1.2draft")


# ---------------------------------------------------------------------------
# Pajek
# ---------------------------------------------------------------------------


def write_pajek(
    G: nx.Graph,
    path: str | os.PathLike,
    *,
    weight: str | None = "weight",
    attributes: bool = False,
) -> None:
    """Write a Pajek ``.net`` file (UTF-8) with agency labels as vertex names.

    This does not use :func:`networkx.write_pajek`, which names vertices by
    node key (here an IRI), quotes only names containing spaces (Pajek reads
    a name that does not start with A-Z or 0-9 up to a matching delimiter,
    so unquoted Chinese names are unsafe) and drops non-string attributes.
    Here every vertex name is the node's ``label`` in double quotes (an
    ASCII ``"`` inside a label becomes ``'``; duplicates are disambiguated
    as ``label <IRI>``), edges go under ``*Edges`` (``*Arcs`` for a
    DiGraph) with their weight, and parallel edges of a multigraph are
    written one per line.

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph.
    path : str or path-like
        Target file, replaced atomically.
    weight : str or None, optional
        Edge attribute written as the line value (missing -> 1; ``None``
        writes 1 everywhere).
    attributes : bool, optional
        Also write the IRI (as ``iri``) and every other node and edge
        attribute as ``key "value"`` pairs after placeholder coordinates
        (``0.0 0.0 ellipse``), the convention :func:`networkx.read_pajek`
        reads back.  Pajek itself only understands its own drawing
        parameters there, so this is off by default.

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("ex:a", label="区法院")
    >>> G.add_node("ex:b", label="区检察院")
    >>> G.add_edge("ex:a", "ex:b", weight=4)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_pajek(G, pathlib.Path(d) / "g.net")
    ...     print((pathlib.Path(d) / "g.net").read_text(encoding="utf-8"), end="")
    *Vertices 2
    1 "区法院"
    2 "区检察院"
    *Edges
    1 2 4
    """
    names = _unique_labels(G)
    number = {v: i for i, v in enumerate(G, start=1)}

    def pairs(data: Mapping[str, Any], skip: tuple[str, ...]) -> str:
        out = []
        for key, value in data.items():
            if key in skip:
                continue
            value = _scalar(value)
            if value is _MISSING:
                continue
            key = re.sub(r"\s+", "_", str(key).strip()) or "_"
            if key == "id":  # networkx's reader keeps the vertex number there
                key = "id_attr"
            out.append(f' {key} "{_one_line(str(value))}"')
        return "".join(out)

    lines = [f"*Vertices {len(number)}"]
    for v, i in number.items():
        line = f'{i} "{_one_line(names[v])}"'
        if attributes:
            line += " 0.0 0.0 ellipse" + pairs({"iri": str(v), **G.nodes[v]}, ("label",))
        lines.append(line)
    lines.append("*Arcs" if G.is_directed() else "*Edges")
    for u, v, data in G.edges(data=True):
        w = _weight_value(data, weight, u, v)
        line = f"{number[u]} {number[v]} {_number(w)}"
        if attributes:
            line += pairs(data, ("weight", weight or "weight"))
        lines.append(line)
    with _atomic(path) as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


# ---------------------------------------------------------------------------
# UCINET DL
# ---------------------------------------------------------------------------

_DL_NEEDS_QUOTES = re.compile(r"""[\s,=:!"']|^$""")


def _dl_label(label: str) -> str:
    label = _one_line(label)
    return f'"{label}"' if _DL_NEEDS_QUOTES.search(label) else label


def write_ucinet_dl(
    G: nx.Graph,
    path: str | os.PathLike,
    *,
    weight: str | None = "weight",
    format: str = "edgelist1",
) -> None:
    """Write a UCINET DL file (networkx has no DL writer).

    The default ``format="edgelist1"`` with ``labels embedded:`` writes one
    tie per line, ``label label weight``, which stays small for sparse
    networks::

        dl n=3
        format = edgelist1
        labels embedded:
        data:
        区法院 区检察院 4
        区检察院 区法院 4
        区委组织部 区委组织部 0

    DL ties are directed cells ``x(i, j)`` of a matrix, so an undirected
    edge is written in both directions (a symmetric matrix); a DiGraph's arcs
    once.  An isolate, which no tie line would mention, is written as a zero
    diagonal cell (``label label 0``): UCINET reads that as "no tie" but
    registers the node (Gephi's DL importer may show a zero-weight
    self-loop; use ``format="fullmatrix"`` if that matters).  Zero weights
    mean "no tie" in DL.  Parallel edges of a multigraph are summed.

    ``format="fullmatrix"`` writes ``labels:`` (all on one line, comma
    separated, as Gephi's importer requires) and the n x n matrix.

    Labels are the nodes' ``label`` attributes (duplicates disambiguated as
    ``label <IRI>``), quoted when they contain spaces, commas, ``=``, ``:``
    or quotes; an ASCII ``"`` inside a label becomes ``'``.  They are kept
    in full: older UCINET versions truncated labels to 18 characters and
    upper-cased them, which does not affect Chinese names of normal length,
    but check long names after import.

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph.
    path : str or path-like
        Target file (UTF-8), replaced atomically.
    weight : str or None, optional
        Edge attribute holding tie values (missing -> 1; ``None`` -> binary).
    format : {"edgelist1", "fullmatrix"}, optional
        DL data format.

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("ex:a", label="区法院")
    >>> G.add_node("ex:b", label="区检察院")
    >>> G.add_edge("ex:a", "ex:b", weight=4)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_ucinet_dl(G, pathlib.Path(d) / "g.dl")
    ...     H = read_ucinet_dl(pathlib.Path(d) / "g.dl")
    >>> sorted(H.nodes), H.edges["区法院", "区检察院"]["weight"], H.is_directed()
    (['区检察院', '区法院'], 4, False)
    """
    fmt = format.lower()
    if fmt not in ("edgelist1", "fullmatrix"):
        raise ValueError(f"format must be 'edgelist1' or 'fullmatrix', got {format!r}")
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    labels = _unique_labels(G)
    cells: dict[tuple[int, int], int | float] = {}
    for u, v, data in G.edges(data=True):
        w = _weight_value(data, weight, u, v)
        pairs = [(index[u], index[v])]
        if not G.is_directed() and u != v:
            pairs.append((index[v], index[u]))
        for cell in pairs:
            cells[cell] = cells.get(cell, 0) + w

    lines = [f"dl n={len(nodes)}", f"format = {fmt}"]
    if fmt == "edgelist1":
        lines += ["labels embedded:", "data:"]
        for (i, j) in sorted(cells):
            lines.append(f"{_dl_label(labels[nodes[i]])} {_dl_label(labels[nodes[j]])} {_number(cells[(i, j)])}")
        mentioned = {i for cell in cells for i in cell}
        for i, v in enumerate(nodes):
            if i not in mentioned:
                lines.append(f"{_dl_label(labels[v])} {_dl_label(labels[v])} 0")
    else:
        lines += ["labels:", ",".join(_dl_label(labels[v]) for v in nodes), "data:"]
        for i in range(len(nodes)):
            lines.append(" ".join(_number(cells.get((i, j), 0)) for j in range(len(nodes))))
    with _atomic(path) as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


_DL_TOKEN = re.compile(r'"([^"]*)"|(=)|([^\s,="]+)')


def _dl_tokens(text: str) -> list[tuple[str, bool]]:
    """(token, was_quoted) pairs; commas and whitespace separate, ``=`` is a token."""
    out = []
    for m in _DL_TOKEN.finditer(text):
        if m.group(1) is not None:
            out.append((m.group(1), True))
        else:
            out.append((m.group(2) or m.group(3), False))
    return out


def _dl_number(token: str) -> int | float:
    try:
        return int(token)
    except ValueError:
        return float(token)


def read_ucinet_dl(path: str | os.PathLike, *, directed: bool | None = None) -> nx.Graph:
    """Read a one-mode UCINET DL file: the subset :func:`write_ucinet_dl` writes and a bit more.

    Supported: ``n = …``, ``format = fullmatrix | edgelist1`` (default
    fullmatrix), ``labels:`` / ``row labels:`` lists (n labels separated by
    commas, spaces or line breaks, optionally in double quotes),
    ``labels embedded`` for both formats (for fullmatrix: a header row of
    column labels, then each row starts with its label), and numeric
    edgelist1 rows referring to label positions 1..n.  Not supported:
    multiple matrices (``nm > 1`` or ``!`` separators), two-mode data and the
    other DL formats.  A cell value of 0 is "no tie" (the nodes are still
    created); edgelist1 rows without a value count 1; a repeated cell keeps
    its last value.

    Parameters
    ----------
    path : str or path-like
        A UTF-8 DL file (a byte-order mark is tolerated).
    directed : bool or None, optional
        ``None`` (default) returns an ``nx.Graph`` when the matrix is
        symmetric and an ``nx.DiGraph`` otherwise.  ``False`` forces an
        undirected graph (``x(i,j)`` and ``x(j,i)`` merged by maximum, like
        UCINET's symmetrize), ``True`` a DiGraph.

    Returns
    -------
    networkx.Graph or networkx.DiGraph
        Nodes keyed by label, each with a ``label`` attribute; edge values in
        ``weight`` (int when written as an integer).  Without labels the
        keys are the positions ``"1"``..``"n"``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = "dl n=3\\nformat = fullmatrix\\nlabels:\\n甲,乙,丙\\ndata:\\n0 2 0\\n2 0 1\\n0 1 0\\n"
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "m.dl"
    ...     _ = p.write_text(text, encoding="utf-8")
    ...     G = read_ucinet_dl(p)
    >>> sorted(G.edges(data="weight"))
    [('乙', '丙', 1), ('甲', '乙', 2)]
    """
    text = Path(path).read_text(encoding="utf-8-sig")
    # Split header and data at the first unquoted "data:" token.
    split = None
    for m in _DL_TOKEN.finditer(text):
        if m.group(3) is not None and m.group(3).lower() == "data:":
            split = m
            break
    if split is None:
        raise ValueError(f"{path}: no 'data:' section")
    header = _dl_tokens(text[: split.start()])
    body = text[split.end():]
    if not header or header[0][1] or header[0][0].lower() != "dl":
        raise ValueError(f"{path}: a DL file must start with 'dl'")

    settings: dict[str, str] = {}
    labels: list[str] | None = None
    embedded = False
    i = 1
    while i < len(header):
        token, quoted = header[i]
        word = token.lower()
        nxt = header[i + 1][0].lower() if i + 1 < len(header) else ""
        if not quoted and nxt == "=" and i + 2 < len(header):
            settings[word] = header[i + 2][0].lower()
            i += 3
            continue
        if not quoted and word in ("labels", "labels:") and nxt.rstrip(":") == "embedded":
            embedded = True
            i += 2
            continue
        if not quoted and word in ("row", "column", "col") and nxt == "labels:":
            word, i = f"{word} labels:", i + 1
        if not quoted and word in ("labels:", "row labels:", "column labels:", "col labels:"):
            if "n" not in settings:
                raise ValueError(f"{path}: 'n =' must come before the labels")
            count = int(settings["n"])
            values = [t for t, _ in header[i + 1: i + 1 + count]]
            if len(values) < count:
                raise ValueError(f"{path}: expected {count} labels, found {len(values)}")
            if word != "column labels:" and word != "col labels:" and labels is None:
                labels = values
            i += 1 + count
            continue
        if not quoted and word == "embedded:":
            embedded = True
        i += 1

    if int(settings.get("nm", "1")) != 1 or re.search(r"(?m)^\s*!\s*$", body):
        raise ValueError(f"{path}: multiple matrices are not supported")
    if "nr" in settings or "nc" in settings:
        raise ValueError(f"{path}: two-mode (nr/nc) data are not supported")
    fmt = settings.get("format", "fullmatrix")
    n = int(settings["n"]) if "n" in settings else None

    order: list[str] = list(labels) if labels else []
    cells: dict[tuple[str, str], int | float] = {}

    def node_ref(token: str) -> str:
        if embedded:
            if token not in order:
                order.append(token)
            return token
        try:
            pos = int(token)
        except ValueError:
            raise ValueError(f"{path}: {token!r} is not a node number (labels are not embedded)") from None
        if labels:
            if not 1 <= pos <= len(labels):
                raise ValueError(f"{path}: node number {pos} is out of range")
            return labels[pos - 1]
        key = str(pos)
        if key not in order:
            order.append(key)
        return key

    if fmt == "edgelist1":
        for line in body.splitlines():
            tokens = [t for t, _ in _dl_tokens(line)]
            if not tokens:
                continue
            u = node_ref(tokens[0])
            if len(tokens) == 1:
                continue
            v = node_ref(tokens[1])
            cells[(u, v)] = _dl_number(tokens[2]) if len(tokens) > 2 else 1
    elif fmt == "fullmatrix":
        if n is None:
            raise ValueError(f"{path}: fullmatrix needs 'n ='")
        tokens = [t for t, _ in _dl_tokens(body)]
        pos = 0
        if embedded:
            columns = tokens[:n]
            pos = n
            order = list(columns)
        elif not order:
            order = [str(k) for k in range(1, n + 1)]
        for r in range(n):
            if embedded:
                row_label = tokens[pos]
                pos += 1
                if row_label not in order:
                    raise ValueError(f"{path}: row label {row_label!r} is not a column label")
                u = row_label
            else:
                u = order[r]
            row = tokens[pos: pos + n]
            if len(row) < n:
                raise ValueError(f"{path}: matrix row {r + 1} has {len(row)} of {n} values")
            pos += n
            for c, value in enumerate(row):
                cells[(u, order[c])] = _dl_number(value)
    else:
        raise ValueError(f"{path}: format {fmt!r} is not supported (fullmatrix, edgelist1)")

    ties = {cell: w for cell, w in cells.items() if w != 0}
    if directed is None:
        directed = any(ties.get((v, u)) != w for (u, v), w in ties.items())
    G = nx.DiGraph() if directed else nx.Graph()
    for label in order:
        G.add_node(label, label=label)
    for (u, v), w in ties.items():
        if not directed and G.has_edge(u, v):
            w = max(w, G[u][v]["weight"])
        G.add_edge(u, v, weight=w)
    return G


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def _csv_cell(value: Any) -> Any:
    value = _scalar(value)
    return "" if value is _MISSING else value


def write_csv(G: nx.Graph, nodes_path: str | os.PathLike, edges_path: str | os.PathLike) -> None:
    """Write a node list and an edge list as CSV for R, pandas or spreadsheets.

    The node file has the columns ``id`` (IRI), ``label``, ``kind`` and then
    every other node attribute in alphabetical order, including measures
    stored as node attributes (e.g. after ``nx.set_node_attributes(G,
    table["betweenness"].to_dict(), "betweenness")``).  The edge file has
    ``source``, ``target``, ``source_label``, ``target_label``, ``weight``,
    ``role`` and then the other edge attributes (plus ``key`` for a
    multigraph).  For a DiGraph, source -> target is the arc's direction.
    Lists become ``"; "``-joined strings; missing values are empty cells.

    Files are plain UTF-8 without a byte-order mark: R
    (``read.csv(..., fileEncoding = "UTF-8")``, readr) and pandas read them
    directly, but Excel on Windows guesses a legacy code page when a CSV is
    double-clicked; open it through Data > From Text/CSV and choose
    "65001: Unicode (UTF-8)".

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph.
    nodes_path, edges_path : str or path-like
        Target files, each replaced atomically.

    Examples
    --------
    >>> import csv, tempfile, pathlib, networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("ex:a", label="区金融办", kind="gov")
    >>> G.add_node("ex:b", label="区市场监管局", kind="gov")
    >>> G.add_edge("ex:a", "ex:b", weight=2, role="coordination")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_csv(G, pathlib.Path(d) / "n.csv", pathlib.Path(d) / "e.csv")
    ...     with open(pathlib.Path(d) / "e.csv", encoding="utf-8", newline="") as f:
    ...         rows = list(csv.DictReader(f))
    >>> rows[0]["source_label"], rows[0]["target_label"], rows[0]["weight"]
    ('区金融办', '区市场监管局', '2')
    """
    node_keys: list[str] = []
    for v in G:
        for key in G.nodes[v]:
            if key not in node_keys:
                node_keys.append(key)
    node_cols = ["id", "label", "kind"] + sorted(
        (k for k in node_keys if k not in ("id", "label", "kind")), key=str
    )
    multi = G.is_multigraph()
    edge_iter = list(G.edges(keys=True, data=True)) if multi else [(u, v, None, d) for u, v, d in G.edges(data=True)]
    edge_keys: list[str] = []
    for *_, data in edge_iter:
        for key in data:
            if key not in edge_keys:
                edge_keys.append(key)
    fixed = ["source", "target", "source_label", "target_label", "weight", "role"]
    edge_cols = fixed + sorted((k for k in edge_keys if k not in fixed and k != "key"), key=str)
    if multi:
        edge_cols.append("key")

    with contextlib.ExitStack() as stack:
        tmp_nodes = stack.enter_context(_atomic(nodes_path))
        tmp_edges = stack.enter_context(_atomic(edges_path))
        with open(tmp_nodes, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(node_cols)
            for v in G:
                attrs = G.nodes[v]
                row = [str(v), _label(G, v)] + [_csv_cell(attrs.get(k)) for k in node_cols[2:]]
                writer.writerow(row)
        with open(tmp_edges, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(edge_cols)
            for u, v, key, data in edge_iter:
                row = [str(u), str(v), _label(G, u), _label(G, v)]
                row += [_csv_cell(data.get(k)) for k in edge_cols[4: len(edge_cols) - multi]]
                if multi:
                    row.append(_csv_cell(key))
                writer.writerow(row)


# ---------------------------------------------------------------------------
# dispatcher
# ---------------------------------------------------------------------------


def export_graph(G: nx.Graph, fmt: str, out_path: str | os.PathLike) -> list[Path]:
    """Write ``G`` in one of :data:`EXPORT_FORMATS` and return the files written.

    Parameters
    ----------
    G : networkx.Graph
        The network to export.
    fmt : str
        ``"graphml"``, ``"gexf"``, ``"pajek"``, ``"ucinet"`` or ``"csv"``
        (case-insensitive).
    out_path : str or path-like
        The target file.  Without a suffix the format's usual one is added
        (``.graphml``, ``.gexf``, ``.net``, ``.dl``); an existing directory
        gets ``network.<suffix>``.  For ``csv`` it names a pair of files:
        ``net.csv`` (or ``net``) gives ``net_nodes.csv`` and
        ``net_edges.csv``.  Missing parent directories are created.

    Returns
    -------
    list of pathlib.Path
        The files written (two for csv, one otherwise).

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> G = nx.Graph([("ex:a", "ex:b")])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     files = export_graph(G, "csv", pathlib.Path(d) / "net.csv")
    ...     print([f.name for f in files])
    ['net_nodes.csv', 'net_edges.csv']
    """
    key = str(fmt).lower()
    if key not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {list(EXPORT_FORMATS)}")
    out = Path(out_path)
    if out.is_dir():
        out = out / "network"
    out.parent.mkdir(parents=True, exist_ok=True)
    if key == "csv":
        base = out.with_suffix("") if out.suffix.lower() == ".csv" else out
        nodes = base.with_name(base.name + "_nodes.csv")
        edges = base.with_name(base.name + "_edges.csv")
        write_csv(G, nodes, edges)
        return [nodes, edges]
    if not out.suffix:
        out = out.with_name(out.name + _EXTENSIONS[key])
    writer = {
        "graphml": write_graphml,
        "gexf": write_gexf,
        "pajek": write_pajek,
        "ucinet": write_ucinet_dl,
    }[key]
    writer(G, out)
    return [out]
