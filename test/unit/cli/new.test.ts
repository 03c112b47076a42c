import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cliHarness';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'lwb-cli-new-'));

describe('CLI: new', () => {
  it('--dir with an absolute path creates the function there, not under the current folder', async () => {
    const root = tmp();
    const cwd = join(root, 'x');
    const parent = join(root, 'y');
    mkdirSync(cwd);
    const r = await cli(['new', 'plain', '--name', 'abs1', '--dir', parent], { cwd });
    assert.equal(r.code, 0, r.err);
    assert.ok(existsSync(join(parent, 'abs1', 'app.py')), 'the handler is in <dir>/<name>');
    assert.deepEqual(readdirSync(cwd), ['.vscode'], 'only launch.json is written in the current folder');
    assert.match(r.out, /^Created \.\.\/y\/abs1\/ /);
  });
});
