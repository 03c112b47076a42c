import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingModuleHint } from '../../../src/core/runtime/missingModuleHint';
import { LocalLambda } from '../../../src/core/runtime/localLambda';

describe('A failed import says how to make it work locally (HINT)', function () {
  this.timeout(30_000);
  let dir: string;
  let lambda: LocalLambda;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-hint-'));
    lambda = new LocalLambda();
  });
  afterEach(async () => {
    await lambda.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  const hints = (logs: readonly string[]): string[] => logs.filter((l) => l.startsWith('HINT '));

  it('Node: an SDK v3 client (built into the runtime, not into a local Node), ESM or CommonJS; v2 aws-sdk; a declared package not installed', async () => {
    writeFileSync(join(dir, 'esm.mjs'), "import { S3Client } from '@aws-sdk/client-s3-not-here';\nexport const handler = async () => S3Client;\n");
    writeFileSync(join(dir, 'cjs.js'), "const sdk = require('aws-sdk');\nexports.handler = async () => sdk;\n");
    writeFileSync(join(dir, 'dep.js'), "const lib = require('left-pad-not-installed/sub');\nexports.handler = async () => lib;\n");
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ dependencies: { 'left-pad-not-installed': '^1.0.0' } }));
    const run = (handler: string) => lambda.invoke({ name: 'hint', runtime: 'nodejs20.x', handler, codeDir: dir }, '{}');
    const esm = await run('esm.handler');
    assert.equal(esm.error?.errorType, 'Error', 'ERR_MODULE_NOT_FOUND, as Lambda reports an ES module\'s');
    assert.deepEqual(hints(esm.logs), [`HINT @aws-sdk/client-s3-not-here is part of Lambda's nodejs20.x runtime (the AWS SDK for JavaScript v3), not of a local Node: for local runs install it beside the function, e.g. npm install --save-dev @aws-sdk/client-s3-not-here in ${dir}.`]);
    assert.match(hints((await run('cjs.handler')).logs)[0] ?? '', /^HINT aws-sdk \(the AWS SDK for JavaScript v2\) is not in Lambda's nodejs18\.x and later runtimes either/);
    assert.deepEqual(hints((await run('dep.handler')).logs), [`HINT left-pad-not-installed is in ${join(dir, 'package.json')} but not installed: run npm install in ${dir}.`]);
    assert.deepEqual(hints((await run('missing.handler')).logs), [], 'a missing handler file is not a missing package');
    // The SDK declared in the function's package.json (as the scaffolds do): npm install is the fix.
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ devDependencies: { '@aws-sdk/client-s3-not-here': '^3.0.0' } }));
    assert.deepEqual(hints((await run('esm.handler')).logs), [`HINT @aws-sdk/client-s3-not-here is in ${join(dir, 'package.json')} but not installed: run npm install in ${dir}. (Lambda's nodejs20.x runtime has the AWS SDK for JavaScript v3 built in; a local Node takes it from node_modules.)`]);
    writeFileSync(join(dir, 'boom.js'), "exports.handler = async () => { throw new Error('order not found'); };\n");
    assert.deepEqual(hints((await run('boom.handler')).logs), [], 'a function error that is no import');
  });

  it('Python: a module the requirements.txt would bring, named with the interpreter that lacks it', async () => {
    writeFileSync(join(dir, 'app.py'), 'import requests_not_installed_here.sessions\n\ndef lambda_handler(event, context):\n    return 1\n');
    writeFileSync(join(dir, 'requirements.txt'), 'requests_not_installed_here\n');
    const result = await lambda.invoke({ name: 'hint', runtime: 'python3.12', handler: 'app.lambda_handler', codeDir: dir }, '{}');
    assert.equal(result.error?.errorType, 'Runtime.ImportModuleError');
    const [hint] = hints(result.logs);
    assert.match(hint ?? '', /^HINT requests_not_installed_here is not installed for \S*python\S*, nor beside the function\. Lambda imports what the deployment package holds: \S+ -m pip install -r \S*requirements\.txt -t /, result.logs.join('\n'));
  });

  it('Python: a submodule missing from the function\'s own package is named as such, not as a package to pip install', async () => {
    mkdirSync(join(dir, 'mypkg'));
    writeFileSync(join(dir, 'mypkg', '__init__.py'), '');
    writeFileSync(join(dir, 'helpers.py'), '');
    writeFileSync(join(dir, 'app.py'), 'import mypkg.missing_sub\n\ndef lambda_handler(event, context):\n    return 1\n');
    writeFileSync(join(dir, 'mod.py'), 'import helpers.sub\n\ndef lambda_handler(event, context):\n    return 1\n');
    const run = (handler: string) => lambda.invoke({ name: 'hint', runtime: 'python3.12', handler, codeDir: dir }, '{}');
    const pkg = await run('app.lambda_handler');
    assert.equal(pkg.error?.errorMessage, "Unable to import module 'app': No module named 'mypkg.missing_sub'");
    assert.deepEqual(hints(pkg.logs), [`HINT mypkg.missing_sub is not in the function's folder: its package mypkg (${join(dir, 'mypkg')}) has no missing_sub.py or missing_sub/.`]);
    const mod = await run('mod.lambda_handler');
    assert.match(mod.error?.errorMessage ?? '', /No module named 'helpers\.sub'; 'helpers' is not a package$/);
    assert.deepEqual(hints(mod.logs), [`HINT helpers.sub cannot be imported: helpers is a module of the function's folder (${join(dir, 'helpers.py')}), not a package.`]);
    // A package from elsewhere (site-packages, a layer) lacking a submodule: no guess, and no "pip install boto3".
    const ctx = { runtime: 'python3.12', codeDir: dir, interpreter: '/usr/bin/python3', handler: 'app.lambda_handler' };
    assert.equal(await missingModuleHint({ errorType: 'Runtime.ImportModuleError', errorMessage: "Unable to import module 'app': No module named 'boto3.nope'" }, ctx), undefined);
    assert.equal(await missingModuleHint({ errorType: 'ModuleNotFoundError', errorMessage: "No module named 'google.protobuf'" }, ctx), undefined);
  });

  it('Python: boto3 is the runtime\'s own; another failure gets no hint, and nothing is read for it', async () => {
    const ctx = { runtime: 'python3.12', codeDir: dir, interpreter: '/usr/bin/python3', handler: 'app.lambda_handler' };
    assert.equal(await missingModuleHint({ errorType: 'Runtime.ImportModuleError', errorMessage: "Unable to import module 'app': No module named 'boto3'" }, ctx),
      "boto3 is part of Lambda's python3.12 runtime but not installed for /usr/bin/python3: for local runs, /usr/bin/python3 -m pip install boto3.");
    assert.match(await missingModuleHint({ errorType: 'Runtime.ImportModuleError', errorMessage: "Unable to import module 'app': No module named 'dateutil'" }, ctx) ?? '', /pip install python-dateutil\.$/);
    assert.equal(missingModuleHint({ errorType: 'Runtime.ImportModuleError', errorMessage: "Unable to import module 'app': No module named 'app'" }, ctx), undefined);
    assert.equal(missingModuleHint({ errorType: 'ValueError', errorMessage: 'bad value' }, ctx), undefined);
    assert.match(await missingModuleHint({ errorType: 'Runtime.ImportModuleError', errorMessage: "Unable to import module 'app': No module named 'yaml'" }, ctx) ?? '', /pip install PyYAML -t /);
  });
});
