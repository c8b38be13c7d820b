// Drawing the ballot and the choice in words. DOM only, built with createElement and
// textContent (never HTML strings), with classes for every look (the CSP forbids style=).
//
// Each mark is a <button aria-pressed>: reachable by Tab, activated by Enter, Space, a tap or
// a click, and announced with its state. The ballot mirrors the paper one: numbers, names in
// the manifest's order, and on the agree/disagree form the two columns of boxes.

import { AGREE, CHOSEN, DISAGREE, KEPT, NONE, Reason, STRUCK } from "./choices.js";

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function hidden(text) {
  return el("span", "visually-hidden", text);
}

/**
 * Build the ballot's rows in `list` (an <ol>) for `round`; `onTap(index, value)` is called
 * for every activation. Returns nothing; `showChoice` paints the marks.
 */
export function renderBallot(list, round, t, onTap) {
  list.replaceChildren();
  const kind = round.form.kind;
  list.className = `ballot-list ballot-list--${kind.replace(/_/g, "-")}`;
  if (kind === "agree_disagree") {
    const head = el("li", "ballot-row ballot-row--head");
    head.setAttribute("aria-hidden", "true");
    head.append(
      el("span", "ballot-row__no", t("col_number")),
      el("span", "ballot-row__name", t("col_name")),
      el("span", "ballot-row__col", t("agree")),
      el("span", "ballot-row__col", t("disagree")),
    );
    list.append(head);
  }
  round.names.forEach((name, i) => {
    const row = el("li", "ballot-row");
    row.dataset.row = String(i);
    const number = el("span", "ballot-row__no", `${i + 1}.`);
    if (kind === "agree_disagree") {
      row.classList.add("ballot-row--boxes");
      row.append(number, el("span", "ballot-row__name", name));
      for (const value of [AGREE, DISAGREE]) {
        const box = el("button", "ballot-box");
        box.type = "button";
        box.dataset.index = String(i);
        box.dataset.value = value;
        box.setAttribute("aria-pressed", "false");
        box.append(el("span", "ballot-box__mark"), el("span", "ballot-box__label", t(value)));
        box.append(hidden(`: ${name}`));
        row.append(box);
      }
    } else {
      const button = el("button", "ballot-name");
      button.type = "button";
      button.dataset.index = String(i);
      button.setAttribute("aria-pressed", "false");
      const state = el("span", "ballot-name__state");
      button.append(number, el("span", "ballot-name__text", name), state);
      row.append(button);
    }
    list.append(row);
  });
  list.onclick = (event) => {
    const button = event.target.closest("button[data-index]");
    if (!button || !list.contains(button)) return;
    onTap(Number(button.dataset.index), button.dataset.value ?? null);
  };
}

/** Paint `rows` onto the ballot drawn by renderBallot. */
export function showChoice(list, round, rows, t) {
  const kind = round.form.kind;
  for (const row of list.querySelectorAll("li[data-row]")) {
    const i = Number(row.dataset.row);
    const mark = rows[i];
    if (kind === "agree_disagree") {
      row.classList.toggle("is-unmarked", mark === NONE);
      for (const box of row.querySelectorAll("button[data-value]")) {
        box.setAttribute("aria-pressed", String(box.dataset.value === mark));
      }
    } else {
      const on = kind === "cross_out" ? mark === STRUCK : mark === CHOSEN;
      row.classList.toggle(kind === "cross_out" ? "is-struck" : "is-chosen", on);
      const button = row.querySelector("button");
      button.setAttribute("aria-pressed", String(on));
      const label = kind === "cross_out" ? t("struck_chip") : t("chosen_chip");
      button.querySelector(".ballot-name__state").textContent = on ? label : "";
    }
  }
}

/**
 * The live tally line and its status under the ballot, from `assess()`: the counter text,
 * and a warning class when the ballot would be invalid (or a row is not counted).
 */
export function showTally(counter, status, round, assessment, t) {
  const kind = round.form.kind;
  const a = assessment;
  let line = "";
  let note = "";
  let warn = false;
  if (kind === "cross_out") {
    line = t("kept_counter", { kept: a.kept, seats: a.seats });
    if (a.reason === Reason.OVER) note = t("status_over", { seats: a.seats });
    else if (a.reason === Reason.NONE) note = t("status_none");
  } else if (kind === "choose_at_most") {
    line = t("chosen_counter", { chosen: a.chosen, seats: a.seats });
  } else if (round.form.candidates === 1) {
    if (a.reason === Reason.MARKS) note = t("status_marks");
  } else if (a.uncounted.length) {
    note = t("status_uncounted", { count: a.uncounted.length });
  }
  warn = a.reason !== null;
  counter.textContent = line;
  counter.hidden = line === "";
  counter.classList.toggle("is-warning", warn);
  status.textContent = note;
  status.classList.toggle("is-warning", warn);
}

function markText(form, mark, t) {
  if (mark === KEPT) return t("mark_kept");
  if (mark === STRUCK) return t("mark_struck");
  if (mark === AGREE) return t("agree");
  if (mark === DISAGREE) return t("disagree");
  if (mark === CHOSEN) return t("mark_chosen");
  if (form.kind !== "agree_disagree") return t("mark_not_chosen");
  return form.candidates === 1 ? t("mark_unmarked_single") : t("mark_unmarked");
}

/**
 * Write what a ballot records, `meaning = fromCounters(form, counters)`, in words: a verdict
 * into `verdict` and one line per name into `list`. The review screen shows what the choice
 * will encode and the audit screen what the opened ballot holds, with this one function.
 */
export function showMeaning(verdict, list, round, meaning, t) {
  const form = round.form;
  list.replaceChildren();
  verdict.classList.toggle("is-invalid", meaning.reason !== null);
  if (meaning.reason === Reason.OVER) {
    verdict.textContent = t("invalid_over", { seats: form.seats });
  } else if (meaning.reason === Reason.NONE) {
    verdict.textContent = t("invalid_none");
  } else if (meaning.reason === Reason.MARKS) {
    verdict.textContent = t("invalid_marks");
  } else if (form.kind === "cross_out") {
    const kept = meaning.rows.filter((m) => m === KEPT).length;
    verdict.textContent = t("valid_kept", { kept, seats: form.seats });
  } else if (form.kind === "choose_at_most") {
    const chosen = meaning.rows.filter((m) => m === CHOSEN).length;
    verdict.textContent = t("valid_chosen", { chosen, seats: form.seats });
  } else {
    verdict.textContent = t("valid_ballot");
  }
  if (meaning.rows === null) {
    list.append(el("li", "meaning__none", t("invalid_no_names")));
    return;
  }
  meaning.rows.forEach((mark, i) => {
    const item = el("li", `meaning__item meaning__item--${mark}`);
    item.append(
      el("span", "meaning__name", `${i + 1}. ${round.names[i]}`),
      el("span", "meaning__mark", markText(form, mark, t)),
    );
    list.append(item);
  });
}
