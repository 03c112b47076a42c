import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import type { InvokeResult } from '../../../src/core/runtime/types';
import { noneLeft } from '../support/runtimeFixtures';

// One handler, five behaviours; the spawned children carry the code folder in their environment, so the walk finds
// them even after they were re-parented.
const HANDLER = `
const { spawn } = require('node:child_process');
let hog;
exports.handler = async (event) => {
  switch (event.kind) {
    case 'timeout':
      spawn('sleep', ['30'], { stdio: 'inherit' });
      return new Promise(() => {});
    case 'exit': process.exit(3);
    case 'memory': hog = Buffer.alloc(200 * 1024 * 1024, 1); return new Promise((r) => setTimeout(r, 2000));
    case 'throw': throw new TypeError('soak failure ' + event.i);
    default: return { ok: event.i };
  }
};
`;

const KINDS = ['timeout', 'exit', 'memory', 'throw', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'] as const;
const EXPECTED: Record<(typeof KINDS)[number], (r: InvokeResult) => boolean> = {
  timeout: (r) => r.timedOut && r.error?.errorType === 'Sandbox.Timedout',
  exit: (r) => r.error?.errorType === 'Runtime.ExitError' && /exit status 3/.test(r.error.errorMessage),
  memory: (r) => r.error?.errorType === 'Runtime.OutOfMemory' && r.maxMemoryUsedMb === 128,
  throw: (r) => r.error?.errorType === 'TypeError',
  ok: (r) => r.error === undefined,
};

describe('Soak: 2 000 mixed invocations with faults', function () {
  if (process.platform !== 'linux') return; // the process walk reads /proc
  this.timeout(120_000); // "in at most two minutes"

  it('every call ends as it should, then no process is left and the host\'s memory is where it was', async () => {
    const codeDir = mkdtempSync(join(tmpdir(), 'lwb-soak-'));
    writeFileSync(join(codeDir, 'soak.js'), HANDLER);
    const config = { name: 'soak', runtime: 'nodejs20.x', handler: 'soak.handler', codeDir, timeout: 1, memorySize: 128 };
    const lambda = new LocalLambda({ maxEnvironments: 10 });
    const rssBefore = process.memoryUsage().rss;
    const wrong: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < 2000) {
        const i = next++;
        const kind = KINDS[i % KINDS.length];
        const result = await lambda.invoke(config, JSON.stringify({ kind, i }));
        if (!EXPECTED[kind](result)) wrong.push(`#${i} ${kind}: ${result.error?.errorType ?? 'ok'} ${result.error?.errorMessage ?? ''}`);
      }
    };
    try {
      await Promise.all(Array.from({ length: 10 }, worker));
    } finally {
      await lambda.dispose();
    }
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} calls ended otherwise`);
    assert.deepEqual(await noneLeft(`LAMBDA_TASK_ROOT=${codeDir}`, 3000), [], 'no runtime or child of a handler is left');
    const grownMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    assert.ok(grownMb < 50, `host RSS grew ${grownMb.toFixed(1)} MB`);
  });
});
