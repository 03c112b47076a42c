import * as assert from 'node:assert/strict';
import { billedDurationMs, invocationCost } from '../../../src/core/runtime/billing';
import { reportLine } from '../../../src/core/runtime/logLines';

describe('Billing and REPORT', () => {
  it('rounds billed duration up to the next millisecond, never below 1 ms', () => {
    assert.equal(billedDurationMs(12.01), 13);
    assert.equal(billedDurationMs(12), 12);
    assert.equal(billedDurationMs(0.2), 1);
    assert.equal(billedDurationMs(10.5, 100.25), 111, 'a cold start bills its init phase too');
  });

  it('prices GB-seconds and requests at us-east-1 list prices', () => {
    const c = invocationCost(1000, 1024);
    assert.equal(c.billedGbSeconds, 1);
    assert.ok(Math.abs(c.computeUsd - 0.0000166667) < 1e-12);
    assert.ok(Math.abs(c.requestUsd - 0.0000002) < 1e-12);
    assert.ok(Math.abs(c.perMillionUsd - (0.0000166667 + 0.0000002) * 1e6) < 1e-6);
    assert.ok(invocationCost(1000, 1024, 'arm64').computeUsd < c.computeUsd, 'arm64 is cheaper per GB-s');
  });

  it('formats REPORT as CloudWatch does', () => {
    assert.equal(reportLine({ requestId: 'r', durationMs: 12.344, billedDurationMs: 13, memorySizeMb: 128, maxMemoryUsedMb: 74, initDurationMs: 166.616 }),
      'REPORT RequestId: r\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 166.62 ms');
    assert.equal(reportLine({ requestId: 'r', durationMs: 3000, billedDurationMs: 3000, memorySizeMb: 128, maxMemoryUsedMb: 50, status: 'timeout' }),
      'REPORT RequestId: r\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 50 MB\tStatus: timeout');
  });
});
