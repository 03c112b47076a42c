// Activation and discovery in a real extension host, on a generated 10 000-file workspace: how long loading the
// extension takes (its bundle's compile, its top level and activate(); issue [8 of 8]: ≤ 30 ms in all), the first
// Local Handlers tree and the longest stall of the host's event loop meanwhile (a lag probe), a full rescan against
// a bare findFiles listing of the same files (the floor any discovery pays), and one changed file against a full
// rescan. Targets (issue [4 of 8]): activate() ≤ 20 ms, no stall over 50 ms, first tree ≤ 1 s.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { runSuite } = require('../out/test/integration/runTests.js');
const { generateLargeWorkspace } = require('../out/test/support/largeWorkspace.js');

const workspace = mkdtempSync(join(tmpdir(), 'lwb-bench-ws-'));
const results = join(workspace, '..', `${workspace.split('/').pop()}-results.json`);
try {
  const made = generateLargeWorkspace(workspace);
  // A template at the root, as in a SAM project: the workspaceContains activation event fires at startup.
  writeFileSync(join(workspace, 'template.yaml'), 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\nResources: {}\n');
  const report = await runSuite('bench-activation', workspace, 'benchActivation', { LWB_BENCH_RESULTS: results });
  if (report.failed > 0) {
    console.error('the activation benchmark failed (see above)');
    process.exit(1);
  }
  const r = JSON.parse(readFileSync(results, 'utf8'));
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const verdict = (ok) => (ok ? 'met' : 'MISSED');
  console.log(`\nActivation and discovery (real extension host, ${made.files} files, ${r.handlers} handlers in ${r.groups} groups)`);
  // Wall time at a window's start on a small machine is mostly waiting for a CPU (the browser, the server and the
  // host start together), so each step also shows the host thread's own CPU time where its Node has it (≥ 23.9).
  // Kernels without fine CPU accounting count it in scheduler ticks (4 ms on the test machine): ± a tick per step.
  const { startup: s, compile } = r;
  const span = (a, b) => ({ ms: b.at - a.at, cpuMs: a.cpuMs === undefined || b.cpuMs === undefined ? undefined : b.cpuMs - a.cpuMs });
  const own = span(s.bundleStarted, s.bundleEnded);
  const host = span(s.bundleEnded, s.activateStarted);
  const activate = span(s.activateStarted, s.activateEnded);
  const sum = (key) => [compile, own, activate].reduce((t, x) => (t === undefined || x[key] === undefined ? undefined : t + x[key]), 0);
  const cell = (x) => `${x.ms.toFixed(1).padStart(8)} ms wall${x.cpuMs === undefined ? '' : `, ${x.cpuMs.toFixed(1).padStart(5)} ms CPU`}`;
  const total = { ms: sum('ms'), cpuMs: sum('cpuMs') };
  const judged = total.cpuMs ?? total.ms;
  console.log(`  extension load + activate()      ${cell(total)}   target ≤ 30 ms: ${verdict(judged <= 30)} (${total.cpuMs === undefined ? 'wall' : 'CPU'} time)`);
  console.log(`    compiling the ${r.bundleKiB.toFixed(0)} KiB bundle    ${cell(compile)}   (timed apart: the same source compiled again in the host, median of 5)`);
  console.log(`    its top level                  ${cell(own)}   (the bundle's first line → its last)`);
  console.log(`    activate()                     ${cell(activate)}   target ≤ 20 ms: ${verdict((activate.cpuMs ?? activate.ms) <= 20)}`);
  console.log(`    (the host's own work between)  ${cell(host)}   (not counted: the bundle's end → activate() called)`);
  console.log(`    vendor files loaded by then    ${s.vendorLoaded.length ? s.vendorLoaded.join(', ') : 'none (the AWS SDK, yaml, jose and jsonc-parser load when first used)'}`);
  console.log(`  first tree (view shown → items)    ${r.firstTreeMs.toFixed(0).padStart(8)} ms   target ≤ 1 000 ms: ${verdict(r.firstTreeMs <= 1000)}`);
  console.log(`    of which listing (findFiles)     ${r.firstScan.listingMs.toFixed(0).padStart(8)} ms, reading and parsing ${r.firstScan.files} files ${r.firstScan.readMs.toFixed(0)} ms`);
  if (r.firstScan.stalls.length) console.log(`    stalls over 20 ms during the first tree: ${r.firstScan.stalls.join(', ')}`);
  console.log(`  longest host stall, first tree     ${r.firstTreeStallMs.toFixed(1).padStart(8)} ms   target ≤ 50 ms: ${verdict(r.firstTreeStallMs <= 50)}`);
  console.log(`  longest host stall, 5 rescans      ${r.rescanStallMs.toFixed(1).padStart(8)} ms   target ≤ 50 ms: ${verdict(r.rescanStallMs <= 50)}`);
  console.log(`  longest host stall, idle 2 s       ${r.idleStallMs.toFixed(1).padStart(8)} ms   (baseline: the host with nothing of ours running)`);
  console.log(`  longest host stall, 5 bare listings ${r.listingStallMs.toFixed(1).padStart(7)} ms   (baseline: the host's own stalls while findFiles alone runs, no discovery)`);
  const rescan = median(r.rescanMs);
  const listing = median(r.listingMs);
  console.log(`  full rescan (median of 5)          ${rescan.toFixed(0).padStart(8)} ms   ${(rescan / listing).toFixed(1)}× a bare findFiles listing (${listing.toFixed(0)} ms)`);
  const change = median(r.changeMs);
  console.log(`  one changed file → tree (median)   ${change.toFixed(0).padStart(8)} ms   ${(change / rescan).toFixed(2)}× a full rescan (includes the watcher's delivery and a 100 ms debounce)`);
  console.log(`  files parsed: ${r.stats.parses} over ${r.stats.scans} scans and 5 changes`);
} finally {
  rmSync(workspace, { recursive: true, force: true });
  rmSync(results, { force: true });
}
