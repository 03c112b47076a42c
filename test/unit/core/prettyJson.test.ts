import * as assert from 'node:assert/strict';
import { prettyJson } from '../../../src/core/json/prettyJson';

describe('prettyJson: a result re-indented for reading, exactly as written', () => {
  it('lays a document out as JSON.stringify(value, null, 2) does', () => {
    const documents = [
      { a: 1, b: [1, 2, { c: null }], d: {}, e: [], f: 'text, with {brackets} and "quotes" and \\ and :' },
      [], {}, [[[]]], 'a string', 12, true, null, [{ x: [{}] }, 'é ☃ \u0001'],
    ];
    for (const value of documents) {
      const compact = JSON.stringify(value);
      assert.equal(prettyJson(compact), JSON.stringify(value, null, 2), compact);
      assert.equal(prettyJson(JSON.stringify(value, null, 4)), JSON.stringify(value, null, 2), 'other indentation');
    }
  });

  it('keeps numbers and strings as the function wrote them (no round trip through JavaScript numbers)', () => {
    const written = '{"i": 18446744073709551617, "d": 1.10, "f": 1.0, "e": 1E+400, "u": "\\u00e9"}';
    assert.equal(prettyJson(written), '{\n  "i": 18446744073709551617,\n  "d": 1.10,\n  "f": 1.0,\n  "e": 1E+400,\n  "u": "\\u00e9"\n}');
  });

  it('indents continuation lines for embedding; text that is not JSON comes back unchanged', () => {
    assert.equal(prettyJson('{"a":[1]}', '  '), '{\n    "a": [\n      1\n    ]\n  }');
    for (const text of ['not json', '{"a": }', '', 'hello\n']) assert.equal(prettyJson(text), text);
  });
});
