import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../../src/core/packageInfo';
import { cli } from '../support/cliHarness';
import { fixtures, noneLeft, processesWith, waitForNoChildren } from '../support/runtimeFixtures';

const root = packageRoot();
const examples = join(root, 'examples');

describe('CLI: invoke', function () {
  this.timeout(30_000);
  after(async () => assert.deepEqual(await waitForNoChildren(), []));

  it('runs the README example: logs on stderr, the result on stdout, exit 0', async () => {
    const r = await cli(['invoke', 'examples/hello-node/app.handler', '--event', 'examples/hello-node/events/greeting.json'], { cwd: root });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/m);
    assert.match(r.err, /\tINFO\tHello, Lambda Workbench! \(invocation 1 of this environment\)$/m);
    assert.match(r.err, /^END RequestId: /m);
    assert.match(r.err, /^REPORT RequestId: .*\tInit Duration: /m);
    assert.match(r.err, /^ESTIMATE RequestId: /m);
    const body = JSON.parse(r.out) as { statusCode: number; body: string };
    assert.equal(body.statusCode, 200);
    assert.equal(JSON.parse(body.body).message, 'Hello, Lambda Workbench!');
  });

  it('runs a function of a SAM template by logical id, with Globals and !Ref / !Sub resolved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-cli-'));
    const event = join(dir, 'e.json');
    writeFileSync(event, '{}');
    const r = await cli(['invoke', join(examples, 'template.yaml'), 'HelloNode', '--event', event, '--json'], { cwd: root });
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as { memorySizeMb: number; logs: string[] };
    assert.equal(out.memorySizeMb, 256, 'MemorySize from Globals');
    const r2 = await cli(['invoke', join(fixtures, '..', '..', 'fixtures', 'runtime', 'node', 'handlers.env'), '--json'], { cwd: root });
    assert.equal(r2.code, 0, r2.err);
  });

  it("a bare function name is a function of the working folder's template, as sam local invoke takes it", async () => {
    const r = await cli(['invoke', 'HelloNode', '--json'], { cwd: examples });
    assert.equal(r.code, 0, r.err);
    assert.equal((JSON.parse(r.out) as { memorySizeMb: number }).memorySizeMb, 256, 'the template\'s Globals');
    const missing = await cli(['invoke', 'HelloGo'], { cwd: examples });
    assert.equal(missing.code, 2);
    assert.match(missing.err, /template\.yaml has no function 'HelloGo'\. Functions: HelloNode, HelloPython/);
  });

  it("a SAM esbuild function runs the TypeScript entry point its Handler names once built (src/handlers/foo.ts is foo)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-cli-esbuild-'));
    mkdirSync(join(dir, 'fn', 'src', 'handlers'), { recursive: true });
    mkdirSync(join(dir, 'fn', 'src', 'jobs'), { recursive: true });
    writeFileSync(join(dir, 'fn', 'src', 'handlers', 'foo.ts'), "export const handler = async (): Promise<string> => 'foo';\n");
    writeFileSync(join(dir, 'fn', 'src', 'jobs', 'bar.ts'), "export const handler = async (): Promise<string> => 'bar';\n");
    const fn = (id: string, handler: string, entries: string[]) => `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties: { CodeUri: fn/, Handler: ${handler}, Runtime: nodejs20.x }\n` +
      `    Metadata: { BuildMethod: esbuild, BuildProperties: { EntryPoints: [${entries.join(', ')}] } }\n`;
    writeFileSync(join(dir, 'template.yaml'), `Resources:\n${fn('Foo', 'foo.handler', ['src/handlers/foo.ts'])}${fn('Bar', 'jobs/bar.handler', ['src/handlers/foo.ts', 'src/jobs/bar.ts'])}`);
    for (const [id, expected] of [['Foo', 'foo'], ['Bar', 'bar']]) {
      const r = await cli(['invoke', id], { cwd: dir });
      assert.equal(r.code, 0, r.err);
      assert.equal(JSON.parse(r.out), expected);
    }
  });

  it("a template's parameters: samconfig.toml's parameter_overrides, --parameter-overrides over them", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-cli-params-'));
    writeFileSync(join(dir, 'app.js'), 'exports.handler = async () => ({ stage: process.env.STAGE, table: process.env.TABLE });\n');
    writeFileSync(join(dir, 'template.yaml'), 'Parameters:\n  Stage: { Type: String }\n  Table: { Type: String, Default: t-default }\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n' +
      '    Properties: { CodeUri: ., Handler: app.handler, Runtime: nodejs20.x, Environment: { Variables: { STAGE: !Ref Stage, TABLE: !Ref Table } } }\n');
    writeFileSync(join(dir, 'samconfig.toml'), '[default.local_invoke.parameters]\nparameter_overrides = "Stage=dev"\n');
    const config = await cli(['invoke', 'Fn'], { cwd: dir });
    assert.equal(config.code, 0, config.err);
    assert.deepEqual(JSON.parse(config.out), { stage: 'dev', table: 't-default' });
    const given = await cli(['invoke', 'Fn', '--parameter-overrides', 'Stage=prod Table="t prod"'], { cwd: dir });
    assert.deepEqual(JSON.parse(given.out), { stage: 'prod', table: 't prod' });
    const bad = await cli(['invoke', 'Fn', '--parameter-overrides', 'Stage'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--parameter-overrides: 'Stage' is no parameter override/);
  });

  it("a JSON line with a level and no message (the S3 lab's error line) is printed, not a crash of the CLI", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-cli-jsonline-'));
    writeFileSync(join(dir, 'app.py'), 'import json\n\ndef lambda_handler(event, context):\n    print(json.dumps({"level": "error", "error": {"type": "NoCredentialsError"}}))\n    return {"statusCode": 500}\n');
    const r = await cli(['invoke', 'app.py'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^ERROR {3}\{"error":\{"type":"NoCredentialsError"\}\}$/m);
    assert.deepEqual(JSON.parse(r.out), { statusCode: 500 });
  });

  it("a function's folder (as `new` makes one) runs its one entry file; two entry files are named back", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-cli-folder-'));
    mkdirSync(join(dir, 'orders'));
    writeFileSync(join(dir, 'orders', 'lambda_function.py'), 'def lambda_handler(event, context):\n    return "from the folder"\n');
    const r = await cli(['invoke', 'orders'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out), 'from the folder');
    writeFileSync(join(dir, 'orders', 'index.mjs'), 'export const handler = async () => 1;\n');
    const two = await cli(['invoke', 'orders'], { cwd: dir });
    assert.equal(two.code, 2);
    assert.match(two.err, /orders is a folder without a template\.yaml or a bootstrap and with 2 entry files\. Name a handler instead, e\.g\. 'orders\/index\.mjs' or 'orders\/lambda_function\.py'\./);
  });

  it('a Python handler inside a package (an __init__.py beside it) runs as pkg.module, so its relative imports work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-cli-package-'));
    mkdirSync(join(dir, 'orders'));
    writeFileSync(join(dir, 'orders', '__init__.py'), '');
    writeFileSync(join(dir, 'orders', 'prices.py'), 'TAX = 0.2\n');
    writeFileSync(join(dir, 'orders', 'app.py'), 'from .prices import TAX\n\ndef handler(event, context):\n    return {"tax": TAX, "module": __name__}\n');
    const r = await cli(['invoke', 'orders/app.handler'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), { tax: 0.2, module: 'orders.app' });
    // A plain folder (no __init__.py) stays the task root: the handler is the top-level module `app`.
    writeFileSync(join(dir, 'plain.py'), 'def handler(event, context):\n    return __name__\n');
    const plain = await cli(['invoke', 'plain.handler'], { cwd: dir });
    assert.equal(JSON.parse(plain.out), 'plain');
  });

  it('an event file saved with a byte-order mark (Notepad) or as UTF-16 (Windows PowerShell) reaches the function as its JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-cli-bom-'));
    writeFileSync(join(dir, 'app.js'), 'exports.handler = async (event) => event;\n');
    writeFileSync(join(dir, 'notepad.json'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"from": "notepad"}')]));
    writeFileSync(join(dir, 'powershell.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"from": "powershell"}\r\n', 'utf16le')]));
    for (const from of ['notepad', 'powershell']) {
      const r = await cli(['invoke', 'app.handler', '--event', `${from}.json`], { cwd: dir });
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(JSON.parse(r.out), { from });
    }
  });

  it("sam's options: -t template.yaml MyFunction and --env-vars env.json", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-cli-sam-opts-'));
    mkdirSync(join(dir, 'infra'));
    writeFileSync(join(dir, 'app.js'), 'exports.handler = async () => process.env.COLOR;\n');
    writeFileSync(join(dir, 'infra', 'stack.yaml'), 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: { CodeUri: .., Handler: app.handler, Runtime: nodejs20.x, Environment: { Variables: { COLOR: red } } }\n');
    writeFileSync(join(dir, 'env.json'), JSON.stringify({ Fn: { COLOR: 'blue' } }));
    const r = await cli(['invoke', '-t', 'infra/stack.yaml', 'Fn', '--env-vars', 'env.json'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out), 'blue');
  });

  it('a template with several functions and no resource named is a usage error listing them', async () => {
    const r = await cli(['invoke', 'examples/template.yaml'], { cwd: root });
    assert.equal(r.code, 2);
    assert.match(r.err, /declares 2 functions; name one: HelloNode, HelloPython/);
  });

  it('exits 1 on a function error and says which', async () => {
    const r = await cli(['invoke', 'test/fixtures/runtime/node/handlers.boom'], { cwd: root });
    assert.equal(r.code, 1);
    assert.match(r.err, /The function failed: ValidationError: order id is missing/);
    assert.equal(JSON.parse(r.out).errorType, 'ValidationError');
  });

  it('reports malformed event JSON with line and column before anything runs (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "name": "x",\n  "age": ,\n}\n');
    const r = await cli(['invoke', 'examples/hello-node/app.handler', '--event', bad], { cwd: root });
    assert.equal(r.code, 2);
    assert.match(r.err, /bad\.json:3:10: malformed JSON/);
    assert.doesNotMatch(r.err, /START RequestId/);
  });

  it('reads the event from standard input with -', async () => {
    const r = await cli(['invoke', 'test/fixtures/runtime/python/handlers.echo', '--event', '-'], { cwd: root, stdin: '{"from":"stdin"}' });
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), { from: 'stdin' });
  });

  it('takes a bare JSON value as an inline event, and prints the result with its numbers exactly as returned', async () => {
    for (const [event, expected] of [['42', '42'], ['null', 'null'], ['true', 'true'], ['3.25', '3.25'], ['"text"', '"text"']]) {
      const r = await cli(['invoke', 'test/fixtures/runtime/python/handlers.echo', '--event', event], { cwd: root });
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out.trim(), expected, event);
    }
    // Python's json writes 2**64 + 1 and 1.10 as they are; JavaScript's numbers would print 18446744073709552000 and 1.1.
    const text = await cli(['invoke', 'test/fixtures/runtime/python/handlers.exact_numbers'], { cwd: root });
    assert.equal(text.out, '{\n  "big": 18446744073709551617,\n  "decimal": 1.10\n}\n');
    const json = await cli(['invoke', 'test/fixtures/runtime/python/handlers.exact_numbers', '--json'], { cwd: root });
    assert.match(json.out, /\n {2}"payload": \{\n {4}"big": 18446744073709551617,\n {4}"decimal": 1\.10\n {2}\},\n/);
    assert.equal(JSON.parse(json.out).requestId.length, 36, 'the whole output is still one JSON document');
  });

  it('takes a catalog sample as the event, and names the choices for an unknown one', async () => {
    const r = await cli(['invoke', 'test/fixtures/runtime/node/handlers.echo', '--event', 's3/put'], { cwd: root });
    assert.equal(r.code, 0, r.err);
    assert.equal((JSON.parse(r.out) as { Records: { eventSource: string }[] }).Records[0].eventSource, 'aws:s3');
    const bad = await cli(['invoke', 'test/fixtures/runtime/node/handlers.echo', '--event', 'nothing/here'], { cwd: root });
    assert.equal(bad.code, 2);
    assert.match(bad.err, /no such file or catalog event/);
  });

  it('names what it looked for when the handler file is missing (exit 2)', async () => {
    const r = await cli(['invoke', 'src/nothing.handler'], { cwd: root });
    assert.equal(r.code, 2);
    assert.match(r.err, /No handler file for 'src\/nothing\.handler': looked for src\/nothing\.js, src\/nothing\.mjs/);
  });

  it('refuses a function name Lambda would refuse (--name, or a template\'s FunctionName) and a Region that is none, before anything runs (exit 2)', async () => {
    for (const name of ['x€', 'my function', 'a'.repeat(65)]) {
      const r = await cli(['invoke', 'examples/hello-node/app.handler', '--name', name], { cwd: root });
      assert.equal(r.code, 2, `${name}: ${r.err}`);
      assert.match(r.err, /is not a function name Lambda accepts: use 1 to 64 letters/, name);
      assert.doesNotMatch(r.err, /START RequestId/, 'nothing ran');
    }
    assert.equal((await cli(['invoke', 'examples/hello-node/app.handler', '--name', 'orders_v2-API'], { cwd: root })).code, 0);
    const dir = mkdtempSync(join(tmpdir(), 'lwb-cli-'));
    writeFileSync(join(dir, 'app.js'), 'exports.handler = async () => 1;');
    writeFileSync(join(dir, 'template.yaml'), 'Resources:\n  Orders:\n    Type: AWS::Serverless::Function\n    Properties: { FunctionName: "Zürich orders", Runtime: nodejs20.x, Handler: app.handler, CodeUri: . }\n');
    const t = await cli(['invoke', 'template.yaml', 'Orders'], { cwd: dir });
    assert.equal(t.code, 2, t.err);
    assert.match(t.err, /'Zürich orders' \(the FunctionName of Orders in template\.yaml\) is not a function name Lambda accepts/);
    const region = await cli(['invoke', 'examples/hello-node/app.handler', '--region', 'eu-€'], { cwd: root });
    assert.equal(region.code, 2, region.err);
    assert.match(region.err, /'eu-€' is not an AWS Region name \(such as us-east-1\)/);
  });

  it('rejects out-of-range memory and timeout and unknown options (exit 2)', async () => {
    // Lambda's Timeout is whole seconds: 1.5 is refused as --memory 128.5 is.
    for (const args of [['--memory', '64'], ['--memory', '20000'], ['--timeout', '901'], ['--timeout', 'soon'], ['--timeout', '1.5'], ['--frobnicate']]) {
      const r = await cli(['invoke', 'examples/hello-node/app.handler', ...args], { cwd: root });
      assert.equal(r.code, 2, `${args.join(' ')} → ${r.err}`);
    }
  });

  it('applies --env-file over .env and the template, without printing values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-env-'));
    writeFileSync(join(dir, 'h.js'), "exports.handler = async () => ({ a: process.env.FROM_DOTENV, b: process.env.FROM_ENV_FILE, c: process.env.SHARED });");
    writeFileSync(join(dir, '.env'), 'FROM_DOTENV=dot\nSHARED=from-dotenv\n');
    writeFileSync(join(dir, 'extra.env'), 'FROM_ENV_FILE="file value"\nSHARED=from-env-file\n');
    const r = await cli(['invoke', 'h.handler', '--env-file', 'extra.env'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), { a: 'dot', b: 'file value', c: 'from-env-file' });
    assert.doesNotMatch(r.err, /file value/);
    // A reserved name in .env is not set, and says so (Lambda would refuse the function).
    writeFileSync(join(dir, '.env'), 'FROM_DOTENV=dot\nAWS_REGION=mars-1\n_HANDLER=x.y\n');
    const reserved = await cli(['invoke', 'h.handler'], { cwd: dir });
    assert.equal(reserved.code, 0, reserved.err);
    assert.match(reserved.err, /^warning: AWS_REGION, _HANDLER are reserved by Lambda and not set for /m);
    assert.doesNotMatch(reserved.err, /mars-1/);
  });

  it('says what failed without an empty message after the error type', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-empty-message-'));
    writeFileSync(join(dir, 'h.js'), 'class Quiet extends Error { constructor() { super(); this.name = "Quiet"; } }\nexports.handler = async () => { throw new Quiet(); };\n');
    const r = await cli(['invoke', 'h.handler'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.err, /\nThe function failed: Quiet\n/);
  });

  it('hands the profile credentials to the function and never prints them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-creds-'));
    writeFileSync(join(dir, 'credentials'), '[lab]\naws_access_key_id = AKIAEXAMPLELAB\naws_secret_access_key = s3cr3t-Value-Never-Printed\n');
    writeFileSync(join(dir, 'config'), '[profile lab]\nregion = eu-central-1\n');
    const env = { ...process.env, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config'), AWS_PROFILE: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };
    const r = await cli(['invoke', 'test/fixtures/runtime/node/handlers.env', '--profile', 'lab', '--json'], { cwd: root, env });
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as { payload: Record<string, string | null>; logs: string[] };
    assert.equal(out.payload.AWS_ACCESS_KEY_ID, 'AKIAEXAMPLELAB');
    assert.equal(out.payload.AWS_SECRET_ACCESS_KEY, 's3cr3t-Value-Never-Printed');
    assert.doesNotMatch(r.err + out.logs.join('\n'), /s3cr3t/, 'the secret appears in no log');
    const missing = await cli(['invoke', 'test/fixtures/runtime/node/handlers.env', '--profile', 'nope', '--json'], { cwd: root, env });
    assert.equal(missing.code, 0, 'the function still runs without credentials');
    assert.match(missing.err, /warning: no credentials from profile 'nope'/);
    assert.equal((JSON.parse(missing.out) as { payload: Record<string, unknown> }).payload.AWS_ACCESS_KEY_ID, null);
  });

  it('--repeat with --concurrency prints cold starts, environments and percentiles', async () => {
    const r = await cli(['invoke', 'test/fixtures/runtime/node/handlers.sleep', '--event', '{"ms": 20}', '--repeat', '24', '--concurrency', '6'], { cwd: root });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^24 invocations \(6 at a time\)/);
    assert.match(r.out, /cold starts: +6$/m);
    assert.match(r.out, /environments: +6$/m);
    assert.match(r.out, /latency: +p50 [\d.]+ ms +p99 [\d.]+ ms/);
  });

  it('--repeat beyond --max-concurrency counts throttles and exits 1', async () => {
    const r = await cli(['invoke', 'test/fixtures/runtime/node/handlers.sleep', '--event', '{"ms": 100}', '--repeat', '4', '--concurrency', '4', '--max-concurrency', '2', '--json'], { cwd: root });
    assert.equal(r.code, 1);
    const s = JSON.parse(r.out) as { throttled: number; completed: number };
    assert.equal(s.throttled, 2);
    assert.equal(s.completed, 2);
  });

  it('serve refuses a definition without functions instead of serving none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-cli-serve-none-'));
    writeFileSync(join(dir, 'template.yaml'), 'Resources: {}\n');
    const r = await cli(['serve', 'template.yaml', '--port', '0'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.err, /template\.yaml declares no function to serve/);
  });

  it('a closed terminal (SIGHUP) stops the command and every process of the function, as Ctrl+C does', async () => {
    const bin = join(root, 'dist', 'cli.js');
    const dir = mkdtempSync(join(tmpdir(), 'lwb-cli-hup-'));
    // A handler that never answers, with a child of its own, in a process group of its own.
    writeFileSync(join(dir, 'app.js'), "const { spawn } = require('node:child_process');\n" +
      "exports.handler = async () => { spawn('sleep', ['60'], { stdio: 'ignore' }); console.log('running'); return new Promise(() => setInterval(() => {}, 1000)); };\n");
    const mark = `LWB_HUP_MARK=${dir}`;
    writeFileSync(join(dir, '.env'), `${mark}\n`);
    const child = spawn(process.execPath, [bin, 'invoke', 'app.handler', '--timeout', '900'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`the handler did not start: ${output}`)), 15_000);
      const onData = (c: Buffer): void => {
        output += c.toString();
        if (/\tINFO\trunning/.test(output)) { clearTimeout(t); resolve(); }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
    });
    try {
      assert.ok(processesWith(mark).length >= 2, 'the runtime and its child run');
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGHUP');
      assert.notEqual(await exited, null, 'exited by itself, not killed by the signal');
      assert.deepEqual(await noneLeft(mark), []);
    } finally {
      for (const pid of processesWith(mark)) process.kill(pid, 'SIGKILL');
    }
  });

  it('serve: the AWS SDK invokes a template function through the CLI server, and Ctrl+C stops it cleanly', async () => {
    const bin = join(root, 'dist', 'cli.js');
    if (!existsSync(bin)) return; // built by npm test before the unit tests
    const child = spawn(process.execPath, [bin, 'serve', 'examples/template.yaml', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 15_000);
      child.stdout.on('data', () => {
        const m = /Invoke API on (http:\/\/127\.0\.0\.1:\d+) for 2 function\(s\): HelloNode, HelloPython/.exec(out);
        if (m) { clearTimeout(t); resolve(m[1]); }
      });
    });
    const client = new LambdaClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    try {
      const res = await client.send(new InvokeCommand({ FunctionName: 'HelloPython', Payload: Buffer.from('{"name":"sdk"}') }));
      assert.equal(JSON.parse(JSON.parse(Buffer.from(res.Payload!).toString()).body).message, 'Hello, sdk!');
    } finally {
      client.destroy();
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0);
    assert.match(out, /stopped/);
  });
});
