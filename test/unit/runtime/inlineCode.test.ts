import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTarget } from '../../../src/core/project/functionTarget';
import { suiteLambda } from '../support/runtimeFixtures';

const TEMPLATE = (pythonReturn: string): string => `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  InlineSam:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        def handler(event, context):
            return {"from": ${pythonReturn}, "event": event}
  InlineCfn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/local
      Code:
        ZipFile: !Sub |
          exports.handler = async (event) => ({ from: 'Code.ZipFile in \${AWS::Region}', event });
`;

describe('Where a template function\'s code is: in the template (InlineCode, Code.ZipFile), or in S3', function () {
  this.timeout(30_000);
  const lambda = suiteLambda();
  let dir: string;
  let cacheBefore: string | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-inline-'));
    cacheBefore = process.env.LAMBDA_WORKBENCH_CACHE_DIR;
    process.env.LAMBDA_WORKBENCH_CACHE_DIR = join(dir, 'cache');
  });
  after(() => {
    if (cacheBefore === undefined) delete process.env.LAMBDA_WORKBENCH_CACHE_DIR;
    else process.env.LAMBDA_WORKBENCH_CACHE_DIR = cacheBefore;
    rmSync(dir, { recursive: true, force: true });
  });

  it('run as Lambda runs them: the code as index.py / index.js in a private folder, nothing written to the project', async () => {
    const template = join(dir, 'template.yaml');
    writeFileSync(template, TEMPLATE("'InlineCode'"));
    const python = await resolveTarget({ spec: template, resource: 'InlineSam', cwd: dir });
    const node = await resolveTarget({ spec: template, resource: 'InlineCfn', cwd: dir, region: 'eu-west-1' });
    assert.ok(python.codeDir.startsWith(join(dir, 'cache')), python.codeDir);
    assert.match(readFileSync(join(python.codeDir, 'index.py'), 'utf8'), /def handler\(event, context\):/);
    assert.equal(readFileSync(join(node.codeDir, 'index.js'), 'utf8'), "exports.handler = async (event) => ({ from: 'Code.ZipFile in eu-west-1', event });\n");
    if (process.platform !== 'win32') assert.equal(statSync(python.codeDir).mode & 0o777, 0o700, 'private to the user');
    const fromPython = await lambda.invoke(python, '{"n":1}');
    assert.equal(fromPython.functionError, undefined, fromPython.payload);
    assert.deepEqual(JSON.parse(fromPython.payload), { from: 'InlineCode', event: { n: 1 } });
    const fromNode = await lambda.invoke(node, '{"n":2}');
    assert.equal(fromNode.functionError, undefined, fromNode.payload);
    assert.deepEqual(JSON.parse(fromNode.payload), { from: 'Code.ZipFile in eu-west-1', event: { n: 2 } });
    // An edited template is new code in a new folder: the next call is a cold start that runs it.
    writeFileSync(template, TEMPLATE("'edited'"));
    const edited = await resolveTarget({ spec: template, resource: 'InlineSam', cwd: dir });
    assert.notEqual(edited.codeDir, python.codeDir);
    const after = await lambda.invoke(edited, '{}');
    assert.equal(after.coldStart, true);
    assert.equal(JSON.parse(after.payload).from, 'edited');
  });

  it('code in S3 (an S3 CodeUri, or Code with S3Bucket) is refused, saying where it is and what to do', async () => {
    const template = join(dir, 's3.yaml');
    writeFileSync(template, `Resources:
  Uri: { Type: AWS::Serverless::Function, Properties: { Runtime: python3.12, Handler: app.handler, CodeUri: 's3://bucket/a.zip' } }
  Location: { Type: AWS::Serverless::Function, Properties: { Runtime: python3.12, Handler: app.handler, CodeUri: { Bucket: bucket, Key: b.zip } } }
  Cfn: { Type: AWS::Lambda::Function, Properties: { Runtime: nodejs22.x, Handler: index.handler, Code: { S3Bucket: bucket, S3Key: c.zip } } }
`);
    await assert.rejects(resolveTarget({ spec: template, resource: 'Uri', cwd: dir }), /^TargetError: Uri's code is in S3 \(s3:\/\/bucket\/a\.zip\), not on this machine\. Point its CodeUri at the code's folder/);
    await assert.rejects(resolveTarget({ spec: template, resource: 'Location', cwd: dir }), /Location's code is in S3 \(s3:\/\/bucket\/b\.zip\)/);
    await assert.rejects(resolveTarget({ spec: template, resource: 'Cfn', cwd: dir }), /Cfn's code is in S3 \(s3:\/\/bucket\/c\.zip\), not on this machine\. Point its Code at/);
  });
});
