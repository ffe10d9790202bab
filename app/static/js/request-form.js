/* The inspection request form, checked as the user types: field errors and the mutual-recognition
   pre-check come from the server (one set of rules, already translated); without this script the
   form still works through its two submit buttons. */
(function () {
  "use strict";
  var form = document.getElementById("request-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var section = document.getElementById("precheck");
  var body = document.getElementById("precheck-body");
  var touched = {};
  var timer = null;
  var sequence = 0;

  function filterSites() {
    var commodity = form.elements.commodity.value;
    var options = form.elements.sites ? form.elements.sites.options : [];
    for (var i = 0; i < options.length; i++) {
      var codes = (options[i].getAttribute("data-commodities") || "").split(" ");
      var fits = !commodity || codes.indexOf("*") >= 0 || codes.indexOf(commodity) >= 0;
      options[i].hidden = !fits;
      options[i].disabled = !fits;
      if (!fits) { options[i].selected = false; }
    }
  }

  function showZone() {
    var port = form.elements.port;
    var option = port.options[port.selectedIndex];
    var zone = option ? option.getAttribute("data-tz") : null;
    var label = document.getElementById("time-zone");
    if (label && zone) { label.textContent = zone; }
  }

  function showErrors(errors) {
    var messages = form.querySelectorAll("p.error[id$='-error']");
    for (var i = 0; i < messages.length; i++) {
      var name = messages[i].id.slice(0, -"-error".length);
      var text = touched[name] ? (errors[name] || "") : "";
      messages[i].textContent = text;
      messages[i].hidden = !text;
      var input = form.elements[name];
      if (input && input.setAttribute) {
        if (text) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
      }
    }
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function showPrecheck(precheck) {
    while (body.firstChild) { body.removeChild(body.firstChild); }
    if (!precheck) {
      body.appendChild(element("p", section.getAttribute("data-empty")));
      return;
    }
    var summary = element("p", null, "precheck-summary " + (precheck.waivable ? "ok" : "bad"));
    summary.appendChild(element("strong", precheck.summary));
    body.appendChild(summary);
    var others = precheck.assessments.filter(function (line) { return line.text !== precheck.summary; });
    if (!others.length) { return; }
    var list = element("ul", null, "precheck-rules");
    others.forEach(function (line) {
      var item = element("li", line.text);
      if (!line.qualifies && line.missing.length) {
        var missing = element("ul");
        line.missing.forEach(function (m) { missing.appendChild(element("li", m.text)); });
        item.appendChild(missing);
      }
      list.appendChild(item);
    });
    body.appendChild(list);
  }

  function check() {
    var mine = ++sequence;
    var data = new FormData(form);
    data.delete("action");
    fetch(form.getAttribute("data-check-url"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        // An older answer arriving late must not overwrite a newer one.
        if (!answer || mine !== sequence) { return; }
        showErrors(answer.errors || {});
        showPrecheck(answer.precheck);
      })
      .catch(function () { /* offline: the buttons still work */ });
  }

  function changed(event) {
    if (event.target && event.target.name) { touched[event.target.name] = true; }
    if (event.target === form.elements.commodity) { filterSites(); }
    if (event.target === form.elements.port) { showZone(); }
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 400);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  filterSites();
})();
