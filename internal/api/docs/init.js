// Starts Swagger UI on the API's own OpenAPI document. Kept out of the page
// so that the server's Content-Security-Policy (script-src 'self') holds.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null, // no call to validator.swagger.io
    defaultModelsExpandDepth: 0,
  });
});
