import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCloudFormation } from '../../../src/core/project/cloudFormationYaml';
import { readApiModel } from '../../../src/core/localApi/apiRoutes';
import { readSamTemplate } from '../../../src/core/project/samTemplate';
import { listTemplates, scaffold, type Language } from '../../../src/core/scaffold/scaffolder';

/** Every Ref / Fn::GetAtt / ${Name} in a template, to prove none dangles. */
function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => references(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' && typeof v === 'string') out.push(v);
      else if (k === 'Fn::GetAtt') out.push(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]);
      else if (k === 'Fn::Sub' && typeof v === 'string') for (const m of v.matchAll(/\$\{([^}.!]+)[^}]*\}/g)) out.push(m[1]);
      references(v, out);
    }
  }
  return out;
}

describe('SAM resources written by New Handler', () => {
  it('a second API function whose route the template already has takes its own path, and its saved event asks for it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lwb-sam-routes-'));
    // One after the other: each adds to the same template.
    const made = [];
    for (const name of ['orders', 'users']) made.push(await scaffold({ templateId: 'api-http', language: 'python', name, parentDir: root, workspaceRoot: root, launchConfig: false, samResource: true }));
    for (const name of ['a-router', 'b-router']) await scaffold({ templateId: 'api-router', language: 'javascript', name, parentDir: root, workspaceRoot: root, launchConfig: false, samResource: true });
    const file = join(root, 'template.yaml');
    const model = readApiModel(readFileSync(file, 'utf8'), file);
    assert.deepEqual(model.routes.map((r) => `${r.method} ${r.path} ${r.functionId}`), [
      'GET /hello OrdersFunction', 'GET /users UsersFunction', 'ANY /{proxy+} ARouterFunction', 'ANY /{proxy+} BRouterFunction',
    ], "a greedy route keeps its path: the router serves the paths below it");
    const events = made.map((m) => (JSON.parse(readFileSync(m.eventFile, 'utf8')) as { rawPath: string }).rawPath);
    assert.deepEqual(events, ['/hello', '/users']);
  });

  it('every template adds a function and the resources its trigger needs, with no dangling reference', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lwb-sam-'));
    const languages: Language[] = ['python', 'javascript', 'typescript'];
    for (const [i, t] of listTemplates().entries()) {
      await scaffold({ templateId: t.id, language: languages[i % 3], name: `fn-${t.id}`, parentDir: root, workspaceRoot: root, launchConfig: false, samResource: true });
    }
    const file = join(root, 'template.yaml');
    const doc = parseCloudFormation(readFileSync(file, 'utf8'), file) as { Resources: Record<string, { Type: string }> };
    const ids = new Set(Object.keys(doc.Resources));
    const dangling = references(doc.Resources).filter((r) => !ids.has(r) && !r.startsWith('AWS::'));
    assert.deepEqual([...new Set(dangling)], []);
    const functions = (await readSamTemplate(file)).functions;
    assert.equal(functions.length, listTemplates().length);
    assert.equal(doc.Resources.FnS3MetadataBucket?.Type, 'AWS::S3::Bucket');
    assert.equal(doc.Resources.FnSqsBatchQueue?.Type, 'AWS::SQS::Queue');
    assert.equal(doc.Resources.FnDynamodbStreamTable?.Type, 'AWS::DynamoDB::Table');
    assert.deepEqual(functions.map((f) => f.name), listTemplates().map((t) => `fn-${t.id}`), 'each function is named as the user typed it, not by its logical id');
    const reuse = functions.find((f) => f.logicalId === 'FnConnectionReuseFunction');
    assert.equal(reuse?.environment.TABLE_NAME, 'FnConnectionReuseTable', 'TABLE_NAME refers to the table created beside it');
  });
});
