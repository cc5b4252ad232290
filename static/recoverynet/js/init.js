// RecoveryNet's only entry script (an ES module, loaded by templates/base.html).
// Every page works without it: it enhances GOV.UK Frontend components and
// turns lists of places into maps.
import { initAll } from "../../vendor/govuk-frontend/govuk-frontend.min.js";
import { initMaps } from "./map.js";

// GOV.UK Frontend only initialises components when the body says so. This is
// usually an inline script, which our Content Security Policy forbids; module
// scripts run only in browsers GOV.UK Frontend supports, so it is safe here.
document.body.classList.add("js-enabled", "govuk-frontend-supported");

initAll();
initMaps();
