// Swagger UI from the vendored bundle, reading Didban's own OpenAPI schema.
(function () {
  var script = document.getElementById("api-docs-script");
  var csrf = document.body.getAttribute("hx-headers");
  var token = csrf ? JSON.parse(csrf)["X-CSRFToken"] : "";
  window.SwaggerUIBundle({
    url: script.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    requestInterceptor: function (request) {
      request.headers["X-CSRFToken"] = token;
      return request;
    },
  });
})();
