// Starts ReDoc (templates/api_docs/redoc.html): from a file, not an inline script, which
// the Content-Security-Policy refuses. ReDoc gives the nonce of this script's tag to the
// <style> elements it inserts, the only inline styles that page's policy allows.
"use strict";

(() => {
  const { nonce } = document.currentScript;
  const container = document.getElementById("redoc-container");
  const settings = JSON.parse(container.dataset.settings);
  Redoc.init(container.dataset.schemaUrl, { ...settings, nonce }, container);
})();
