// Loaded at the top of <body>, before anything is drawn: NHS.UK frontend's styles for
// pages with JavaScript (js-enabled) and for browsers its scripts support (those that know
// ES modules). A file, not an inline script: the Content-Security-Policy refuses those.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
