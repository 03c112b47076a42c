import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson } from '../../src/core/json/parseJson';
import { packageRoot } from '../../src/core/packageInfo';

const root = packageRoot();
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { snippets: { language: string; path: string }[] } };

describe('Snippets', () => {
  it('are contributed for Python, JavaScript and TypeScript', () => {
    assert.deepEqual(manifest.contributes.snippets.map((s) => s.language).sort(), ['javascript', 'python', 'typescript']);
  });

  for (const { language, path } of manifest.contributes.snippets) {
    it(`${language}: every snippet has a prefix, a body and a description, and the topics are covered`, () => {
      const file = join(root, path);
      assert.ok(existsSync(file), `${path} exists`);
      const snippets = parseJson(readFileSync(file, 'utf8'), path) as Record<string, { prefix?: unknown; body?: unknown; description?: unknown }>;
      const entries = Object.entries(snippets);
      assert.ok(entries.length >= 10, `${entries.length} snippets`);
      for (const [name, s] of entries) {
        assert.ok(typeof s.prefix === 'string' && s.prefix.length > 0, `${name}: prefix`);
        assert.ok((typeof s.body === 'string' && s.body.length > 0) || (Array.isArray(s.body) && s.body.length > 0 && s.body.every((l) => typeof l === 'string')), `${name}: body`);
        assert.ok(typeof s.description === 'string' && s.description.length > 10, `${name}: description`);
      }
      const prefixes = entries.map(([, s]) => s.prefix as string);
      assert.equal(new Set(prefixes).size, prefixes.length, 'prefixes are unique');
      for (const topic of ['lambda-handler', 'lambda-api', 'lambda-s3', 'lambda-sqs', 'lambda-sns', 'lambda-dynamodb-stream', 'lambda-kinesis', 'lambda-eventbridge', 'lambda-env', 'lambda-client', 'lambda-log-json', 'lambda-response']) {
        assert.ok(prefixes.includes(topic), `${language} has ${topic}`);
      }
      const all = JSON.stringify(snippets);
      assert.match(all, /batchItemFailures/, 'partial batch failure');
    });
  }
});
