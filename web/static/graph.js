/* Draws the neighbourhood picture of web/templates/graph/picture.html with vis-network.
 *
 * The data comes from the page's JSON data island, parsed with JSON.parse: document text never passes through
 * innerHTML or eval. vis-network paints labels on a canvas and sets string tooltips with innerText, so markup
 * in a label shows as text. The layout comes fixed from the server; once drawn, the frame takes the picture's
 * height, the picture is fitted, and #graph gets data-drawn="true", which the browser tests wait for.
 */
(function () {
  "use strict";

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

    function size() {
      // The layout is fixed (web/graphview.py): give the frame the picture's height at the scale its width
      // allows, before vis-network measures it, so a tall grid is not shrunk to fit a short frame.
      var frame = container.getBoundingClientRect();
      if (!data.width || !data.height || !frame.width) {
        return;
      }
      var scale = Math.min(1, frame.width / (data.width + 40));
      // ...but no taller than the window: the wheel zooms the picture, so the page must show around it.
      var most = Math.max(320, window.innerHeight - 80);
      var height = Math.max(320, Math.min(most, Math.round((data.height + 60) * scale)));
      container.style.height = height + "px";
    }
    size();

    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);

    var drawn = false;
    function settled() {
      if (drawn) {
        return;
      }
      drawn = true;
      // Said drawn only once the fitted picture is on the canvas (what a click or a test then sees).
      network.once("afterDrawing", function () {
        container.dataset.drawn = "true";
      });
      network.fit();
      network.redraw();
    }
    network.once("afterDrawing", settled);

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
            return { id: edge.id, hidden: !shown && Boolean(edge.start_hidden) };
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
