// The inspection commission's verification status, as the page shows it. Pure functions:
// tests/js/inspection_progress.test.mjs runs them without a browser.

/**
 * Whether a status reply from /api/inspection/rounds/<id>/verification means the page must
 * be reloaded: the run was running when the page was drawn and no longer is (its result,
 * the failing checks and the verdict link are drawn by the server, not by this script).
 * @param {string} shownState the state the page was drawn with (data-state)
 * @param {{state: string}} reply
 */
export function finished(shownState, reply) {
  return shownState === "running" && reply.state !== "running";
}

/**
 * The <progress> element's value and max for a reply; an unknown total is an indeterminate
 * bar (no value).
 * @param {{done: number, total: number}} reply
 * @returns {{value: number | null, max: number}}
 */
export function progressBar(reply) {
  const total = Number.isInteger(reply.total) && reply.total > 0 ? reply.total : 0;
  if (total === 0) {
    return { value: null, max: 1 };
  }
  const done = Number.isInteger(reply.done) ? Math.min(Math.max(reply.done, 0), total) : 0;
  return { value: done, max: total };
}
