// The browser tests drive the same Chromium that `report --pdf` uses, found the same way (see
// src/report/chromium.ts): LASTTOUCH_CHROMIUM, else the dev dependency @sparticuz/chromium, else
// /usr/bin/chromium, else chromium, chromium-browser or google-chrome on PATH.
// When none can be found or launched, launchChromium throws: the browser tests fail, they are never skipped.
export { CHROMIUM_ARGS, findChromium, launchChromium } from '../../src/report/chromium.js';
