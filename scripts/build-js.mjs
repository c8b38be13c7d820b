// Bundle every election/static/js/entries/*.js into election/static/dist/ with esbuild, copy
// the pinned stylesheets (booth.css) beside them, then write dist/manifest.json: output file
// name -> Subresource Integrity ("sha384-...").
//
// The output is deterministic: the same sources give the same bytes on any machine and in any
// checkout directory (paths in the bundle are relative to the repository root, there are no
// source maps, no timestamps, and the manifest's keys are sorted). `make test` relies on the
// manifest matching the files; a test builds twice and compares.

import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const entriesDir = path.join(root, "election", "static", "js", "entries");
const outDir = path.join(root, "election", "static", "dist");

const entries = (await readdir(entriesDir))
  .filter((name) => name.endsWith(".js"))
  .sort()
  .map((name) => path.posix.join("election/static/js/entries", name));

if (entries.length === 0) {
  throw new Error(`no entry points in ${entriesDir}`);
}

// Start from an empty directory so a removed entry leaves no stale bundle behind.
await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });

await esbuild.build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir: "election/static/dist",
  entryNames: "[name]",
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["es2022"],
  minify: false,
  sourcemap: false,
  splitting: false, // Each bundle stands alone, so one integrity hash covers all its code.
  charset: "utf8",
  legalComments: "eof",
  logLevel: "warning",
});

// Stylesheets served under Subresource Integrity too: the booth's decides what a delegate
// sees (a rule could hide a name), so it is pinned like the code (ATTACKS.md T-11.b).
const pinnedStylesheets = ["booth.css"];
for (const name of pinnedStylesheets) {
  const bytes = await readFile(path.join(root, "election", "static", "css", name));
  await writeFile(path.join(outDir, name), bytes);
}

const outputs = (await readdir(outDir))
  .filter((name) => name.endsWith(".js") || name.endsWith(".css"))
  .sort();
const manifest = {};
for (const name of outputs) {
  const bytes = await readFile(path.join(outDir, name));
  manifest[name] = `sha384-${createHash("sha384").update(bytes).digest("base64")}`;
}
await writeFile(path.join(outDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);

console.log(`built ${outputs.length} bundle(s) into ${path.relative(root, outDir)}/`);
