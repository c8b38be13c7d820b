// The credentials desk (templates/credentials/desk.html): scan a badge, issue or reissue
// a badge, keep the attendance counters live. The page works without this script for
// finding people and checking them in; badges need it, because the badge code must be
// generated in the browser and never reach the server.

import { BadgeSheet, issueBadge } from "../desk/badge.js";
import { getJson } from "../desk/http.js";
import { startLiveCounters } from "../desk/live.js";
import { lookupBadge } from "../desk/scan.js";

const root = document.querySelector("[data-desk]");

function say(target, message, isError = true) {
  if (!target) return;
  target.textContent = message ?? "";
  target.classList.toggle("desk-message--error", isError);
}

if (root) {
  const congressId = root.dataset.congressId;
  const session = root.dataset.session ? Number(root.dataset.session) : undefined;
  const messages = {
    badCode: root.dataset.msgBadCode,
    failed: root.dataset.msgFailed,
    reasonRequired: root.dataset.msgReasonRequired,
  };

  // Scan: the scanner "types" the code and Enter submits the form; nothing leaves the page
  // but the public key.
  const scanForm = root.querySelector("[data-scan-form]");
  if (scanForm) {
    const field = scanForm.querySelector("input");
    const message = root.querySelector("[data-scan-message]");
    scanForm.hidden = false;
    scanForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = field.value;
      field.value = "";
      if (!text.trim()) return;
      say(message, "");
      const result = await lookupBadge(text, {
        congressId,
        url: scanForm.dataset.url,
        session,
        messages,
      });
      if (result.ok) {
        window.location.assign(result.url);
      } else {
        say(message, result.message);
        field.focus();
      }
    });
  }

  // Issue and reissue: generate the code here, post the public key, show the badge.
  const template = document.querySelector("#badge-template");
  const sheet = template ? new BadgeSheet(template, () => window.location.reload()) : null;
  for (const button of root.querySelectorAll("[data-issue]")) {
    const message = root.querySelector(button.dataset.message) ?? null;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const extra = {};
      if (button.dataset.reasonField) {
        const reason = root.querySelector(button.dataset.reasonField).value.trim();
        if (!reason) {
          say(message, messages.reasonRequired);
          return;
        }
        extra.reason = reason;
      }
      button.disabled = true;
      say(message, "");
      try {
        const result = await issueBadge({ url: button.dataset.url, congressId, extra, sheet });
        if (!result.ok) say(message, result.message ?? messages.failed);
      } catch {
        say(message, messages.failed);
      } finally {
        button.disabled = false;
      }
    });
  }

  startLiveCounters(root, root.dataset.summaryUrl, getJson);
}
