import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { readSamTemplate } from '../../../src/core/project/samTemplate';
import { mergeLaunchConfig, notInLaunchJson, type LambdaLaunchConfig } from '../../../src/core/scaffold/launchConfig';
import { addSamResource, logicalIdFor } from '../../../src/core/scaffold/samResource';

const config = (name: string): LambdaLaunchConfig => ({ type: 'lambda', request: 'launch', name, handler: 'fn/app.lambda_handler', event: 'fn/events/e.json' });
const tmp = (): string => mkdtempSync(join(tmpdir(), 'lwb-scaffold-'));

describe('launch.json merge', () => {
  it('creates launch.json when there is none', async () => {
    const dir = tmp();
    assert.equal((await mergeLaunchConfig(dir, config('Debug a'))).kind, 'created');
    const doc = JSON.parse(readFileSync(join(dir, '.vscode', 'launch.json'), 'utf8')) as { version: string; configurations: unknown[] };
    assert.equal(doc.version, '0.2.0');
    assert.deepEqual(doc.configurations, [config('Debug a')]);
  });

  it("adds to the user's file keeping their comments and configurations, and never clobbers a same-named one", async () => {
    const dir = tmp();
    mkdirSync(join(dir, '.vscode'));
    const original = `{
    // my own notes
    "version": "0.2.0",
    "configurations": [
        { "type": "node", "request": "launch", "name": "Mine", "program": "\${workspaceFolder}/x.js" }, // trailing
    ]
}
`;
    writeFileSync(join(dir, '.vscode', 'launch.json'), original);
    assert.equal((await mergeLaunchConfig(dir, config('Debug b'))).kind, 'added');
    const text = readFileSync(join(dir, '.vscode', 'launch.json'), 'utf8');
    assert.match(text, /\/\/ my own notes/);
    assert.match(text, /\/\/ trailing/);
    const doc = parse(text) as { configurations: { name: string }[] };
    assert.deepEqual(doc.configurations.map((c) => c.name), ['Mine', 'Debug b']);
    assert.equal((await mergeLaunchConfig(dir, { ...config('Debug b'), handler: 'other.handler' })).kind, 'exists');
    // Indented as the file is (4 spaces), a blank line before its first key notwithstanding.
    const spaced = tmp();
    mkdirSync(join(spaced, '.vscode'));
    writeFileSync(join(spaced, '.vscode', 'launch.json'), '{\n\n    "version": "0.2.0",\n    "configurations": []\n}\n');
    await mergeLaunchConfig(spaced, config('Debug c'));
    assert.match(readFileSync(join(spaced, '.vscode', 'launch.json'), 'utf8'), /\n {12}"name": "Debug c",\n/);
    assert.equal(readFileSync(join(dir, '.vscode', 'launch.json'), 'utf8'), text, 'unchanged');
  });

  it('leaves a launch.json that does not parse untouched and says where it breaks', async () => {
    const dir = tmp();
    mkdirSync(join(dir, '.vscode'));
    const broken = '{\n  "version": "0.2.0",\n  "configurations": [ { "name": "x" \n}\n';
    writeFileSync(join(dir, '.vscode', 'launch.json'), broken);
    const outcome = await mergeLaunchConfig(dir, config('Debug c'));
    assert.equal(outcome.kind, 'unreadable');
    assert.match('reason' in outcome ? outcome.reason : '', /at line \d/);
    assert.equal(readFileSync(join(dir, '.vscode', 'launch.json'), 'utf8'), broken);
  });
});

describe('dynamic debug configurations next to launch.json', () => {
  const generated = [
    { name: 'Debug orders-queue', template: 'template.yaml', resource: 'OrdersQueueFunction' },
    { name: 'Debug lab-metadata', handler: 'lab-metadata/app.lambda_handler' },
    { name: 'Debug slow', handler: 'slow/index.handler' },
    { name: 'Debug api', template: 'infra/template.yaml', resource: 'ApiFunction' },
  ];

  it('leaves out what launch.json already has: by name, by handler however spelled, by template resource', () => {
    const existing = [
      { type: 'lambda', request: 'launch', name: 'Debug orders-queue', handler: 'orders-queue/index.handler' },
      { type: 'lambda', request: 'launch', name: 'Mine', handler: '${workspaceFolder}\\lab-metadata\\app.lambda_handler' },
      { type: 'lambda', request: 'launch', name: 'Theirs', template: './infra/template.yaml', resource: 'ApiFunction' },
      { type: 'node', request: 'launch', name: 'Debug slow', program: 'slow/index.js' },
      'not an object',
    ];
    assert.deepEqual(notInLaunchJson(generated, existing).map((g) => g.name), ['Debug slow'], "another debugger's configuration does not count");
    assert.deepEqual(notInLaunchJson(generated, []).length, 4);
  });
});

