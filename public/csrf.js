// HourBridge CSRF helper. The server keeps a token in the session and mirrors
// it into the readable `hb_csrf` cookie; every state-changing request from this
// page must send it back. This adds it to fetch() calls (server functions) and
// to forms posted before the page became interactive.
(function () {
  "use strict";
  function token() {
    var m = document.cookie.match(/(?:^|;\s*)hb_csrf=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function sameOrigin(url) {
    try { return new URL(url, location.href).origin === location.origin; } catch (e) { return false; }
  }
  var originalFetch = window.fetch;
  window.fetch = function (input, init) {
    init = init || {};
    var method = (init.method || (input && input.method) || "GET").toUpperCase();
    var url = typeof input === "string" ? input : (input && input.url) || String(input);
    if (method !== "GET" && method !== "HEAD" && sameOrigin(url)) {
      var headers = new Headers(init.headers || (input && input.headers) || {});
      if (!headers.has("X-CSRF-Token")) headers.set("X-CSRF-Token", token());
      init.headers = headers;
    }
    return originalFetch.call(this, input, init);
  };
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") return;
    var field = form.querySelector('input[name="_csrf"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "_csrf";
      form.appendChild(field);
    }
    field.value = token();
  }, true);
})();
