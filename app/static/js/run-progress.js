// Live progress of an optimizer run: polls the run's progress and reloads when it ends.
(function () {
  "use strict";
  var box = document.getElementById("run-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-url");
  function show(data) {
    var p = data.progress || {};
    ["phase", "elapsed", "served", "waived", "objective", "bound"].forEach(function (key) {
      var cell = box.querySelector("[data-field=" + key + "]");
      if (cell && p[key] !== undefined && p[key] !== null) { cell.textContent = p[key]; }
    });
    if (data.status !== "queued" && data.status !== "running") { window.location.reload(); return; }
    window.setTimeout(poll, 1000);
  }
  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); }).then(show)
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
}());
