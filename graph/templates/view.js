/* policykg view script.
 * Data come from the JSON block (parsed, never evaluated). Every string that
 * originates in a document is put into the page with textContent only: the
 * tooltips handed to vis are DOM elements, not HTML strings. */
(function () {
  "use strict";
  window.__policykgStabilized = false;

  var data = JSON.parse(document.getElementById("policykg-data").textContent);
  // provenance items are indices into one table of strings: [document, quote(, task)]
  var strings = data.strings || [];
  function expand(items) {
    return (items || []).map(function (row) {
      var p = { document: strings[row[0]], quote: strings[row[1]] };
      if (row.length > 2) { p.task = strings[row[2]]; }
      return p;
    });
  }
  data.nodes.forEach(function (n) { n.prov = expand(n.prov); });
  data.edges.forEach(function (e) { e.prov = expand(e.prov); });
  var kindStyles = data.kindStyles;
  var roleStyles = data.roleStyles;
  var TIP_ITEMS = 3;
  var TIP_QUOTE_CHARS = 160;

  var nodeById = {};
  var edgeById = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });
  data.edges.forEach(function (e) { edgeById[e.id] = e; });

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function clip(s, n) {
    s = String(s);
    return s.length > n ? s.slice(0, n - 1) + "\u2026" : s;
  }

  function provList(prov, limit, quoteChars) {
    var ol = el("ol", "prov");
    var count = Math.min(prov.length, limit);
    for (var i = 0; i < count; i++) {
      var li = el("li");
      if (prov[i].document) { li.appendChild(el("div", "doc", prov[i].document)); }
      if (prov[i].task) { li.appendChild(el("div", "task", "\u4efb\u52a1 Task: " + prov[i].task)); }
      if (prov[i].quote) {
        li.appendChild(el("div", "quote", quoteChars ? clip(prov[i].quote, quoteChars) : prov[i].quote));
      }
      ol.appendChild(li);
    }
    return ol;
  }

  function kindText(kind) {
    return kindStyles[kind] ? kindStyles[kind].legend + " (" + kind + ")" : kind;
  }

  function roleText(role) {
    return roleStyles[role] ? roleStyles[role].legend + " (" + role + ")" : role;
  }

  function endpointsText(e) {
    var from = nodeById[e.from] ? nodeById[e.from].label : e.from;
    var to = nodeById[e.to] ? nodeById[e.to].label : e.to;
    return from + (data.directed ? " \u2192 " : " \u2014 ") + to;
  }

  function tooltip(title, sub, prov, provMore) {
    var div = el("div", "policykg-tip");
    div.appendChild(el("div", "tip-title", title));
    div.appendChild(el("div", "tip-sub", sub));
    if (prov.length) {
      div.appendChild(provList(prov, TIP_ITEMS, TIP_QUOTE_CHARS));
      var hidden = prov.length - Math.min(prov.length, TIP_ITEMS) + (provMore || 0);
      if (hidden > 0) {
        div.appendChild(el("div", "more", "+" + hidden + " more \u2014 click for all sources"));
      }
    }
    return div;
  }

  var visNodes = data.nodes.map(function (n) {
    var ks = kindStyles[n.kind];
    var node = {
      id: n.id,
      label: n.display,
      shape: ks.shape,
      size: n.size,
      color: {
        background: ks.color,
        border: ks.border,
        highlight: { background: ks.color, border: "#000000" },
        hover: { background: ks.color, border: "#000000" }
      },
      borderWidth: ks.dashed ? 2 : 1.5,
      shapeProperties: { borderDashes: ks.dashed ? [4, 3] : false },
      title: tooltip(n.label, kindText(n.kind), n.prov, n.provMore)
    };
    if (ks.dashed) { node.font = { color: "#4d5656" }; }
    if (typeof n.x === "number" && typeof n.y === "number") {
      node.x = n.x;
      node.y = n.y;
    }
    return node;
  });

  var visEdges = data.edges.map(function (e) {
    var rs = roleStyles[e.role];
    var edge = {
      id: e.id,
      from: e.from,
      to: e.to,
      width: e.width,
      dashes: rs.dashes,
      color: { color: rs.color, highlight: rs.color, hover: rs.color, inherit: false, opacity: 0.9 },
      title: tooltip(endpointsText(e), roleText(e.role) + " \u00b7 weight " + e.weight, e.prov, e.provMore)
    };
    if (e.curve) {
      edge.smooth = { enabled: true, type: "curvedCW", roundness: Math.min(0.2 * e.curve, 0.8) };
    }
    return edge;
  });

  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  var container = document.getElementById("policykg-graph");
  var status = document.getElementById("policykg-status");
  var details = document.getElementById("policykg-details");

  // Create empty, attach the handlers, then load the data: the stabilisation
  // events cannot fire before we listen.
  var network = new vis.Network(container, { nodes: new vis.DataSet([]), edges: new vis.DataSet([]) }, data.options);
  window.__policykgNetwork = { nodes: nodes, edges: edges, network: network };

  // vis-network draws edges, nodes, arrowheads and only then the node labels
  // below dots and squares, so a label's white outline hides the arrowhead of
  // an edge arriving from below. Draw the arrowheads once more on top.
  if (data.directed) {
    network.on("afterDrawing", function (ctx) {
      var r = network.renderer;
      if (!r || typeof r._drawArrows !== "function") { return; }
      if ((r.dragging && r.options.hideEdgesOnDrag) || (r.zooming && r.options.hideEdgesOnZoom)) { return; }
      r._drawArrows(ctx);
    });
  }

  function finished() {
    network.setOptions({ physics: { enabled: false } });
    status.textContent = "";
    window.__policykgStabilizedAt = performance.now();
    window.__policykgStabilized = true;
  }

  if (data.stabilize) {
    network.on("stabilizationProgress", function (p) {
      status.textContent = "Laying out\u2026 " + Math.round(100 * p.iterations / Math.max(p.total, 1)) + "%";
    });
    network.once("stabilizationIterationsDone", finished);
  }
  network.setData({ nodes: nodes, edges: edges });
  if (!data.stabilize) {
    network.fit();
    window.__policykgStabilizedAt = performance.now();
    window.__policykgStabilized = true;
  }

  // Side panel.
  function clearDetails() {
    while (details.firstChild) { details.removeChild(details.firstChild); }
  }

  function showHint() {
    clearDetails();
    details.appendChild(el("p", "hint", "Click a node or an edge to see the document sentences behind it."));
  }

  function addMeta(dl, key, value) {
    if (value === undefined || value === null || value === "") { return; }
    dl.appendChild(el("dt", null, key));
    dl.appendChild(el("dd", null, value));
  }

  function addSources(prov, provMore) {
    var total = prov.length + (provMore || 0);
    details.appendChild(el("h4", null, "Sources \u6765\u6e90 (" + total + ")"));
    if (!prov.length) {
      details.appendChild(el("p", "hint", "No provenance recorded."));
      return;
    }
    details.appendChild(provList(prov, prov.length, 0));
    if (provMore) {
      details.appendChild(el("p", "hint", "+" + provMore + " more not included in this view."));
    }
  }

  function showNode(id) {
    var n = nodeById[id];
    if (!n) { showHint(); return; }
    clearDetails();
    details.setAttribute("data-selected", "node");
    details.appendChild(el("h3", null, n.label));
    details.appendChild(el("p", "kind", kindText(n.kind)));
    var dl = el("dl");
    addMeta(dl, "IRI", n.id);
    Object.keys(n.meta).sort().forEach(function (k) { addMeta(dl, k, n.meta[k]); });
    addMeta(dl, "edges", String(network.getConnectedEdges(id).length));
    details.appendChild(dl);
    addSources(n.prov, n.provMore);
  }

  function showEdge(id) {
    var e = edgeById[id];
    if (!e) { showHint(); return; }
    clearDetails();
    details.setAttribute("data-selected", "edge");
    details.appendChild(el("h3", null, endpointsText(e)));
    details.appendChild(el("p", "kind", roleText(e.role)));
    var dl = el("dl");
    addMeta(dl, "weight", String(e.weight));
    addMeta(dl, "from", e.from);
    addMeta(dl, "to", e.to);
    details.appendChild(dl);
    addSources(e.prov, e.provMore);
  }

  network.on("click", function (params) {
    if (params.nodes && params.nodes.length) {
      showNode(params.nodes[0]);
    } else if (params.edges && params.edges.length) {
      showEdge(params.edges[0]);
    } else {
      details.removeAttribute("data-selected");
      showHint();
    }
  });
})();
