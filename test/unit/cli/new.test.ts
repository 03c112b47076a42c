import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  it("--sam does not add a function whose logical id a different function already has, and writes nothing", async () => {
    const cwd = tmp();
    assert.equal((await cli(['new', 'plain', '--name', 'orders2', '--sam', '--no-launch'], { cwd })).code, 0);
    const template = readFileSync(join(cwd, 'template.yaml'), 'utf8');
    const other = await cli(['new', 'plain', '--name', 'Orders2', '--sam', '--no-launch'], { cwd });
    assert.equal(other.code, 2);
    assert.match(other.err, /template\.yaml already has Orders2Function, the logical id of 'Orders2', for a different function \('orders2'\): 'Orders2' was not created or added/);
    assert.equal(readFileSync(join(cwd, 'template.yaml'), 'utf8'), template);
    assert.deepEqual(readdirSync(cwd).sort(), ['orders2', 'template.yaml']);
    // The same function scaffolded again is no conflict.
    const again = await cli(['new', 'plain', '--name', 'orders2', '--sam', '--no-launch', '--force'], { cwd });
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /template\.yaml already has this function's resource: left as is/);
  });

  it('--sam adds to the template.yml there is instead of creating a template.yaml', async () => {
    const cwd = tmp();
    writeFileSync(join(cwd, 'template.yml'), 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n');
    const r = await cli(['new', 'plain', '--name', 'c1', '--sam', '--no-launch'], { cwd });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Updated template\.yml$/m);
    assert.ok(!existsSync(join(cwd, 'template.yaml')));
    assert.match(readFileSync(join(cwd, 'template.yml'), 'utf8'), /^ {2}C1Function:$/m);
  });

  it('--sam leaves a template with flow-style Resources unchanged and says why', async () => {
    const cwd = tmp();
    const original = 'Resources: {Existing: {Type: AWS::SNS::Topic}}\n';
    writeFileSync(join(cwd, 'template.yaml'), original);
    const r = await cli(['new', 'plain', '--name', 'f1', '--sam', '--no-launch'], { cwd });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /template\.yaml not changed: its Resources are written as a flow mapping/);
    assert.equal(readFileSync(join(cwd, 'template.yaml'), 'utf8'), original);
  });
});
