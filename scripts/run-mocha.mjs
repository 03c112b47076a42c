// Runs the plain-Node tests of one suite folder (out/test/<suite>/**/*.test.js: `unit` or `packaging`) with mocha's
// spec reporter and writes the counts to test-results/<suite>.json for scripts/test.mjs. Further arguments are a
// mocha --grep pattern.
import Mocha from 'mocha';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? testFiles(path) : name.endsWith('.test.js') ? [path] : [];
  });
}

const [suite = 'unit', grep] = process.argv.slice(2);
const mocha = new Mocha({ ui: 'bdd', timeout: 20_000, reporter: 'spec' });
if (grep) mocha.grep(grep);
for (const file of testFiles(join('out', 'test', suite)).sort()) mocha.addFile(join(process.cwd(), file));
await mocha.loadFilesAsync();
const runner = mocha.run((failures) => {
  const { passes = 0, pending = 0 } = runner.stats ?? {};
  mkdirSync('test-results', { recursive: true });
  writeFileSync(`test-results/${suite}.json`, JSON.stringify({ passed: passes, failed: failures, pending }));
  console.log(`${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
  process.exitCode = failures > 0 || passes === 0 ? 1 : 0;
});
