import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../../src/core/packageInfo';

const root = packageRoot();
const hasPython = spawnSync('python3', ['--version']).status === 0;

/** Every file under `dir` (relative paths). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describe('Python runtime: its compiled bytecode is kept in the private cache, and only there', function () {
  this.timeout(60_000);
  let dir: string;
  before(function () { if (!hasPython) this.skip(); });
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'lwb-pyc-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the first cold start writes it, the handler sees sys.argv, the bytecode settings and folders as before', () => {
    const code = join(dir, 'fn');
    const cache = join(dir, 'cache');
    mkdirSync(code);
    writeFileSync(join(code, 'helper.py'), 'VALUE = 1\n');
    writeFileSync(join(code, 'app.py'), `import sys, helper
def handler(event, context):
    return {"argv": sys.argv, "prefix": sys.pycache_prefix, "noBytecode": sys.dont_write_bytecode}
`);
    const run = (): { argv: string[]; prefix: string | null; noBytecode: boolean } => {
      const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'invoke', 'app.handler'], {
        cwd: code, encoding: 'utf8', env: { ...process.env, LAMBDA_WORKBENCH_CACHE_DIR: cache, LAMBDA_WORKBENCH_NO_EARLY_START: '1' },
      });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as { argv: string[]; prefix: string | null; noBytecode: boolean };
    };
    const seen = run();
    assert.deepEqual(seen.argv, [join(root, 'assets', 'runtime', 'python', 'bootstrap.py')], 'the cache folder is no argument the handler sees');
    assert.equal(seen.prefix, null, "the function's own modules keep Python's usual bytecode folders");
    assert.equal(seen.noBytecode, true, 'PYTHONDONTWRITEBYTECODE still applies to the function');
    const kept = filesUnder(join(cache, 'python-bytecode'));
    assert.equal(kept.length, 1, kept.join(', '));
    assert.match(kept[0], /_lambda_workbench_runtime\.cpython-3\d+\.pyc$/);
    assert.deepEqual(filesUnder(code).sort(), ['app.py', 'helper.py'], 'nothing written in the function\'s folder');
    assert.equal(existsSync(join(root, 'assets', 'runtime', 'python', '__pycache__')), false, 'nothing beside the runtime');
    assert.deepEqual(run(), seen, 'a second cold start from the kept bytecode runs the same');
  });
});
