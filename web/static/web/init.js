// NHS.UK frontend's components (the header's menu, buttons, details...). A module beside
// the vendored one it imports, by a relative address that works under any STATIC_URL.
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

initAll();
