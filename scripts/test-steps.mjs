// The step runner behind `npm test` (scripts/test.mjs): runs each step with its output passed through; a failed
// step does not hide the others — only the steps that need it are skipped. At the end, a summary names each failure
// with its reason (its last word on it) and what to do, then one closing line with the counts of every suite that
// wrote a report to test-results/. Resolves to the exit code: non-zero if anything failed or was skipped.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';

/** How much of the first failure's message the summary repeats. */
const DETAIL_LINES = 40;

/** Runs a command with its output passed through, keeping the last lines and mocha's first failure (its count,
 *  title and error) for the reason of a failure. */
function run(cmd, args, env) {
  return new Promise((resolve) => {
    const tail = [];
    let failing;
    const keep = (chunk, stream) => {
      stream.write(chunk);
      for (const raw of chunk.toString().split('\n')) {
        const line = raw.trim();
        if (!line) continue;
        tail.push(line);
        if (!failing && /^\d+ failing$/.test(line)) failing = { count: line, lines: [], detail: [], done: false };
        else if (failing && !failing.done && (failing.detail.length || /^1\) /.test(line))) {
          // The first failure's whole message, without its stack, for the summary (CI shows the end of a run).
          if (/^2\) /.test(line) || failing.detail.length >= DETAIL_LINES) failing.done = true;
          else if (!/^at /.test(line)) failing.detail.push(line);
          if (failing.lines.length < 3) failing.lines.push(line);
        }
      }
      tail.splice(0, Math.max(0, tail.length - 40));
    };
    const child = spawn(cmd, args, { stdio: ['inherit', 'pipe', 'pipe'], env });
    child.stdout.on('data', (c) => keep(c, process.stdout));
    child.stderr.on('data', (c) => keep(c, process.stderr));
    child.on('error', (error) => resolve({ code: 127, tail: [error.message] }));
    child.on('close', (code, signal) => {
      if (failing?.lines.length) tail.push(`${failing.count}, the first: ${failing.lines.join(' ').replace(/^1\) /, '')}`);
      resolve({ code: code ?? signal, tail, detail: failing && failing.detail.length > 3 ? failing.detail : undefined });
    });
  });
}

/** The line of a step's output that says why it failed: its own last word on it, else its last line. */
function reason(tail) {
  const said = [...tail].reverse().find((l) => /^\d+ failing, the first: |^\[test-host\]|error|failed|not found|cannot|refused/i.test(l) && !/^\d+ passed, \d+ failed/.test(l));
  return (said ?? tail.at(-1) ?? 'no output').slice(0, 300);
}

/**
 * steps: { name, cmd, args, fix, needs?: string[], report?: string }[] — `report` is the prefix of the
 * test-results/*.json files the step writes ({ passed, failed, pending }).
 */
export async function runSteps(steps, { env = process.env } = {}) {
  rmSync('test-results', { recursive: true, force: true });
  const outcome = new Map();
  const problems = [];
  for (const step of steps) {
    const missing = (step.needs ?? []).filter((n) => outcome.get(n) !== 'ok');
    console.log(`\n── ${step.name} ${'─'.repeat(Math.max(0, 70 - step.name.length))}`);
    if (missing.length) {
      outcome.set(step.name, 'skipped');
      problems.push(`SKIPPED ${step.name}: needs ${missing.join(', ')}, which did not pass`);
      console.log(`── ${step.name}: skipped (needs ${missing.join(', ')})`);
      continue;
    }
    const started = Date.now();
    const { code, tail, detail } = await run(step.cmd, step.args, env);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    outcome.set(step.name, code === 0 ? 'ok' : 'failed');
    console.log(`── ${step.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds} s`);
    const full = detail ? `\n  the first failure, whole:\n${detail.map((l) => `    ${l}`).join('\n')}` : '';
    if (code !== 0) problems.push(`FAILED ${step.name}: ${reason(tail)}${full}\n  what to do: ${step.fix}`);
  }

  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const explained = new Set();
  const results = existsSync('test-results') ? readdirSync('test-results').filter((f) => f.endsWith('.json')) : [];
  for (const step of steps.filter((s) => s.report)) {
    for (const file of results.filter((f) => f.startsWith(step.report))) {
      const report = JSON.parse(readFileSync(`test-results/${file}`, 'utf8'));
      passed += report.passed;
      failed += report.failed;
      skipped += report.pending ?? 0;
      if (report.failed > 0) explained.add(step.name);
    }
  }
  // A failed step whose tests did not say why (a type error, an install, a host that never started) counts as one.
  failed += [...outcome].filter(([name, state]) => state === 'failed' && !explained.has(name)).length;

  console.log(`\n── summary ${'─'.repeat(62)}`);
  for (const [name, state] of outcome) console.log(`  ${state.padEnd(7)} ${name}`);
  for (const problem of problems) console.log(problem);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return problems.length || failed ? 1 : 0;
}
