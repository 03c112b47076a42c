import * as assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HandlerIndex } from '../../../src/localHandlers/handlerIndex';
import { waitFor } from '../../support/waitFor';
import { extensionApi, workspaceRoot } from '../support/api';

const PKG = 'generated-10k/packages';

describe('Discovery follows edits without rescanning the workspace (real host)', function () {
  this.timeout(60_000);
  let index: HandlerIndex;
  const has = (id: string): boolean => index.all().some((h) => h.id === id);

  before(async () => {
    index = (await extensionApi()).localHandlers.index;
    await index.whenReady();
  });

  it('a changed file is re-parsed on its own: its new handler shows, no rescan', async () => {
    const scans = index.stats.scans;
    const parses = index.stats.parses;
    appendFileSync(join(workspaceRoot(), PKG, 'pkg-001', 'src', 'index.mjs'), '\nexport const secondHandler = async () => 2;\n');
    await waitFor('the new handler', () => has(`scan:${PKG}/pkg-001/src/index.mjs:secondHandler`));
    assert.equal(index.stats.scans, scans, 'no new listing of the workspace');
    assert.ok(index.stats.parses - parses <= 2, `re-parsed ${index.stats.parses - parses} files for one change`);
  });

  it('a new file adds its handler and deleting it removes it; a new file in an excluded folder adds nothing', async () => {
    const scans = index.stats.scans;
    const excluded = join(workspaceRoot(), 'generated-10k', 'dist', 'late.js');
    writeFileSync(excluded, 'exports.handler = async () => "excluded";\n');
    const created = join(workspaceRoot(), PKG, 'pkg-002', 'late_fn.py');
    writeFileSync(created, 'def lambda_handler(event, context):\n    return "late"\n');
    await waitFor('the created handler', () => has(`scan:${PKG}/pkg-002/late_fn.py:lambda_handler`));
    assert.ok(!index.all().some((h) => h.file === excluded), 'a file under dist/ is not listed');
    rmSync(created);
    await waitFor('the deleted handler to go', () => !has(`scan:${PKG}/pkg-002/late_fn.py:lambda_handler`));
    assert.equal(index.stats.scans, scans, 'no new listing of the workspace');
  });

  it('a deleted folder takes its handlers with it', async () => {
    const folder = join(workspaceRoot(), PKG, 'pkg-new');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'handler.py'), 'def lambda_handler(event, context):\n    return 1\n');
    await waitFor('the new folder\'s handler', () => has(`scan:${PKG}/pkg-new/handler.py:lambda_handler`));
    rmSync(folder, { recursive: true });
    await waitFor('its handler to go', () => !has(`scan:${PKG}/pkg-new/handler.py:lambda_handler`));
  });

  it('adding a folder to lambdaWorkbench.discovery.excludeFolders rescans once and hides it', async () => {
    const config = vscode.workspace.getConfiguration('lambdaWorkbench');
    const scans = index.stats.scans;
    await config.update('discovery.excludeFolders', ['pkg-003'], vscode.ConfigurationTarget.Global);
    try {
      await waitFor('pkg-003 to be hidden', () => index.stats.scans > scans && !has(`scan:${PKG}/pkg-003/src/index.mjs:handler`));
      assert.ok(has(`scan:${PKG}/pkg-005/src/index.mjs:handler`), 'the other packages stay');
    } finally {
      await config.update('discovery.excludeFolders', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('pkg-003 back', () => has(`scan:${PKG}/pkg-003/src/index.mjs:handler`));
  });
});
