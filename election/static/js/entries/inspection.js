// The inspection commission's pages (templates/inspection/). A round whose record is being
// verified polls its status JSON every two seconds: the bar and the text follow the
// verifier's progress, and when the run ends the page reloads so the server draws the
// result. The server words everything; this script only copies text it is given.

import { finished, progressBar } from "../inspection/progress.js";
import { setFields } from "../ui/dom.js";
import { poll } from "../ui/poll.js";

for (const box of document.querySelectorAll("[data-verification]")) {
  if (box.dataset.state !== "running") {
    continue;
  }
  const bar = box.querySelector("[data-progress]");
  const stop = poll(box.dataset.verification, {
    interval: 2000,
    onData: (reply) => {
      if (finished(box.dataset.state, reply)) {
        stop();
        window.location.reload();
        return;
      }
      setFields(box, reply);
      if (bar) {
        const { value, max } = progressBar(reply);
        bar.max = max;
        if (value === null) {
          bar.removeAttribute("value");
        } else {
          bar.value = value;
        }
      }
    },
  });
}
