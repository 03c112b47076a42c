import { prettyResult } from '../../../src/core/json/prettyJson';
import * as assert from 'node:assert/strict';
import { JsonSyntaxError, locateJsonError, parseJson } from '../../../src/core/json/parseJson';

function where(text: string): [number, number, string] {
  try {
    parseJson(text, 'e.json');
  } catch (error) {
    assert.ok(error instanceof JsonSyntaxError);
    return [error.line, error.column, error.reason];
  }
  throw new Error('expected a JsonSyntaxError');
}

describe('parseJson', () => {
  it('parses valid JSON', () => {
    assert.deepEqual(parseJson('{"a":[1,2,{"b":null}]}', 'x'), { a: [1, 2, { b: null }] });
  });

  it('reports a missing value with its line and column', () => {
    assert.deepEqual(where('{\n  "a": ,\n}').slice(0, 2), [2, 8]);
  });

  it('reports a trailing comma', () => {
    const [line, column, reason] = where('{\n  "a": 1,\n}');
    assert.deepEqual([line, column], [3, 1]);
    assert.match(reason, /trailing comma/);
  });

  it('reports an unquoted property name', () => {
    const [line, column, reason] = where('{ name: 1 }');
    assert.deepEqual([line, column], [1, 3]);
    assert.match(reason, /property name in double quotes/);
  });

  it('reports truncated and empty documents at the end', () => {
    assert.deepEqual(where('{"a": [1, 2').slice(0, 2), [1, 12]);
    assert.match(where('')[2], /empty or truncated/);
  });

  it('reports text after the document', () => {
    assert.match(where('{} {}')[2], /after the end of the document/);
  });

  it('names the source in the message, as file:line:column', () => {
    assert.throws(() => parseJson('[1,,2]', 'events/s3.json'), /^JsonSyntaxError: events\/s3\.json:1:4: malformed JSON/);
  });

  it('agrees with JSON.parse on what is valid', () => {
    for (const ok of ['1', '"s"', 'true', '[]', '{}', '-0.5e+3', '"\\u00e9\\n"', ' [ 1 , { "a" : "b" } ] ']) {
      assert.doesNotThrow(() => JSON.parse(ok));
      assert.equal(locateJsonError(ok).reason, 'invalid JSON', ok);
    }
    for (const bad of ['01', '[1,]', "{'a':1}", '"\\x"', 'nul', '"a\nb"', '+1']) {
      assert.throws(() => JSON.parse(bad));
      assert.throws(() => parseJson(bad, 'b'), JsonSyntaxError, bad);
    }
  });
});

describe('prettyResult: a result as a Run document shows it', () => {
  it('shows an API-style JSON body parsed under the payload, and leaves other payloads as they are', () => {
    const api = prettyResult(JSON.stringify({ statusCode: 200, body: JSON.stringify({ message: 'hi', items: [1] }) }));
    assert.match(api, /"body": "\{\\"message\\":\\"hi\\",\\"items\\":\[1\]\}"/, 'the payload stays what the function returned');
    assert.match(api, /# body \(a JSON string, parsed\)\n\{\n {2}"message": "hi",\n {2}"items": \[\n {4}1\n {2}\]\n\}\n$/);
    assert.doesNotMatch(prettyResult(JSON.stringify({ body: 'plain text' })), /# body/);
    assert.doesNotMatch(prettyResult(JSON.stringify({ body: 'eyJhIjoxfQ==', isBase64Encoded: true })), /# body/);
    assert.doesNotMatch(prettyResult(JSON.stringify({ body: '{not json' })), /# body/);
    assert.equal(prettyResult('not json at all'), 'not json at all\n');
  });
});
