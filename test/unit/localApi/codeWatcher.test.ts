import * as assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeWatcher, codeFoldersOf, functionsOwning } from '../../../src/core/localApi/codeWatcher';

describe('hot reload: which changed files are code', () => {
  const root = join(tmpdir(), 'lwb-owning');
  const folders = new Map([['Orders', codeFoldersOf(join(root, 'orders'))], ['Shared', codeFoldersOf(root)]]);

  it('a source file, a data file or .env reloads every function whose folder holds it', () => {
    for (const name of ['app.js', 'lib/db.py', 'index.ts', 'config.json', 'templates/mail.html', '.env']) {
      assert.deepEqual(functionsOwning(folders, join(root, 'orders', name)), ['Orders', 'Shared'], name);
    }
    assert.deepEqual(functionsOwning(folders, join(root, 'other.js')), ['Shared']);
  });

  it('logs, editor swap and backup files, OS litter, bytecode and tool folders reload nothing', () => {
    for (const name of ['server.log', 'logs/app.LOG', '.app.js.swp', 'app.js~', '.#app.js', '#app.js#', '4913', 'app.js___jb_tmp___',
      '.DS_Store', 'Thumbs.db', 'lib/db.pyc', 'node_modules/x/index.js', '.git/index', '__pycache__/db.cpython-312.pyc', '.mypy_cache/x.json', '.venv/lib/python3.12/site-packages/x.py']) {
      assert.deepEqual(functionsOwning(folders, join(root, 'orders', name)), [], name);
    }
  });

  it("a layer's files are its functions' code, the packages of its nodejs/node_modules too, not theirs", () => {
    const layer = join(tmpdir(), 'lwb-owning-layer');
    const withLayer = new Map([['Api', codeFoldersOf(join(root, 'api'), [layer])], ['Worker', codeFoldersOf(join(root, 'worker'), [layer])], ['Other', codeFoldersOf(join(root, 'other'))]]);
    for (const name of ['python/shared.py', 'nodejs/node_modules/common/index.js', 'nodejs/node20/node_modules/common/lib/a.js', 'bin/tool']) {
      assert.deepEqual(functionsOwning(withLayer, join(layer, name)), ['Api', 'Worker'], name);
    }
    for (const name of ['nodejs/node_modules/common/node_modules/dep/index.js', 'python/__pycache__/shared.cpython-312.pyc', 'build.log']) {
      assert.deepEqual(functionsOwning(withLayer, join(layer, name)), [], name);
    }
    assert.deepEqual(functionsOwning(withLayer, join(root, 'api', 'node_modules', 'common', 'index.js')), [], "a function's own node_modules stays out");
  });
});

describe('hot reload: the folder watcher', function () {
  this.timeout(20_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'lwb-watch-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The reports a watcher makes while `act` runs and a little after (the watcher waits 30 ms for more). */
  async function reportsDuring(outputFile: string | undefined, act: () => void | Promise<void>): Promise<string[]> {
    const files: string[] = [];
    const own = outputFile ? [statSync(outputFile)].map((s) => ({ dev: s.dev, ino: s.ino })) : [];
    const watcher = new CodeWatcher(new Map([['Fn', codeFoldersOf(dir)]]), (_ids, file) => files.push(file), { outputFiles: own });
    try {
      await watcher.ready;
      await act();
      await new Promise((r) => setTimeout(r, 400));
    } finally {
      watcher.close();
    }
    return files;
  }

  it("the process's own output file (a server started with `> server.out` there) is no code change; a saved file is", async () => {
    const out = join(dir, 'server.out');
    writeFileSync(out, '');
    writeFileSync(join(dir, 'app.js'), 'exports.handler = async () => 1;');
    assert.deepEqual(await reportsDuring(out, () => appendFileSync(out, 'GET /hello 200 0.4 ms warm Fn 1a2b3c4d\n')), []);
    assert.deepEqual(await reportsDuring(out, () => writeFileSync(join(dir, 'app.js'), 'exports.handler = async () => 2;')), ['app.js']);
    // Without knowing it is the process's own output, the same write is a change (what the identity check stops).
    assert.deepEqual(await reportsDuring(undefined, () => appendFileSync(out, 'more\n')), ['server.out']);
  });

  it('a log file a handler writes in its folder is no code change', async () => {
    mkdirSync(join(dir, 'logs'));
    assert.deepEqual(await reportsDuring(undefined, () => appendFileSync(join(dir, 'logs', 'debug.log'), 'line\n')), []);
  });

  /** An editor's atomic save: the new text goes to a copy, which is renamed over the file. */
  const saveByRename = (file: string, text: string): void => {
    writeFileSync(`${file}.tmp-save`, text);
    renameSync(`${file}.tmp-save`, file);
  };

  it('a file saved by renaming a copy over it (vim, JetBrains IDEs) is seen at every save, not only the first', async () => {
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'lib', 'db.js'), '1');
    const seen = await reportsDuring(undefined, async () => {
      for (const text of ['2', '3', '4']) {
        saveByRename(join(dir, 'lib', 'db.js'), text);
        await new Promise((r) => setTimeout(r, 150)); // each save its own report (the watcher waits 30 ms)
      }
    });
    assert.deepEqual(seen, [join('lib', 'db.js'), join('lib', 'db.js'), join('lib', 'db.js')]);
  });

  it('a folder made after the start is watched; node_modules is never walked', async () => {
    for (let i = 0; i < 20; i++) mkdirSync(join(dir, 'node_modules', `pkg${i}`, 'lib'), { recursive: true });
    mkdirSync(join(dir, 'src'));
    const watcher = new CodeWatcher(new Map([['Fn', codeFoldersOf(dir)]]), () => undefined);
    try {
      await watcher.ready;
      if (process.platform === 'linux') assert.equal(watcher.watchedFolders, 2, 'the folder and src/, not the 40 folders of node_modules');
    } finally {
      watcher.close();
    }
    const seen = await reportsDuring(undefined, async () => {
      mkdirSync(join(dir, 'src', 'handlers'));
      await new Promise((r) => setTimeout(r, 150));
      writeFileSync(join(dir, 'src', 'handlers', 'orders.js'), 'exports.handler = async () => 1;');
    });
    assert.equal(seen.at(-1), join('src', 'handlers', 'orders.js'));
  });
});
