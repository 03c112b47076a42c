// The mocha runner for suites inside the extension host (each suite's index.ts calls it). It runs every *.test.js
// of a suite folder and writes a JSON report (counts and the spec transcript) for runTests.ts, because the host's own stdout does not
// reach the terminal under every VS Code flavour.
import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';

/** Runs every *.test.js in `dir` (the suite folder of the caller). */
export async function runMochaIn(dir: string): Promise<void> {
  const lines: string[] = [];
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const originalLog = base.consoleLog;
  base.consoleLog = (...args: unknown[]) => {
    lines.push(format(...args));
    originalLog(...args);
  };
  (Mocha.reporters.Base as unknown as { useColors: boolean }).useColors = false;

  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, reporter: 'spec' });
  if (process.env.LWB_TEST_GREP) mocha.grep(process.env.LWB_TEST_GREP);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(join(dir, file));

  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run((count) => resolve(count));
    runner.on('end', () => {
      const stats = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      const report = { passed: stats.passes, failed: stats.failures, pending: stats.pending, transcript: `${lines.join('\n')}\n` };
      if (process.env.LWB_TEST_REPORT) writeFileSync(process.env.LWB_TEST_REPORT, JSON.stringify(report));
    });
  });
  base.consoleLog = originalLog;
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
