import * as assert from 'node:assert/strict';
import { paramLine, parseParamLine } from '../../../src/core/events/generate';

describe('Generate Sample Event: every parameter in one line', () => {
  const declared = { bucket: { default: 'example-bucket' }, key: { default: 'test/key' }, note: { default: 'a,b' } };

  it('prefills the defaults and keeps only what was changed; values keep spaces and escaped commas', () => {
    const line = paramLine(declared);
    assert.equal(line, 'bucket=example-bucket, key=test/key, note=a\\,b');
    assert.deepEqual(parseParamLine(line, declared), { values: {} }, 'Enter on the defaults changes nothing');
    assert.deepEqual(parseParamLine('bucket=photos, key=cats/tom 1.jpg, note=x\\, y', declared), { values: { bucket: 'photos', key: 'cats/tom 1.jpg', note: 'x, y' } });
    assert.deepEqual(parseParamLine('key=only-this', declared), { values: { key: 'only-this' } }, 'the rest may be left out');
  });

  it('says what is wrong with an unknown name or a part without =', () => {
    assert.deepEqual(parseParamLine('bukket=x', declared), { error: "No parameter 'bukket'. Parameters: bucket, key, note." });
    assert.deepEqual(parseParamLine('bucket', declared), { error: "'bucket' is not name=value." });
  });
});
