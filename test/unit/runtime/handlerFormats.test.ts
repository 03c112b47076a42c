import * as assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import { cacheDir } from '../../../src/core/runtime/typescriptBuild';
import { resolvePython, runtimeIdFor, RuntimeSetupError } from '../../../src/core/runtime/interpreters';
import type { FunctionConfig, InvokeResult } from '../../../src/core/runtime/types';
import { fixtures, suiteLambda } from '../support/runtimeFixtures';

const node = (dir: string, handler: string, extra: Partial<FunctionConfig> = {}): FunctionConfig =>
  ({ name: `${dir}-${handler}`.replace(/[^\w-]/g, '-'), runtime: 'nodejs20.x', handler, codeDir: join(fixtures, dir), ...extra });

describe('Handler formats and init errors', function () {
  this.timeout(30_000);
  const lambda = suiteLambda();

  describe('Node.js', () => {
    it('loads an ESM .mjs handler', async () => {
      const r = await lambda.invoke(node('node', 'esm.handler'), '{"a":1}');
      assert.deepEqual(JSON.parse(r.payload), { format: 'esm', requestId: r.requestId, got: { a: 1 } });
    });

    it('loads a .js handler as ESM in a "type": "module" package', async () => {
      const r = await lambda.invoke(node('node-esm-pkg', 'index.handler'), '{}');
      assert.deepEqual(JSON.parse(r.payload), { format: 'module-package', file: 'index.js' });
    });

    it('reads handler strings as AWS\'s client does: nested export paths, extensionless files first, then .js, .mjs, .cjs', async () => {
      const payload = async (handler: string) => JSON.parse((await lambda.invoke(node('node-names', handler), '{}')).payload) as unknown;
      assert.equal(await payload('nestedHandler.nested.somethingComplex.handler'), 'nested export path');
      assert.equal(await payload('index.handler'), 'extensionless file');
      assert.equal(await payload('both.handler'), 'extensionless first');
      assert.equal(await payload('only.handler'), 'cjs');
    });

    it('a runtime inferred from the local interpreter is always one Lambda has', () => {
      const id = (family: 'nodejs' | 'python', version: string) => runtimeIdFor(family, { path: 'x', version });
      assert.deepEqual([id('nodejs', '20.19'), id('nodejs', '23.1'), id('nodejs', '26.0'), id('python', '3.11'), id('python', '3.15')],
        ['nodejs20.x', 'nodejs22.x', 'nodejs24.x', 'python3.11', 'python3.14']);
    });

    it('a runtime declared at another version than the local interpreter says so once per run; a mapping picks the interpreter', async () => {
      const local = new LocalLambda({ settings: { interpreters: { 'nodejs24.x': process.execPath } } });
      try {
        const notices = (r: InvokeResult): string[] => r.logs.filter((l) => l.startsWith('NOTICE '));
        const first = await local.invoke(node('node-fidelity', 'handlers.contextShape', { runtime: 'nodejs24.x' }), '{}');
        const major = process.versions.node.split('.')[0];
        assert.deepEqual(notices(first), major === '24' ? [] : [
          `NOTICE nodejs24.x declared; running local Node.js ${process.versions.node} (${process.execPath}). To run another, map the runtime to an interpreter: the lambdaWorkbench.interpreters setting, or --interpreter nodejs24.x=<path>.`,
        ]);
        const again = await local.invoke(node('node-fidelity', 'handlers.contextShape', { runtime: 'nodejs24.x' }), '{}', { cold: true });
        assert.deepEqual(notices(again), [], 'once per run');
      } finally {
        await local.dispose();
      }
      // The mapping is used: a path that is not an interpreter fails naming it.
      const broken = new LocalLambda({ settings: { interpreters: { 'python3.12': '/nonexistent/python3.12' } } });
      try {
        await assert.rejects(broken.invoke({ name: 'mapped-py', runtime: 'python3.12', handler: 'handlers.echo', codeDir: join(fixtures, 'python') }, '{}'),
          /Python interpreter '\/nonexistent\/python3\.12' was not found/);
      } finally {
        await broken.dispose();
      }
    });

    it('an unknown runtime is refused with the list of runtimes, before anything runs', async () => {
      await assert.rejects(lambda.invoke(node('node-names', 'index.handler', { runtime: 'nodejs99.x' }), '{}'),
        (e: Error) => e.name === 'InvalidRequestContentException' && /Runtime 'nodejs99\.x' is not a Lambda runtime\. Runtimes: .*nodejs24\.x, .*python3\.14/.test(e.message));
    });

    it('a malformed handler string is Runtime.MalformedHandlerName', async () => {
      for (const handler of ['malformed..handler', 'nodot', '../up.handler']) {
        const r = await lambda.invoke(node('node-names', handler), '{}');
        assert.equal(r.error?.errorType, 'Runtime.MalformedHandlerName', `${handler}: ${r.payload}`);
      }
    });

    it('supports callback-style handlers, for results and errors', async () => {
      const ok = await lambda.invoke(node('node', 'handlers.callback'), '{"x":2}');
      assert.deepEqual(JSON.parse(ok.payload), { via: 'callback', got: { x: 2 } });
      const failed = await lambda.invoke(node('node', 'handlers.callbackError'), '{}');
      assert.equal(failed.error?.errorType, 'Error');
      assert.equal(failed.error?.errorMessage, 'callback failure');
    });

    it('resolves nested handler paths like src/api/users.handler', async () => {
      const r = await lambda.invoke(node('node-nested', 'src/api/users.handler'), '{"id":"u1"}');
      assert.deepEqual(JSON.parse(r.payload), { route: 'users', id: 'u1' });
    });

    it('reports a syntax error as Runtime.UserCodeSyntaxError during init', async () => {
      const r = await lambda.invoke(node('node-syntax', 'bad.handler'), '{}');
      assert.equal(r.error?.errorType, 'Runtime.UserCodeSyntaxError');
      assert.match(r.error?.errorMessage ?? '', /SyntaxError/);
      assert.ok(r.logs.some((l) => l.includes('\tERROR\tUncaught Exception \t') && l.includes('Runtime.UserCodeSyntaxError')), 'logged like Lambda');
      assert.ok(r.initDurationMs !== undefined);
      assert.ok(r.maxMemoryUsedMb > 0, 'the REPORT shows what init used (the runtime reports its peak with the init error)');
    });

    it('reports a missing dependency as Runtime.ImportModuleError naming it', async () => {
      const r = await lambda.invoke(node('node-import', 'missing.handler'), '{}');
      assert.equal(r.error?.errorType, 'Runtime.ImportModuleError');
      assert.match(r.error?.errorMessage ?? '', /a-package-that-is-not-installed/);
    });

    it('reports a non-function export as Runtime.HandlerNotFound', async () => {
      const r = await lambda.invoke(node('node', 'handlers.notAFunction'), '{}');
      assert.equal(r.error?.errorType, 'Runtime.HandlerNotFound');
      assert.equal(r.error?.errorMessage, 'handlers.notAFunction is not a function');
      // An empty property path names nothing: AWS's client reads 'index.' as module 'index', export ''.
      const empty = await lambda.invoke(node('node-names', 'index.'), '{}');
      assert.equal(empty.error?.errorType, 'Runtime.HandlerNotFound');
      assert.equal(empty.error?.errorMessage, 'index. is undefined or not exported');
    });

    it('fails the invocation on an uncaught exception and exits the environment', async () => {
      const config = node('node', 'handlers.uncaught');
      const r = await lambda.invoke(config, '{}');
      assert.equal(r.error?.errorType, 'Error');
      assert.equal(r.error?.errorMessage, 'thrown later');
      assert.ok(r.logs.some((l) => l.includes('Uncaught Exception')));
      const next = await lambda.invoke(node('node', 'handlers.uncaught', { name: config.name, handler: 'handlers.echo' }), '{}');
      assert.equal(next.coldStart, true);
    });

    it('reports a rejection with a non-Error value', async () => {
      const r = await lambda.invoke(node('node', 'handlers.rejectString'), '{}');
      assert.equal(r.functionError, 'Unhandled');
      assert.match(r.error?.errorMessage ?? '', /plain string rejection/);
    });
  });

  describe('TypeScript', () => {
    it('transpiles with esbuild and returns the result', async () => {
      const r = await lambda.invoke(node('typescript', 'src/app.handler'), '{"orderId":"o-1"}');
      assert.deepEqual(JSON.parse(r.payload), { orderId: 'o-1', language: 'typescript' });
    });

    it('points stack traces at .ts lines through source maps', async () => {
      const r = await lambda.invoke(node('typescript', 'src/app.handler', { name: 'ts-fail' }), '{"orderId":"o-2","fail":true}');
      assert.equal(r.error?.errorMessage, 'order o-2 failed');
      const frames = (r.error?.trace ?? []).join('\n');
      assert.match(frames, /src[/\\]app\.ts:5:\d+/, `a frame at app.ts line 5:\n${frames}`);
      const source = readFileSync(join(fixtures, 'typescript', 'src', 'app.ts'), 'utf8').split('\n')[4];
      assert.match(source, /throw new Error/, 'line 5 of the fixture is the throw');
    });

    it('compiles outside node_modules into a cache folder private to the user, and never for a handler with ..', async () => {
      await lambda.invoke(node('typescript-esm', 'src/app.handler', { name: 'ts-private-cache' }), '{}'); // compiles into it
      const dir = cacheDir(join(fixtures, 'typescript-esm'));
      assert.ok(!dir.startsWith(tmpdir()), `not the shared temp folder: ${dir}`);
      assert.equal(statSync(join(dir, '..')).mode & 0o777, 0o700);
      const r = await lambda.invoke(node('node-names', '../typescript/src/app.handler', { name: 'ts-escape' }), '{}');
      assert.equal(r.error?.errorType, 'Runtime.MalformedHandlerName');
      assert.equal(r.logs.some((l) => l.includes('TypeScriptBuildError')), false);
    });

    it('emits an ES module when the package is ESM: top-level await and import.meta work, stacks still map to .ts', async () => {
      const r = await lambda.invoke(node('typescript-esm', 'src/app.handler'), '{}');
      assert.deepEqual(JSON.parse(r.payload), { table: 'orders', module: 'app.mjs' });
      const failed = await lambda.invoke(node('typescript-esm', 'src/app.handler', { name: 'ts-esm-fail' }), '{"fail":true}');
      assert.equal(failed.error?.errorMessage, 'esm failure');
      assert.match((failed.error?.trace ?? []).join('\n'), /src[/\\]app\.ts:10:\d+/);
    });
  });

  describe('Python', () => {
    const py = (dir: string, handler: string): FunctionConfig => ({ name: `py-${dir}`, runtime: 'python3.11', handler, codeDir: join(fixtures, dir) });

    it('reports a syntax error as Runtime.UserCodeSyntaxError with the line', async () => {
      const r = await lambda.invoke(py('python-syntax', 'bad.lambda_handler'), '{}');
      assert.equal(r.error?.errorType, 'Runtime.UserCodeSyntaxError');
      assert.match(r.error?.errorMessage ?? '', /Syntax error in module 'bad'.*line 1/);
    });

    it("reports a missing import as Runtime.ImportModuleError: Unable to import module", async () => {
      const r = await lambda.invoke(py('python-import', 'missing.lambda_handler'), '{}');
      assert.equal(r.error?.errorType, 'Runtime.ImportModuleError');
      assert.match(r.error?.errorMessage ?? '', /Unable to import module 'missing': No module named 'a_module_that_is_not_installed'/);
    });

    it('names the interpreter to install when it is missing, and keeps working after', async () => {
      const broken = new LocalLambda({ settings: { pythonPath: '/nonexistent/python3.99' } });
      try {
        await assert.rejects(broken.invoke(py('python', 'handlers.echo'), '{}'), (e: Error) =>
          e instanceof RuntimeSetupError && /Python interpreter '\/nonexistent\/python3\.99' was not found\. Install Python 3/.test(e.message));
      } finally {
        await broken.dispose();
      }
      const ok = await lambda.invoke(py('python', 'handlers.echo'), '{"still":"works"}');
      assert.deepEqual(JSON.parse(ok.payload), { still: 'works' });
    });
  });

  describe('custom runtime', () => {
    const custom: FunctionConfig = { name: 'custom', runtime: 'provided.al2023', handler: 'function.handler', codeDir: join(fixtures, 'custom') };

    it("runs the user's own bootstrap against the Runtime API", async () => {
      const r = await lambda.invoke(custom, '{"q":1}');
      const body = JSON.parse(r.payload) as Record<string, unknown>;
      assert.equal(body.custom, true);
      assert.equal(body.handler, 'function.handler');
      assert.equal(body.arn, 'arn:aws:lambda:us-east-1:123456789012:function:custom');
      assert.match(String(body.trace), /^Root=1-/);
      assert.ok(Number(body.deadline) > Date.now());
      assert.equal(body.execEnv, null, 'custom runtimes have no AWS_EXECUTION_ENV');
      assert.deepEqual(body.got, { q: 1 });
      assert.ok(r.logs.some((l) => l === `custom runtime handling ${r.requestId}`));
      assert.match(r.logs.find((l) => l.startsWith('REPORT')) ?? '', /Init Duration/);
    });

    it('passes a posted error through as the function error', async () => {
      const r = await lambda.invoke(custom, '{"fail":true}');
      assert.equal(r.coldStart, false, 'the bootstrap stays warm');
      assert.deepEqual(r.error, { errorType: 'CustomError', errorMessage: 'asked to fail' });
    });

    it('says what is missing when there is no bootstrap', async () => {
      await assert.rejects(lambda.invoke({ ...custom, name: 'no-bootstrap', codeDir: join(fixtures, 'node') }, '{}'),
        /Couldn't find valid bootstrap\(s\).*needs an executable named 'bootstrap'/);
    });
  });
});

describe('Interpreter resolution', () => {
  it('resolves python3 once to the real executable (shims such as pyenv are skipped on later spawns)', async () => {
    const first = await resolvePython();
    const again = await resolvePython();
    assert.equal(again, first, 'cached: one probe per process');
    assert.doesNotMatch(first.path, /shims/);
    assert.match(first.version, /^3\.\d+$/);
  });
});
