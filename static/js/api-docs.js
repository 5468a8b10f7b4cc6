// /api/docs: Swagger UI over the API's OpenAPI document. Its settings come from the page
// as JSON (no inline script, for the Content-Security-Policy). Requests "Try it out" sends
// carry the session's CSRF token, as the site's own scripts do, so a signed-in member's
// writes are accepted; with a token from "Authorize", the token decides instead.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrfToken = root.getAttribute("data-csrf-token");
  config.dom_id = "#swagger-ui";
  config.presets = [window.SwaggerUIBundle.presets.apis];
  config.requestInterceptor = function (request) {
    if (csrfToken && request.method && request.method.toUpperCase() !== "GET") {
      request.headers["X-CSRFToken"] = csrfToken;
    }
    return request;
  };
  window.SwaggerUIBundle(config);

  // Examples and responses scroll sideways when long; a keyboard reaches them only if they
  // can take focus. Swagger UI draws them as operations open, so watch for them.
  function focusable() {
    root.querySelectorAll("pre.microlight:not([tabindex])").forEach(function (block) {
      block.setAttribute("tabindex", "0");
    });
  }
  new MutationObserver(focusable).observe(root, {childList: true, subtree: true});
})();
