// Operator consoles (secretariat and presidium pages). On a candidate-list page
// (templates/secretariat/contest.html) it re-checks the list while names are ticked: the
// ticked member ids go to the JSON check endpoint (POST, with the X-CSRFToken header), and
// the verdict, the checks and the names are redrawn from the reply without reloading.
// The server computes and words every check; this script only draws what it is given.
// On the presidium's console it keeps the open round's ballot count current from the hall
// screen's public JSON, which carries counts only.

import { postJSON } from "../ui/csrf.js";
import { element, setFields } from "../ui/dom.js";
import { poll } from "../ui/poll.js";

const MARKS = { ok: "✓", warn: "!", fail: "✗" };

function wordsFrom(template) {
  const words = {};
  if (template) {
    for (const node of template.content.querySelectorAll("[data-word]")) {
      words[node.dataset.word] = node.textContent;
    }
  }
  return words;
}

function drawVerdict(panel, verdict) {
  const box = panel.querySelector("[data-verdict]");
  box.className = `verdict verdict--${verdict.status}`;
  box.querySelector("[data-verdict-text]").textContent = verdict.text;
  box.querySelector("[data-verdict-detail]").textContent = verdict.detail;
  box.querySelector("[data-verdict-more]").hidden = !verdict.detail;
}

function drawChecks(panel, checks, words) {
  const list = panel.querySelector("[data-checks]");
  const items = checks.map((check) => {
    const item = element("li", "", `check check--${check.status}`);
    item.dataset.check = check.id;
    const mark = element("span", MARKS[check.status] || "?", "check__mark");
    mark.setAttribute("aria-hidden", "true");
    item.append(
      mark,
      element("span", `${words[check.status] || ""}:`, "visually-hidden"),
      element("strong", check.title, "check__title"),
      document.createTextNode(" "),
      element("span", check.detail, "check__detail"),
    );
    return item;
  });
  list.replaceChildren(...items);
}

function drawEntries(panel, entries, words) {
  const body = panel.querySelector("[data-entries]");
  if (entries.length === 0) {
    const cell = element("td", words.none || "", "muted");
    cell.colSpan = 5;
    const row = element("tr");
    row.append(cell);
    body.replaceChildren(row);
    return;
  }
  const rows = entries.map((entry, index) => {
    const classes = [`entry`, `entry--${entry.status}`];
    if (entry.proposed) {
      classes.push("entry--proposed");
    }
    const row = element("tr", "", classes.join(" "));
    const name = element("th", entry.name);
    name.scope = "row";
    const notes = element("td");
    if (entry.notes.length > 0) {
      const list = element("ul", "", "notes");
      list.append(...entry.notes.map((note) => element("li", note)));
      notes.append(list);
    } else {
      notes.textContent = words.ok || "";
    }
    row.append(
      element("td", String(index + 1), "num"),
      name,
      element("td", String(entry.birth_year), "num"),
      element("td", entry.source_text),
      notes,
    );
    return row;
  });
  body.replaceChildren(...rows);
}

function setupListCheck(root) {
  const url = root.dataset.listCheck;
  const panel = root.querySelector("[data-check-panel]");
  const state = root.querySelector("[data-check-state]");
  const words = wordsFrom(root.querySelector("[data-check-words]"));
  let sequence = 0;
  let timer = 0;

  async function refresh() {
    sequence += 1;
    const mine = sequence;
    const add = [...root.querySelectorAll("[data-pick]:checked")].map((box) => Number(box.value));
    state.textContent = words.checking || "";
    try {
      const data = await postJSON(url, { add });
      if (mine !== sequence) {
        return; // A newer check is on its way; its answer wins.
      }
      drawVerdict(panel, data.verdict);
      drawChecks(panel, data.checks, words);
      drawEntries(panel, data.entries, words);
      state.textContent = "";
      root.dataset.checked = String(mine);
    } catch {
      if (mine === sequence) {
        state.textContent = words.error || "";
      }
    }
  }

  root.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.matches("[data-pick]")) {
      clearTimeout(timer);
      timer = setTimeout(refresh, 200);
    }
  });
}

const listRoot = document.querySelector("[data-list-check]");
if (listRoot) {
  setupListCheck(listRoot);
}

const live = document.querySelector("[data-live]");
if (live) {
  poll(live.dataset.live, {
    interval: 3000,
    onData: (data) => {
      if (data.round) {
        setFields(live, data);
      }
    },
  });
}
