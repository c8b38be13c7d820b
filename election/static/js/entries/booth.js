// The voting booth (templates/booth/kiosk.html), served only to enrolled terminals. The page
// shows nothing but a "loading" notice until this bundle runs, so a booth whose script failed
// its integrity check (ATTACKS.md T-11.b) cannot take a badge. The state machine and its
// privacy rules are described in ../booth/kiosk.js.

import { Kiosk } from "../booth/kiosk.js";

const root = document.querySelector("[data-booth]");
if (root) new Kiosk(root).start();
