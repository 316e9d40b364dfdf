// Swagger UI redraws as it goes: fix each new element once it appears.
new MutationObserver(function () {
  document.querySelectorAll("select#servers:not([aria-label])").forEach(function (select) {
    select.setAttribute("aria-label", "Server");
  });
  document.querySelectorAll(".opblock-summary-control a[href]").forEach(function (link) {
    link.removeAttribute("href");  // a link inside the operation's button: the button alone is the control
  });
}).observe(document.getElementById("swagger-ui"), {childList: true, subtree: true});
