// The inspection page's polling logic (election/static/js/inspection/progress.js).

import assert from "node:assert/strict";
import { test } from "node:test";

import { finished, progressBar } from "../../election/static/js/inspection/progress.js";

test("a run that was running and no longer is reloads the page", () => {
  assert.equal(finished("running", { state: "passed" }), true);
  assert.equal(finished("running", { state: "failed" }), true);
  assert.equal(finished("running", { state: "running" }), false);
  assert.equal(finished("passed", { state: "passed" }), false);
});

test("the bar is indeterminate until the total is known, and clamped", () => {
  assert.deepEqual(progressBar({ done: 0, total: 0 }), { value: null, max: 1 });
  assert.deepEqual(progressBar({ done: 3, total: 8 }), { value: 3, max: 8 });
  assert.deepEqual(progressBar({ done: 12, total: 8 }), { value: 8, max: 8 });
  assert.deepEqual(progressBar({ done: -1, total: 8 }), { value: 0, max: 8 });
});
