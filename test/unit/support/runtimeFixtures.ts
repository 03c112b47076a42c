import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../src/core/packageInfo';
import { LocalLambda, type LocalLambdaOptions } from '../../../src/core/runtime/localLambda';
import type { FunctionConfig } from '../../../src/core/runtime/types';

export const fixtures = join(packageRoot(), 'test', 'fixtures', 'runtime');

/** One language's fixture set, so the conformance suite runs each fact in Node and in Python. */
export interface Language {
  readonly name: 'node' | 'python';
  readonly runtime: string;
  readonly codeDir: string;
  /** Handler name of a behaviour in this language's fixture module. */
  handler(behaviour: string): string;
}

export const languages: Language[] = [
  { name: 'node', runtime: 'nodejs20.x', codeDir: join(fixtures, 'node'), handler: (b) => `handlers.${b}` },
  {
    name: 'python', runtime: 'python3.11', codeDir: join(fixtures, 'python'),
    handler: (b) => `handlers.${({ context: 'context_fields', exit: 'exit_now' } as Record<string, string>)[b] ?? b}`,
  },
];

let counter = 0;
export function fnConfig(lang: Language, behaviour: string, extra: Partial<FunctionConfig> = {}): FunctionConfig {
  return { name: `${lang.name}-${behaviour}-${++counter}`, runtime: lang.runtime, handler: lang.handler(behaviour), codeDir: lang.codeDir, ...extra };
}

/** Child processes of this test process (Linux /proc), to prove nothing is left running. */
export function childPids(): number[] {
  if (process.platform !== 'linux') return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid && fields[0] !== 'Z') pids.push(Number(entry));
    } catch {
      // raced with an exiting process
    }
  }
  return pids;
}

export async function waitForNoChildren(timeoutMs = 5000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = childPids();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    left = childPids();
  }
  return left;
}

/** Processes anywhere on the machine (Linux /proc) whose environment holds `text` — a mark, or an environment's
 *  `LAMBDA_TASK_ROOT=<dir>`: the whole tree, re-parented orphans included, not only our direct children. */
export function processesWith(text: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes(text)) found.push(Number(pid));
    } catch { /* gone, or not ours to read */ }
  }
  return found;
}

/** Waits (bounded) until no process holds `text` in its environment; returns those still left. */
export async function noneLeft(text: string, withinMs = 2000): Promise<number[]> {
  const deadline = Date.now() + withinMs;
  let left = processesWith(text);
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    left = processesWith(text);
  }
  return left;
}

/** One LocalLambda for a describe block: disposed after it, and then no runtime process may be left behind. */
export function suiteLambda(options?: LocalLambdaOptions): LocalLambda {
  const lambda = new LocalLambda(options);
  after(async () => {
    await lambda.dispose();
    assert.deepEqual(await waitForNoChildren(), [], 'no runtime process is left behind');
  });
  return lambda;
}