describe('SAM resource', () => {
  const resource = { logicalId: 'ResizeImagesFunction', properties: { CodeUri: 'resize-images/', Handler: 'app.lambda_handler', Runtime: 'python3.12' } };

  it('names logical ids CloudFormation accepts', () => {
    assert.equal(logicalIdFor('resize-images'), 'ResizeImagesFunction');
    assert.equal(logicalIdFor('my_fn2'), 'MyFn2Function');
    assert.equal(logicalIdFor('3d-render'), 'Fn3dRenderFunction');
  });

  it('creates a template that the template parser reads back', async () => {
    const file = join(tmp(), 'template.yaml');
    assert.equal((await addSamResource(file, resource)).kind, 'created');
    const parsed = await readSamTemplate(file);
    assert.deepEqual(parsed.functions.map((f) => [f.logicalId, f.handler, f.runtime]), [['ResizeImagesFunction', 'app.lambda_handler', 'python3.12']]);
  });

  it("appends to Resources keeping the user's tags, comments and later sections", async () => {
    const file = join(tmp(), 'template.yaml');
    const original = `Transform: AWS::Serverless-2016-10-31
# keep me
Resources:
  Existing:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: existing/
      Handler: index.handler
      Runtime: nodejs20.x
      Environment:
        Variables:
          TABLE: !Ref Table

  Table:
    Type: AWS::DynamoDB::Table

Outputs:
  TableName:
    Value: !Ref Table
`;
    writeFileSync(file, original);
    assert.equal((await addSamResource(file, resource)).kind, 'added');
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith(original.split('Outputs:')[0].trimEnd()), 'everything before is kept verbatim');
    assert.match(text, /TABLE: !Ref Table/);
    assert.match(text, /Outputs:\n {2}TableName:\n {4}Value: !Ref Table\n$/);
    assert.ok(text.indexOf('ResizeImagesFunction') < text.indexOf('Outputs:'), 'inside Resources');
    assert.deepEqual((await readSamTemplate(file)).functions.map((f) => f.logicalId), ['Existing', 'ResizeImagesFunction']);
    assert.equal((await addSamResource(file, resource)).kind, 'exists');
    assert.equal(readFileSync(file, 'utf8'), text, 'an existing resource is never replaced');
  });
  it('adds to a JSON template as JSON, keeping what is there', async () => {
    const file = join(tmp(), 'template.yaml');
    writeFileSync(file, '{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}\n');
    assert.equal((await addSamResource(file, resource)).kind, 'added');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { Resources: Record<string, { Type: string; Properties?: { CodeUri?: string } }> };
    assert.deepEqual(Object.keys(doc.Resources), ['T', 'ResizeImagesFunction']);
    assert.equal(doc.Resources.ResizeImagesFunction.Properties?.CodeUri, 'resize-images/');
    assert.deepEqual((await readSamTemplate(file)).functions.map((f) => f.logicalId), ['ResizeImagesFunction']);
  });

  it('leaves a template whose Resources is a flow mapping byte for byte as it was, and says why', async () => {
    const file = join(tmp(), 'template.yaml');
    const original = 'Resources: {Existing: {Type: AWS::SNS::Topic}}\n';
    writeFileSync(file, original);
    const outcome = await addSamResource(file, resource);
    assert.equal(outcome.kind, 'unsupported');
    assert.match('reason' in outcome ? outcome.reason : '', /flow mapping/);
    assert.equal(readFileSync(file, 'utf8'), original);
  });

  it('indents the new resource as the template indents its resources (4 spaces here), comments kept', async () => {
    const file = join(tmp(), 'template.yaml');
    const original = 'Resources:\n    Existing:\n        Type: AWS::SNS::Topic  # keep\n\n# about Outputs\nOutputs:\n    X:\n        Value: 1\n';
    writeFileSync(file, original);
    assert.equal((await addSamResource(file, resource)).kind, 'added');
    const text = readFileSync(file, 'utf8');
    assert.match(text, /# keep\n\n {4}ResizeImagesFunction:\n {8}Type: AWS::Serverless::Function\n/);
    assert.match(text, /\n\n# about Outputs\nOutputs:\n/);
    assert.deepEqual((await readSamTemplate(file)).functions.map((f) => f.logicalId), ['ResizeImagesFunction']);
  });
});
