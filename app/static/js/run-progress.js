// Live progress of an optimizer run: polls the run's progress, keeps its clock ticking, reloads when it ends.
(function () {
  "use strict";
  var box = document.getElementById("run-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-url");
  var started = box.getAttribute("data-started") ? Date.parse(box.getAttribute("data-started")) : null;
  var status = document.querySelector("h1 [data-field=status]");
  function tick() {
    // The solver reports on improvements only; the clock runs on its own between reports.
    var clock = box.querySelector("[data-field=clock]");
    if (clock && started) { clock.textContent = Math.max(0, Math.round((Date.now() - started) / 1000)); }
  }
  function show(data) {
    var p = data.progress || {};
    ["phase", "served", "waived", "objective", "bound"].forEach(function (key) {
      var cell = box.querySelector("[data-field=" + key + "]");
      if (cell && p[key] !== undefined && p[key] !== null) { cell.textContent = p[key]; }
    });
    showParts(p.parts || []);
    if (data.started_at && !started) { started = Date.parse(data.started_at); }
    if (status && data.status_label) { status.textContent = data.status_label; }
    if (data.status !== "queued" && data.status !== "running") { window.location.reload(); return; }
    window.setTimeout(poll, 1000);
  }
  function showParts(parts) {
    // A split run reports each independent part; one row per part, in part order.
    var table = box.querySelector("[data-field=parts]");
    if (!table || !parts.length) { return; }
    var body = table.querySelector("tbody");
    body.textContent = "";
    parts.forEach(function (part, k) {
      var row = document.createElement("tr");
      [(k + 1) + "/" + parts.length, part.phase, part.served, part.waived, part.objective, part.bound]
        .forEach(function (value) {
          var cell = document.createElement("td");
          cell.textContent = value === undefined || value === null ? "" : value;
          row.appendChild(cell);
        });
      body.appendChild(row);
    });
    table.hidden = false;
  }
  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); }).then(show)
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setInterval(tick, 1000);
  poll();
}());
