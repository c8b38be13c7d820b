// Timings of the JS ballot crypto in Node (not a test):
//
//     node bench/js_bench.mjs [--reps N] [--json]
//
// Shapes and choices follow bench/run.py: a cross-out ballot of 11 names / 9 seats and of
// 65 / 55 keeping k-1 names, "verify" meaning decode from JSON + verifyBallot. Each figure
// is the median wall time of N runs after one warm-up. "new RoundContext + encrypt" includes
// building the joint key's window table (a fresh context each run). With --json the
// last line is {"figures": {name: {"median_s": s, "samples_s": [...]}}}, the shape
// bench/run.py reads from its JS hook.

import {
  CiphertextBallot,
  CredentialKey,
  G,
  RoundContext,
  Scalar,
  crossOut,
  encryptBallot,
  generateCode,
  roundHash,
  verifyBallot,
} from "../election/static/js/crypto/index.js";

const args = process.argv.slice(2);
const REPS = args.includes("--reps") ? Number(args[args.indexOf("--reps") + 1]) : 7;
const JSON_OUT = args.includes("--json");

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function timed(fn) {
  fn(); // warm-up
  const samples = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    fn();
    samples.push((performance.now() - t) / 1000);
  }
  return { median_s: median(samples), samples_s: samples };
}

function newContext(form) {
  const K = G.mul(Scalar.random());
  const manifest = { congress: "bench", form: form.toJson(), joint_key: K.hex() };
  return new RoundContext(roundHash(manifest), K, form);
}

// As bench/run.py's typical_counters: keep k-1 of n names.
function typicalCounters(n, k) {
  return [...Array(k - 1).fill(1), ...Array(n - k + 1).fill(0), 0, 0];
}

const figures = {};
const key = new CredentialKey("bench", generateCode());
for (const [n, k] of [
  [11, 9],
  [65, 55],
]) {
  const form = crossOut(n, k);
  const counters = typicalCounters(n, k);
  const ctx = newContext(form);
  const wire = JSON.parse(JSON.stringify(encryptBallot(ctx, counters, key)[0].toJson()));
  const name = `ballot ${n} names / ${k} seats`;
  figures[`${name}: encrypt`] = timed(() => encryptBallot(ctx, counters, key));
  figures[`${name}: new RoundContext + encrypt`] = timed(() =>
    encryptBallot(newContext(form), counters, key),
  );
  figures[`${name}: verify`] = timed(() => verifyBallot(ctx, CiphertextBallot.fromJson(wire, form)));
  figures[`${name}: decode only`] = timed(() => CiphertextBallot.fromJson(wire, form));
}

for (const [name, fig] of Object.entries(figures)) {
  console.log(`${name.padEnd(58)} ${(fig.median_s * 1000).toFixed(0).padStart(5)} ms`);
}
if (JSON_OUT) console.log(JSON.stringify({ figures }));
