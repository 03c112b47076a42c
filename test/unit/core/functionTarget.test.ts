import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTarget, type TargetRequest } from '../../../src/core/project/functionTarget';

type FsSync = Record<string, (...args: unknown[]) => unknown>;

/** Runs `work` with every synchronous node:fs function counting the calls made for it, leaving out the module
 *  loader's own reads (a module `require`d lazily on the way). Returns where each call came from. */
async function syncFsCalls(work: () => Promise<unknown>): Promise<string[]> {
  const target = fs as unknown as FsSync;
  const names = Object.keys(target).filter((name) => name.endsWith('Sync') && typeof target[name] === 'function');
  const originals = new Map(names.map((name) => [name, target[name]]));
  const calls: string[] = [];
  for (const name of names) {
    const original = originals.get(name)!;
    target[name] = function (this: unknown, ...args: unknown[]) {
      const stack = new Error().stack ?? '';
      if (!/node:internal\/modules/.test(stack)) calls.push(`${name}(${String(args[0])})\n${stack.split('\n').slice(2, 5).join('\n')}`);
      return original.apply(this, args);
    };
  }
  try {
    await work();
  } finally {
    for (const [name, original] of originals) target[name] = original;
  }
  return calls;
}

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'lwb-target-'));
  mkdirSync(join(root, 'api', 'src'), { recursive: true });
  writeFileSync(join(root, 'api', 'src', 'app.js'), 'exports.handler = async () => 1;\n');
  writeFileSync(join(root, 'api', 'package.json'), '{}\n');
  writeFileSync(join(root, 'api', '.env'), 'FROM_DOTENV=1\n');
  writeFileSync(join(root, 'env.json'), '{"Api": {"FROM_JSON": "2"}}\n');
  writeFileSync(join(root, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: api, Handler: src/app.handler, Runtime: nodejs20.x, Environment: { Variables: { STAGE: !Ref Stage } } }
Parameters:
  Stage: { Type: String, Default: dev }
`);
  writeFileSync(join(root, 'samconfig.toml'), 'version = 0.1\n[default.local_invoke.parameters]\nparameter_overrides = "Stage=test"\n');
  mkdirSync(join(root, 'fn'));
  writeFileSync(join(root, 'fn', 'index.py'), 'def handler(event, context):\n    return 1\n');
  return root;
}

describe('Resolving what the user named into a function', function () {
  this.timeout(30_000);

  it('reads nothing synchronously: the editor resolves targets on the extension host thread', async () => {
    const root = project();
    try {
      const requests: TargetRequest[] = [
        { spec: '.', cwd: root, envFile: 'env.json' },
        { spec: 'template.yaml', cwd: root, resource: 'Api' },
        { spec: 'Api', cwd: root },
        { spec: 'api/src/app.handler', cwd: root },
        { spec: 'fn', cwd: root, runtime: 'python3.12' },
        { spec: 'fn/index.py', cwd: root, runtime: 'python3.12' },
      ];
      // Once to load lazily required modules, then counted.
      for (const req of requests) await resolveTarget(req);
      const configs: Awaited<ReturnType<typeof resolveTarget>>[] = [];
      const calls = await syncFsCalls(async () => {
        for (const req of requests) configs.push(await resolveTarget(req));
      });
      assert.deepEqual(calls, []);
      // And it still found what each request names.
      assert.deepEqual(configs[0].environment, { STAGE: 'test', FROM_DOTENV: '1', FROM_JSON: '2' });
      assert.deepEqual(configs.map((c) => c.handler), ['src/app.handler', 'src/app.handler', 'src/app.handler', 'src/app.handler', 'index.lambda_handler', 'index.lambda_handler']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reads a handler string each way Lambda does: nested exports, an extensionless file, a dotted Python module', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lwb-target-names-'));
    try {
      mkdirSync(join(root, 'pkg', 'sub'), { recursive: true });
      mkdirSync(join(root, 'api'));
      writeFileSync(join(root, 'pkg', 'sub', 'mod.py'), 'def handler(event, context):\n    return 1\n');
      writeFileSync(join(root, 'api', 'routes.js'), 'exports.users = { get: async () => 1 };\n');
      writeFileSync(join(root, 'plain'), 'exports.handler = async () => 1;\n');
      const resolved = async (spec: string): Promise<[string, string, string]> => {
        const c = await resolveTarget({ spec, cwd: root });
        return [c.handler, c.codeDir, c.runtime.replace(/[\d.]+x?$/, '')];
      };
      // Node: the module up to the first dot of the last segment, the rest a property path (UserFunction.js).
      assert.deepEqual(await resolved('api/routes.users.get'), ['routes.users.get', join(root, 'api'), 'nodejs']);
      // Node loads an extensionless file first.
      assert.deepEqual(await resolved('plain.handler'), ['plain.handler', root, 'nodejs']);
      // Python: the module up to the last dot, '/' read as '.' (bootstrap.py), from the working folder.
      assert.deepEqual(await resolved('pkg.sub.mod.handler'), ['pkg/sub/mod.handler', root, 'python']);
      assert.deepEqual(await resolved('pkg/sub.mod.handler'), ['pkg/sub/mod.handler', root, 'python']);
      await assert.rejects(resolveTarget({ spec: 'pkg.nothing.handler', cwd: root }), /No handler file for 'pkg\.nothing\.handler'/);
      // A runtime of the other language is said at once, not as Python's "No module named 'routes'" later.
      await assert.rejects(resolveTarget({ spec: 'api/routes.users.get', cwd: root, runtime: 'python3.12' }),
        /api\/routes\.js is a Node\.js file, and python3\.12 runs Python: leave --runtime out, or give a nodejs<version>\.x one\./);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reads a function of a serverless.yml as the framework deploys it, by file and resource or by name alone', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lwb-target-sls-'));
    try {
      mkdirSync(join(root, 'src'));
      writeFileSync(join(root, 'src', 'handler.js'), 'exports.hello = async () => 1;\nexports.other = async () => 2;\n');
      writeFileSync(join(root, 'package.json'), '{}\n');
      writeFileSync(join(root, 'serverless.yml'), `service: orders
provider: { name: aws, runtime: nodejs22.x, region: eu-west-1, memorySize: 512, environment: { TABLE: "\${self:service}-\${sls:stage}" } }
functions:
  hello: { handler: src/handler.hello, timeout: 9 }
  other: { handler: src/handler.other }
`);
      const byFile = await resolveTarget({ spec: 'serverless.yml', resource: 'hello', cwd: root });
      assert.deepEqual(
        [byFile.name, byFile.handler, byFile.codeDir, byFile.runtime, byFile.region, byFile.memorySize, byFile.timeout, byFile.environment?.TABLE],
        ['orders-dev-hello', 'src/handler.hello', root, 'nodejs22.x', 'eu-west-1', 512, 9, 'orders-dev']);
      assert.equal((await resolveTarget({ spec: 'other', cwd: root })).name, 'orders-dev-other', 'a function of the folder\'s serverless.yml by its name');
      await assert.rejects(resolveTarget({ spec: 'serverless.yml', cwd: root }), /declares 2 functions; name one: hello, other/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names a function of a nested stack as Stack/Function, and says where the functions are when one is asked for at the top', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lwb-target-nested-'));
    try {
      mkdirSync(join(root, 'nested', 'inner'), { recursive: true });
      writeFileSync(join(root, 'nested', 'inner', 'app.js'), 'exports.handler = async () => 1;\n');
      writeFileSync(join(root, 'nested', 'template.yaml'), 'Resources:\n  Inner:\n    Type: AWS::Serverless::Function\n    Properties: { CodeUri: inner, Handler: app.handler, Runtime: nodejs22.x }\n');
      writeFileSync(join(root, 'app.js'), 'exports.handler = async () => 1;\n');
      writeFileSync(join(root, 'template.yaml'), `Resources:
  Top:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: ., Handler: app.handler, Runtime: nodejs22.x }
  Nested:
    Type: AWS::Serverless::Application
    Properties: { Location: nested/template.yaml }
  Remote:
    Type: AWS::CloudFormation::Stack
    Properties: { TemplateURL: https://example.com/t.yaml }
`);
      const inner = await resolveTarget({ spec: 'Nested/Inner', cwd: root });
      assert.deepEqual([inner.name, inner.codeDir], ['Inner', join(root, 'nested', 'inner')]);
      await assert.rejects(resolveTarget({ spec: 'Inner', cwd: root }), /has no function 'Inner'\. Functions: Top\. Nested stacks \(Nested, Remote\) hold their own: name one as <Stack>\/<Function>\./);
      await assert.rejects(resolveTarget({ spec: 'Remote/Fn', cwd: root }), /Remote's template is not a local file/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
