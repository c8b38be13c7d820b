// The hall screen (templates/hall/screen.html): poll /api/hall and copy the new counts into
// the page. The server formats every number for the screen's language and decides what may
// be shown (counts and announced results only); this script decides nothing.

import { element, setFields, showWhen } from "../ui/dom.js";
import { poll } from "../ui/poll.js";

const root = document.querySelector("[data-hall]");

/** A key that changes when the announced results change, so the table is rebuilt only then. */
function resultsKey(results) {
  return JSON.stringify(results.slice(0, 1));
}

function renderResults(results) {
  const box = root.querySelector("[data-results]");
  const key = resultsKey(results);
  if (box.dataset.key === key) {
    return;
  }
  box.dataset.key = key;
  const [latest] = results;
  if (!latest) {
    const empty = root.querySelector("[data-results-empty]");
    box.replaceChildren(empty.content.cloneNode(true));
    return;
  }
  const view = root.querySelector("[data-results-template]").content.cloneNode(true);
  view.querySelector(".hall__result-title").textContent = `${latest.title} — ${latest.label}`;
  view.querySelector(".hall__note").textContent = latest.summary;
  const body = view.querySelector("tbody");
  for (const line of latest.lines) {
    const row = element("tr", "", line.elected ? "elected" : "");
    const name = element("th", line.name);
    name.scope = "row";
    row.append(
      name,
      element("td", line.votes_text, "num"),
      element("td", line.percent_text, "num"),
      element("td", line.outcome_text),
    );
    body.append(row);
  }
  box.replaceChildren(view);
}

function render(data) {
  root.querySelector("[data-stale]").hidden = true;
  root.classList.remove("hall--stale");
  setFields(root, data);
  showWhen(root, "attendance", Boolean(data.attendance));
  showWhen(root, "no-attendance", !data.attendance);
  showWhen(root, "round", Boolean(data.round));
  showWhen(root, "no-round", !data.round);
  const quorum = root.querySelector("[data-quorum]");
  const met = Boolean(data.attendance && data.attendance.quorum_met);
  quorum.classList.toggle("hall__quorum--met", met);
  quorum.classList.toggle("hall__quorum--unmet", !met);
  const progress = root.querySelector("[data-progress]");
  if (data.round) {
    progress.max = Math.max(1, data.round.eligible);
    progress.value = data.round.cast;
    progress.textContent = data.round.turnout_text;
  }
  renderResults(data.results || []);
  root.dataset.updated = data.updated || "";
}

function stale() {
  root.querySelector("[data-stale]").hidden = false;
  root.classList.add("hall--stale");
}

if (root) {
  // The first results on the page were rendered by the server: remember them.
  root.querySelector("[data-results]").dataset.key = "server";
  poll(root.dataset.api, {
    interval: Number(root.dataset.interval) || 2500,
    onData: render,
    onError: stale,
  });
}
