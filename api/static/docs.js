// Swagger UI redraws as it goes: fix each new element once it appears. Each fix gives a control
// the accessible name it lacks, or removes a nested control, without changing what it does.
function named(element, name) {
  var labelled = Array.prototype.some.call(element.labels || [], function (label) { return label.textContent.trim(); });
  if (!element.hasAttribute("aria-label") && !labelled) {
    element.setAttribute("aria-label", name);
  }
}

function fix() {
  // Its label wraps it and holds no text of its own (the option's text does not name it).
  document.querySelectorAll("select#servers:not([aria-label])").forEach(function (select) {
    select.setAttribute("aria-label", "Server");
  });
  document.querySelectorAll(".examples-select select").forEach(function (select) { named(select, "Example"); });
  document.querySelectorAll(".content-type-wrapper select, .response-control-media-type select").forEach(function (select) {
    named(select, "Media type");
  });
  document.querySelectorAll("tr[data-param-name]").forEach(function (row) {
    row.querySelectorAll("select, input, textarea").forEach(function (control) {
      named(control, row.getAttribute("data-param-name") + " (" + row.getAttribute("data-param-in") + ")");
    });
  });
  document.querySelectorAll(".body-param textarea, textarea.body-param__text").forEach(function (area) {
    named(area, "Request body");
  });
  document.querySelectorAll(".opblock-summary-control a[href]").forEach(function (link) {
    link.removeAttribute("href");  // a link inside the operation's button: the button alone is the control
  });
  document.querySelectorAll(".highlight-code pre:not([tabindex])").forEach(function (code) {
    code.setAttribute("tabindex", "0");  // a scrolling example can be scrolled with the keyboard
  });
}

new MutationObserver(fix).observe(document.getElementById("swagger-ui"), {childList: true, subtree: true});
