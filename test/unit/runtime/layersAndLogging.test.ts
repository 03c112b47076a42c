import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../../src/core/packageInfo';
import { resolveTarget } from '../../../src/core/project/functionTarget';
import { formatLogMessage } from '../../../src/core/logs/logFormat';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import type { FunctionConfig } from '../../../src/core/runtime/types';
import { fixtures, suiteLambda } from '../support/runtimeFixtures';

const layerA = join(fixtures, 'layers', 'layer-a');
const layerB = join(fixtures, 'layers', 'layer-b');
const layered = join(fixtures, 'layered');

describe('Layers and the JSON log format', function () {
  this.timeout(30_000);
  const lambda = suiteLambda();

  describe('layers, as Lambda mounts them under /opt', () => {
    const node = (layers: string[]): FunctionConfig => ({ name: `layered-${layers.length}`, runtime: 'nodejs22.x', handler: 'index.handler', codeDir: layered, layers });

    it('Node resolves packages from nodejs/node_modules and runs bin/ tools; nothing without the layer', async () => {
      const r = await lambda.invoke(node([layerA]), '{}');
      assert.deepEqual(JSON.parse(r.payload), { greeting: 'layer a', tool: 'tool from layer a' });
      const without = await lambda.invoke(node([]), '{}');
      assert.equal(without.error?.errorType, 'Error');
      assert.match(without.error?.errorMessage ?? '', /Cannot find module 'greeting'/);
    });

    it('a later layer is over an earlier one, and nodejs/node<major>/node_modules comes first', async () => {
      const r = await lambda.invoke(node([layerA, layerB]), '{}');
      assert.equal((JSON.parse(r.payload) as { greeting: string }).greeting, 'layer b (nodejs/node22)');
    });

    it('an ES module handler imports a layer\'s packages, CommonJS and ES-module-only, in layer order; nothing without it', async () => {
      const esm = (layers: string[]): FunctionConfig => ({ ...node(layers), name: `layered-esm-${layers.length}`, handler: 'esm.handler' });
      const r = await lambda.invoke(esm([layerA]), '{}');
      assert.deepEqual(JSON.parse(r.payload), { greeting: 'layer a', kind: 'esm-only from layer a', url: pathToFileURL(join(layered, 'esm.mjs')).href });
      const both = await lambda.invoke(esm([layerA, layerB]), '{}');
      assert.equal((JSON.parse(both.payload) as { greeting: string }).greeting, 'layer b (nodejs/node22)');
      const without = await lambda.invoke(esm([]), '{}');
      assert.equal(without.error?.errorType, 'Error');
      assert.match(without.error?.errorMessage ?? '', /Cannot find package 'greeting' imported from/);
    });

    it('a CommonJS handler\'s import() of a layer\'s package resolves on a Node with module.registerHooks (the test tools\' Node 24)', async function () {
      // The system Node may be 20 (no registerHooks: there the hook is only added for ES module handlers).
      const tools = process.env.LWB_TEST_TOOLS ?? join(packageRoot(), '.vscode-test', 'tools');
      const node24 = existsSync(tools) ? readdirSync(tools).filter((d) => /^node-24\./.test(d)).map((d) => join(tools, d, 'bin', 'node')).find((f) => existsSync(f)) : undefined;
      if (!node24) this.skip();
      const newer = new LocalLambda({ settings: { interpreters: { 'nodejs24.x': node24! } } });
      try {
        const config = (layers: string[]): FunctionConfig => ({ name: `dynamic-${layers.length}`, runtime: 'nodejs24.x', handler: 'dynamic.handler', codeDir: layered, layers });
        const r = await newer.invoke(config([layerA]), '{}');
        assert.deepEqual(JSON.parse(r.payload), { kind: 'esm-only from layer a' }, r.payload);
        const without = await newer.invoke(config([]), '{}');
        assert.match(without.error?.errorMessage ?? '', /Cannot find package 'esm-only'/);
      } finally {
        await newer.dispose();
      }
    });

    it('a TypeScript ES module handler imports a package hoisted above its folder (a workspace), as its CommonJS twin does', async () => {
      const root = mkdtempSync(join(tmpdir(), 'lwb-hoisted-'));
      try {
        mkdirSync(join(root, 'node_modules', 'hoisted'), { recursive: true });
        writeFileSync(join(root, 'node_modules', 'hoisted', 'package.json'), '{"name":"hoisted","main":"index.js"}');
        writeFileSync(join(root, 'node_modules', 'hoisted', 'index.js'), 'exports.where = "hoisted";\n');
        for (const [name, type] of [['esm', 'module'], ['cjs', 'commonjs']] as const) {
          const dir = join(root, 'packages', name);
          mkdirSync(dir, { recursive: true });
          writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, type }));
          writeFileSync(join(dir, 'handler.ts'), 'import { where } from "hoisted";\nexport const handler = async (): Promise<string> => where;\n');
        }
        for (const name of ['esm', 'cjs']) {
          const r = await lambda.invoke({ name: `hoisted-${name}`, runtime: 'nodejs22.x', handler: 'handler.handler', codeDir: join(root, 'packages', name) }, '{}');
          assert.equal(r.payload, '"hoisted"', `${name}: ${r.payload}`);
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    it('Python imports from python/ and python/lib/python3.x/site-packages', async () => {
      const r = await lambda.invoke({ name: 'layered-py', runtime: 'python3.11', handler: 'app.handler', codeDir: layered, layers: [layerA, layerB] }, '{}');
      assert.deepEqual(JSON.parse(r.payload), { python: 'layer a python/', site: 'layer b site-packages' });
    });

    it('a layer folder that does not exist is a setup error that names it', async () => {
      await assert.rejects(lambda.invoke(node([join(fixtures, 'layers', 'missing')]), '{}'), /Layer folder .*missing does not exist/);
    });

    it('a SAM template\'s LayerVersion (ContentUri) and LoggingConfig are read; a layer given by ARN is named as unavailable', async () => {
      const warnings: string[] = [];
      const config = await resolveTarget({ spec: join(layered, 'template.yaml'), cwd: layered, onWarning: (w) => warnings.push(w) });
      assert.deepEqual(config.layers, [layerA]);
      assert.deepEqual(config.logging, { format: 'JSON', applicationLogLevel: 'DEBUG', systemLogLevel: 'WARN' });
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3:7.*not available locally.*--layer <folder>/);
    });
  });

  describe('platform records with LogFormat JSON', () => {
    const fn = (logging: FunctionConfig['logging']): FunctionConfig => ({
      name: `json-${logging?.systemLogLevel ?? 'info'}`, runtime: 'nodejs22.x', handler: 'handlers.echo', codeDir: join(fixtures, 'node'), logging,
    });

    it('START and REPORT become platform.start and platform.report records, field by field; no END', async () => {
      const r = await lambda.invoke(fn({ format: 'JSON' }), '{}', { cold: true });
      const records = r.logs.filter((l) => l.startsWith('{"time"')).map((l) => JSON.parse(l) as { time: string; type: string; record: Record<string, unknown> });
      assert.deepEqual(records.map((x) => x.type), ['platform.start', 'platform.report']);
      assert.ok(!r.logs.some((l) => /^(START|END|REPORT) /.test(l)));
      const [start, report] = records;
      assert.deepEqual(Object.keys(start!), ['time', 'type', 'record']);
      assert.match(start!.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.deepEqual(start!.record, { requestId: r.requestId, version: '$LATEST' });
      assert.deepEqual(Object.keys(report!.record), ['requestId', 'metrics', 'status']);
      assert.equal(report!.record.status, 'success');
      const metrics = report!.record.metrics as Record<string, number>;
      assert.deepEqual(Object.keys(metrics), ['durationMs', 'billedDurationMs', 'memorySizeMB', 'maxMemoryUsedMB', 'initDurationMs']);
      assert.equal(metrics.billedDurationMs, r.billedDurationMs);
      assert.equal(metrics.memorySizeMB, 128);
      // Shown as the Logs view shows cloud records: the aligned REPORT line.
      assert.match(formatLogMessage(JSON.stringify(report)), /REPORT \S+ +Duration +[\d.]+ ms +Billed +\d+ ms +Memory +\d+\/128 +MB +Init/);
    });

    it('SystemLogLevel WARN drops them; the function sees AWS_LAMBDA_LOG_FORMAT and AWS_LAMBDA_LOG_LEVEL as Lambda sets them', async () => {
      const r = await lambda.invoke({ ...fn({ format: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'WARN' }), handler: 'handlers.env' }, '{}');
      assert.ok(!r.logs.some((l) => l.includes('"type":"platform.')));
      const env = JSON.parse(r.payload) as Record<string, string>;
      assert.equal(env.AWS_LAMBDA_LOG_FORMAT, 'JSON');
      assert.equal(env.AWS_LAMBDA_LOG_LEVEL, 'WARN');
      const text = await lambda.invoke({ ...fn(undefined), handler: 'handlers.env', name: 'text-env' }, '{}');
      const textEnv = JSON.parse(text.payload) as Record<string, string>;
      assert.equal(textEnv.AWS_LAMBDA_LOG_FORMAT, 'Text');
      assert.equal(textEnv.AWS_LAMBDA_LOG_LEVEL, null, 'levels exist only for JSON');
    });
  });

  it('the CLI takes --layer and --log-format/--log-level and shows JSON records as the Logs view does', () => {
    const cli = join(packageRoot(), 'dist', 'cli.js');
    const r = spawnSync(process.execPath, [cli, 'invoke', join(layered, 'index.handler'), '--runtime', 'nodejs22.x', '--layer', layerA, '--log-format', 'JSON', '--log-level', 'DEBUG'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { greeting: 'layer a', tool: 'tool from layer a' });
    assert.match(r.stderr, /^\S+ START \S+$/m);
    assert.match(r.stderr, /REPORT \S+ +Duration/);
    const bad = spawnSync(process.execPath, [cli, 'invoke', join(layered, 'index.handler'), '--log-format', 'Text', '--log-level', 'DEBUG'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /log levels apply to the JSON log format only/);
  });
});
