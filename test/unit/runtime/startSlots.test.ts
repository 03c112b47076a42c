import * as assert from 'node:assert/strict';
import { StartSlots } from '../../../src/core/runtime/startSlots';

describe('StartSlots (how many environments start at once)', () => {
  it('grants up to its size at once, then in order as slots are released; a release counts once', async () => {
    const slots = new StartSlots(2);
    const first = await slots.take();
    const second = await slots.take();
    const granted: string[] = [];
    const third = slots.take().then((release) => { granted.push('third'); return release; });
    const fourth = slots.take().then((release) => { granted.push('fourth'); return release; });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(granted, [], 'both slots are taken');
    first();
    first(); // a second call must not free another slot
    await third;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(granted, ['third']);
    second();
    (await fourth)();
    (await third)();
    // All four released: both slots are free again.
    await Promise.all([slots.take(), slots.take()]);
  });

  it('a waiter whose signal aborts leaves the queue and rejects with the reason; the next waiter gets its turn', async () => {
    const slots = new StartSlots(1);
    const held = await slots.take();
    const stop = new AbortController();
    const cancelled = slots.take(stop.signal);
    const next = slots.take();
    stop.abort(new Error('the environment died'));
    await assert.rejects(cancelled, /the environment died/);
    held();
    const release = await next; // granted to the waiter behind the cancelled one
    release();
    await assert.rejects(slots.take(stop.signal), /the environment died/, 'an aborted signal is refused at once');
  });
});
