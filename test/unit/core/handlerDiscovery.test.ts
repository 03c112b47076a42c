import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { ExcludeMatcher, globToRegExp } from '../../../src/core/project/globMatch';
import { discoveryExcludes, discoveryKind, mergeHandlers, parseDiscoveryFile, scannedHandlerName, unresolvedCandidates, type DiscoveryEntry } from '../../../src/core/project/handlerDiscovery';

const root = join('/', 'ws');
const at = (...parts: string[]): string => join(root, ...parts);
const entries = (files: Record<string, string>): DiscoveryEntry[] =>
  Object.entries(files).map(([file, text]) => parseDiscoveryFile(at(file), text)).filter((e): e is DiscoveryEntry => e !== undefined);

describe('handler discovery (pure parsers and merge)', () => {
  it('reads VS Code globs: **, *, ?, braces and classes', () => {
    assert.ok(globToRegExp('**/node_modules').test('a/b/node_modules'));
    assert.ok(globToRegExp('**/node_modules').test('node_modules'));
    assert.ok(!globToRegExp('**/node_modules').test('my_node_modules'));
    assert.ok(globToRegExp('**/*.{js,ts}').test('src/app.ts'));
    assert.ok(!globToRegExp('**/*.{js,ts}').test('src/app.py'));
    assert.ok(globToRegExp('src/*.py').test('src/a.py'));
    assert.ok(!globToRegExp('src/*.py').test('src/x/a.py'));
    assert.ok(globToRegExp('gen/v?/[ab].js').test('gen/v1/a.js'));
    assert.ok(globToRegExp('{build,generated/**}').test('generated/x/y.ts'));
  });

  it('excludes a file when it or a folder above it matches: defaults, the setting and files.exclude', () => {
    const m = new ExcludeMatcher(discoveryExcludes(['generated', 'legacy/**/*.py'], { '**/.idea': true, '**/scratch': true, '**/kept': false }));
    for (const p of ['node_modules/x/index.js', 'pkg/dist/app.js', 'a/.venv/lib/x.py', 'generated/app.js', 'legacy/v1/old.py', '.idea/x.js', 'tmp/scratch/h.py']) {
      assert.ok(m.excludes(p), `${p} is excluded`);
    }
    for (const p of ['src/app.js', 'legacy/v1/old.js', 'kept/app.py', 'distribution/app.js']) assert.ok(!m.excludes(p), `${p} is kept`);
  });

  it('knows which files it reads: sources (not tests or declarations) and templates', () => {
    assert.equal(discoveryKind('/w/app.py'), 'source');
    assert.equal(discoveryKind('/w/src/index.mts'), 'source');
    assert.equal(discoveryKind('/w/types.d.ts'), undefined);
    assert.equal(discoveryKind('/w/app.test.ts'), undefined);
    assert.equal(discoveryKind('/w/template.yaml'), 'template');
    assert.equal(discoveryKind('/w/infra/serverless.yml'), 'serverless');
    assert.equal(discoveryKind('/w/package.json'), undefined);
  });

  it('links a template\'s function to its source file and does not list that handler twice', () => {
    const handlers = mergeHandlers(root, entries({
      'template.yaml': 'Resources:\n  Orders:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: nodejs20.x\n',
      'src/app.js': '// orders\nexports.handler = async () => 1;\nexports.otherHandler = async () => 2;\n',
      'tools/job.py': 'def lambda_handler(event, context):\n    return 1\n',
    }));
    assert.deepEqual(handlers.map((h) => [h.id, h.file && h.file.slice(root.length), h.line]), [
      ['sam:template.yaml:Orders', join('/src/app.js'), 1],
      ['scan:src/app.js:otherHandler', join('/src/app.js'), 2],
      ['scan:tools/job.py:lambda_handler', join('/tools/job.py'), 0],
    ]);
  });

  it("links a SAM esbuild function to the TypeScript entry point its Handler's module is built from", () => {
    const handlers = mergeHandlers(root, entries({
      'template.yaml': 'Resources:\n  Foo:\n    Type: AWS::Serverless::Function\n    Properties: { CodeUri: fn/, Handler: foo.handler, Runtime: nodejs20.x }\n' +
        '    Metadata: { BuildMethod: esbuild, BuildProperties: { EntryPoints: [src/handlers/foo.ts] } }\n',
      'fn/src/handlers/foo.ts': 'export const handler = async (): Promise<number> => 1;\n',
    }));
    assert.deepEqual(handlers.map((h) => [h.id, h.file && h.file.slice(root.length), h.line]), [['sam:template.yaml:Foo', join('/fn/src/handlers/foo.ts'), 0]]);
  });

  it('a broken template is an entry with a problem, not a failure of the whole folder', () => {
    const list = entries({ 'template.yaml': 'Resources:\n  - [unclosed', 'app.py': 'def handler(event, context):\n    pass\n' });
    const template = list.find((e) => e.kind === 'template');
    assert.ok(template?.kind === 'template' && template.problem);
    assert.deepEqual(mergeHandlers(root, list).map((h) => h.id), ['scan:app.py:handler']);
  });

  it('re-merging after one file changes needs only that file\'s new entry', () => {
    const base = entries({ 'a.py': 'def handler(event, context):\n    pass\n', 'b.js': 'export const handler = async () => 1;\n' });
    const changed = [base[0], parseDiscoveryFile(at('b.js'), 'export const handler = async () => 1;\nexport const otherHandler = async () => 2;\n')!];
    assert.deepEqual(mergeHandlers(root, changed).map((h) => h.name), ['a', 'b', 'b.otherHandler']);
  });

  it('names a scanned handler by one rule: its folder for a conventional entry point, else its file; the export when unusual', () => {
    assert.equal(scannedHandlerName(root, at('orders-api', 'index.mjs'), 'handler'), 'orders-api');
    assert.equal(scannedHandlerName(root, at('ts-handler', 'src', 'app.ts'), 'handler'), 'ts-handler', 'src/ is not a name');
    assert.equal(scannedHandlerName(root, at('jobs', 'cleanup.py'), 'lambda_handler'), 'cleanup');
    assert.equal(scannedHandlerName(root, at('jobs', 'cleanup.py'), 'nightly'), 'cleanup.nightly');
    assert.equal(scannedHandlerName(root, at('index.js'), 'handler'), 'index', 'at the root, the file');
    const [scanned] = mergeHandlers(root, entries({ 'svc/handler.py': 'def lambda_handler(event, context):\n    pass\n' }), { python: 'python3.11' });
    assert.deepEqual([scanned.name, scanned.runtime], ['svc', 'python3.11'], 'the runtime id the local interpreter runs it as');
  });

  it('names the candidate files of a declared function no entry covers (a CodeUri in an excluded folder)', () => {
    const list = entries({ 'serverless.yml': 'functions:\n  hello:\n    handler: dist/handler.hello\n' });
    assert.deepEqual(unresolvedCandidates(list)[0].slice(0, 2), [at('dist', 'handler.py'), at('dist', 'handler.js')]);
    const linked = [...list, { kind: 'source' as const, file: at('dist', 'handler.js'), definitions: [{ name: 'hello', line: 3 }], declaredOnly: true }];
    assert.deepEqual(unresolvedCandidates(linked), []);
    assert.deepEqual(mergeHandlers(root, linked).map((h) => [h.id, h.line]), [['serverless:serverless.yml:hello', 3]], 'a declared-only file adds no scanned handlers');
  });
});
