import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonSyntaxError } from '../../../src/core/json/parseJson';
import { EventExistsError, listSavedEvents, readSavedEvent, saveEvent, validateEventName } from '../../../src/core/events/savedEvents';

describe('Saved events', () => {
  it('saves one JSON file per event and lists them by name, a handler folder shadowing shared ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-saved-'));
    const shared = saveEvent(dir, 'small-order', { qty: 1 });
    saveEvent(dir, 'big-order', { qty: 100 });
    const own = saveEvent(dir, 'small-order', { qty: 2 }, { functionName: 'orders' });
    assert.equal(shared, join(dir, 'events', 'small-order.json'));
    assert.equal(own, join(dir, 'events', 'orders', 'small-order.json'));
    assert.deepEqual(listSavedEvents(dir).map((e) => e.name), ['big-order', 'small-order']);
    const forOrders = listSavedEvents(dir, 'orders');
    assert.deepEqual(forOrders.map((e) => [e.name, e.file]), [['small-order', own], ['big-order', join(dir, 'events', 'big-order.json')]]);
    assert.deepEqual(readSavedEvent(own).value, { qty: 2 });
  });

  it('never overwrites an existing event unless asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-saved-'));
    const file = saveEvent(dir, 'e', { v: 1 });
    assert.throws(() => saveEvent(dir, 'e', { v: 2 }), EventExistsError);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { v: 1 });
    saveEvent(dir, 'e', { v: 3 }, { overwrite: true });
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { v: 3 });
  });

  it('reports a malformed saved event with its line and column and leaves the file as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwb-saved-'));
    mkdirSync(join(dir, 'events'));
    const file = join(dir, 'events', 'broken.json');
    const text = '{\n  "Records": [\n    { "a": 1 }\n    { "b": 2 }\n  ]\n}\n';
    writeFileSync(file, text);
    assert.throws(() => readSavedEvent(file), (e: unknown) => e instanceof JsonSyntaxError && e.line === 4 && e.column === 5 && e.message.startsWith(`${file}:4:5:`));
    assert.equal(readFileSync(file, 'utf8'), text);
    assert.deepEqual(listSavedEvents(dir).map((e) => e.name), ['broken'], 'still listed, so the user can open and fix it');
  });

  it('validates event names', () => {
    assert.equal(validateEventName('s3-put 2'), undefined);
    assert.match(validateEventName('a/b') ?? '', /cannot contain '\/'/);
    assert.match(validateEventName('') ?? '', /Give the event a name/);
    assert.match(validateEventName('.hidden') ?? '', /starting with a letter or digit/);
  });
});
