import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectVenvPython } from '../../../src/core/runtime/projectVenv';
import { LocalLambda } from '../../../src/core/runtime/localLambda';

describe("Python: the project's virtual environment runs its functions", function () {
  this.timeout(60_000);
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'lwb-venv-'));
    // A real virtual environment (without pip, so it is quick) with a package only it has.
    execFileSync('python3', ['-m', 'venv', '--without-pip', join(root, '.venv')]);
    const version = execFileSync(join(root, '.venv', 'bin', 'python'), ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']).toString().trim();
    const sitePackages = join(root, '.venv', 'lib', `python${version}`, 'site-packages');
    writeFileSync(join(sitePackages, 'only_in_the_venv.py'), 'WHERE = "venv"\n');
    mkdirSync(join(root, 'functions', 'orders'), { recursive: true });
    writeFileSync(join(root, 'functions', 'orders', 'app.py'), 'import sys\nimport only_in_the_venv\n\ndef lambda_handler(event, context):\n    return {"where": only_in_the_venv.WHERE, "prefix": sys.prefix}\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('a .venv above the function folder is its interpreter (its packages import), and the first run says so', async () => {
    if (process.platform === 'win32') return;
    const lambda = new LocalLambda();
    try {
      const result = await lambda.invoke({ name: 'orders', runtime: 'python3.12', handler: 'app.lambda_handler', codeDir: join(root, 'functions', 'orders') }, '{}');
      assert.equal(result.error, undefined, result.payload);
      assert.deepEqual(JSON.parse(result.payload), { where: 'venv', prefix: join(root, '.venv') });
      assert.ok(result.logs.some((l) => l.startsWith("NOTICE running ../../.venv/bin/python, the project's virtual environment")), result.logs.join('\n'));
    } finally {
      await lambda.dispose();
    }
  });

  it('not when a virtual environment is active, nor above a repository root, nor without pyvenv.cfg', async () => {
    const dir = join(root, 'functions', 'orders');
    assert.equal(await projectVenvPython(dir, { VIRTUAL_ENV: '/elsewhere/venv' }), undefined);
    const repo = mkdtempSync(join(root, 'repo-'));
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'fn'));
    assert.equal(await projectVenvPython(join(repo, 'fn'), {}), undefined, 'the .venv above the repository is not its');
    const bare = mkdtempSync(join(tmpdir(), 'lwb-novenv-'));
    mkdirSync(join(bare, 'venv', 'bin'), { recursive: true });
    writeFileSync(join(bare, 'venv', 'bin', 'python'), '');
    assert.equal(await projectVenvPython(bare, {}), undefined, 'a folder named venv that is no virtual environment');
    rmSync(bare, { recursive: true, force: true });
  });
});
