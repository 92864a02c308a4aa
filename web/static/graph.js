/* Draws the neighbourhood picture of web/templates/graph/picture.html with vis-network.
 *
 * The data comes from the page's JSON data island, parsed with JSON.parse: document text never passes through
 * innerHTML or eval. vis-network paints labels on a canvas and sets string tooltips with innerText, so markup
 * in a label shows as text. When the layout has settled, physics stops (the picture holds still for reading)
 * and #graph gets data-drawn="true", which the browser tests wait for.
 */
(function () {
  "use strict";

  var MAX_STRETCH = 1.7;

  function byId(id) {
    return document.getElementById(id);
  }

  function describe(node) {
    // The selection line under the picture: textContent and a real link, so keyboard users can follow it too.
    var out = byId("graph-selected");
    if (!out) {
      return;
    }
    out.textContent = "";
    if (!node) {
      return;
    }
    out.appendChild(document.createTextNode(String(node.title || node.label || "").split("\n")[0] + " "));
    if (node.url) {
      var link = document.createElement("a");
      link.href = node.url;
      link.textContent = "Open this action";
      out.appendChild(link);
    }
  }

  function draw() {
    var container = byId("graph");
    var island = byId("graph-data");
    if (!container || !island || typeof vis === "undefined") {
      return;
    }
    var data = JSON.parse(island.textContent);
    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);

    function widen() {
      // The physics settles into a round picture, but the frame is wide: stretching it sideways gives the
      // labels room, so the fitted picture can be larger and easier to read.
      var positions = network.getPositions();
      var ids = Object.keys(positions);
      var xs = ids.map(function (id) { return positions[id].x; });
      var ys = ids.map(function (id) { return positions[id].y; });
      var width = Math.max.apply(null, xs) - Math.min.apply(null, xs);
      var height = Math.max.apply(null, ys) - Math.min.apply(null, ys);
      var frame = container.getBoundingClientRect();
      if (!width || !height || !frame.height) {
        return;
      }
      var stretch = Math.min(MAX_STRETCH, Math.max(1, (frame.width / frame.height) / (width / height)));
      ids.forEach(function (id) {
        network.moveNode(id, positions[id].x * stretch, positions[id].y);
      });
    }

    var drawn = false;
    function settled() {
      if (drawn) {
        return;
      }
      drawn = true;
      network.setOptions({ physics: false });
      widen();
      network.fit();
      container.dataset.drawn = "true";
    }
    network.once("stabilizationIterationsDone", settled);
    network.once("stabilized", settled);

    function actionAt(params) {
      var id = params.nodes && params.nodes.length ? params.nodes[0] : null;
      var node = id === null ? null : nodes.get(id);
      return node && node.url ? node : null;
    }
    network.on("click", function (params) {
      var id = params.nodes && params.nodes.length ? params.nodes[0] : null;
      describe(id === null ? null : nodes.get(id));
    });
    network.on("doubleClick", function (params) {
      var node = actionAt(params);
      if (node && node.id !== data.centre) {
        window.location.assign(node.url);
      }
    });
    network.on("hoverNode", function (params) {
      var node = nodes.get(params.node);
      container.classList.toggle("graph-pointer", Boolean(node && node.url && node.id !== data.centre));
    });
    network.on("blurNode", function () {
      container.classList.remove("graph-pointer");
    });

    var toggle = byId("graph-secondary");
    if (toggle) {
      toggle.closest("label").hidden = false;
      toggle.addEventListener("change", function () {
        var shown = toggle.checked;
        edges.update(
          edges.get({ filter: function (edge) { return edge.secondary; } }).map(function (edge) {
            return { id: edge.id, hidden: !shown };
          })
        );
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
