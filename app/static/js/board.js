// Live check of a move on the plan board: asks the server which rules the edited move would break.
// Without JavaScript the form still works: saving runs the same check and refuses with the reasons.
(function () {
  "use strict";
  var form = document.querySelector("form[data-check-url]");
  var box = document.getElementById("move-check");
  if (!form || !box || !window.fetch || !window.FormData) { return; }
  var timer = null;
  var latest = 0;

  function paragraph(text, className) {
    var p = document.createElement("p");
    p.textContent = text;
    if (className) { p.className = className; }
    return p;
  }

  function show(data) {
    box.textContent = "";
    var panel = document.createElement("div");
    if (data.ok) {
      panel.className = "flash ok";
      panel.appendChild(paragraph(box.getAttribute("data-ok")));
      if (data.decision === "waived") {
        panel.appendChild(paragraph(box.getAttribute("data-waived").replace("{rule}", data.rule || "")));
      } else if (data.decision === "required") {
        panel.appendChild(paragraph(box.getAttribute("data-required")));
      }
      if (data.drops_border) { panel.appendChild(paragraph(box.getAttribute("data-drops"))); }
    } else {
      panel.className = "flash flash-error";
      panel.appendChild(paragraph(box.getAttribute("data-heading")));
      var list = document.createElement("ul");
      list.className = "violations";
      (data.violations || []).forEach(function (v) {
        var item = document.createElement("li");
        item.textContent = v.message;
        item.setAttribute("data-rule", v.rule);
        list.appendChild(item);
      });
      Object.keys(data.errors || {}).forEach(function (name) {
        data.errors[name].forEach(function (message) {
          var item = document.createElement("li");
          item.textContent = message;
          list.appendChild(item);
        });
      });
      panel.appendChild(list);
    }
    box.appendChild(panel);
  }

  function check() {
    var mine = ++latest;  // answers can arrive out of order: only the newest one is shown
    fetch(form.getAttribute("data-check-url"), {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"Accept": "application/json"}
    }).then(function (response) { return response.json(); })
      .then(function (data) { if (mine === latest) { show(data); } })
      .catch(function () {
        if (mine === latest) { box.textContent = ""; box.appendChild(paragraph(box.getAttribute("data-failed"), "hint")); }
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 400);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  var start = form.querySelector("[name=start]");
  if (start) { start.setAttribute("aria-describedby", "move-check"); }
}());
