import * as assert from 'node:assert/strict';
import { formatLogMessage, formatReport, formatTime, isErrorLine } from '../../../src/core/logs/logFormat';

describe('Log formatting', () => {
  it('aligns REPORT figures so successive lines compare at a glance', () => {
    const a = formatReport('REPORT RequestId: 11111111-aaaa\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 166.62 ms');
    const b = formatReport('REPORT RequestId: 22222222-bbbb\tDuration: 1234.50 ms\tBilled Duration: 1235 ms\tMemory Size: 1024 MB\tMax Memory Used: 512 MB');
    assert.equal(a, 'REPORT 11111111-aaaa  Duration     12.34 ms  Billed     13 ms  Memory    74/128   MB  Init   166.62 ms');
    assert.equal(b, 'REPORT 22222222-bbbb  Duration   1234.50 ms  Billed   1235 ms  Memory   512/1024  MB');
    assert.equal(a!.indexOf('Billed'), b!.indexOf('Billed'), 'columns line up');
    assert.match(formatReport('REPORT RequestId: x\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 50 MB\tStatus: timeout')!, /Status: timeout$/);
  });

  it("shows Lambda's JSON log format and Powertools lines as time level message, the rest compact", () => {
    assert.equal(formatLogMessage('{"timestamp":"2026-11-23T08:00:00.000Z","level":"ERROR","requestId":"r-1","message":"payment failed"}'),
      '2026-11-23T08:00:00.000Z ERROR payment failed  {"requestId":"r-1"}');
    assert.equal(formatLogMessage('{"level":"INFO","location":"handler:12","message":"order stored","timestamp":"2026-11-23 08:00:01,000+0000","service":"orders","order_id":7}'),
      '2026-11-23 08:00:01,000+0000 INFO  order stored  {"location":"handler:12","service":"orders","order_id":7}');
    assert.equal(formatLogMessage('{"level":"DEBUG","message":{"nested":true}}', { timestamp: Date.UTC(2026, 10, 23, 8, 0, 2) }),
      '2026-11-23 08:00:02.000 DEBUG {"nested":true}');
    // A level and no message (the S3 lab's error line): the other fields are the message.
    assert.equal(formatLogMessage('{"level":"error","error":{"type":"NoCredentialsError"},"requestId":"r-2"}'),
      'ERROR   {"error":{"type":"NoCredentialsError"},"requestId":"r-2"}');
    // Platform records read as the text lines they replace; others stay compact.
    assert.equal(formatLogMessage('{"time":"2026-11-23T08:00:00Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1.5,"billedDurationMs":2,"memorySizeMB":128,"maxMemoryUsedMB":60,"initDurationMs":90.25},"status":"timeout"}}'),
      '2026-11-23T08:00:00Z REPORT r  Duration      1.50 ms  Billed      2 ms  Memory    60/128   MB  Init    90.25 ms  Status: timeout');
    assert.equal(formatLogMessage('{"time":"2026-11-23T08:00:00Z","type":"platform.start","record":{"requestId":"r","version":"$LATEST"}}'), '2026-11-23T08:00:00Z START r');
    assert.match(formatLogMessage('{"time":"2026-11-23T08:00:00Z","type":"platform.initStart","record":{"phase":"init"}}'), /^2026-11-23T08:00:00Z platform\.initStart {2}\{"phase":"init"\}$/);
  });

  it('keeps plain lines, and indents multi-line stack traces under their first line', () => {
    assert.equal(formatLogMessage('hello from print'), 'hello from print');
    const node = formatLogMessage('2026-11-23T08:00:00.000Z\tr-2\tERROR\tInvoke Error \nTypeError: boom\n    at handler (/var/task/index.js:3:9)\n');
    assert.equal(node, '2026-11-23T08:00:00.000Z ERROR r-2  Invoke Error \n    TypeError: boom\n        at handler (/var/task/index.js:3:9)');
    assert.equal(formatLogMessage('[ERROR] KeyError: x\nTraceback (most recent call last):\n  File "app.py"'), '[ERROR] KeyError: x\n    Traceback (most recent call last):\n      File "app.py"');
    assert.equal(formatLogMessage('{ not json'), '{ not json');
  });

  it('shows times in UTC or local time', () => {
    const t = Date.UTC(2026, 10, 23, 8, 30, 0, 5);
    assert.equal(formatTime(t, 'utc'), '2026-11-23 08:30:00.005');
    const local = new Date(t);
    assert.equal(formatTime(t, 'local').slice(11, 16), `${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`);
  });

  it('marks errors, timeouts and crashes', () => {
    for (const line of ['2026-11-23T08:00:00.000Z\tr\tERROR\tx', '2026-11-23T08:00:00.000Z r Task timed out after 3.00 seconds', 'RequestId: r Error: Runtime exited with error: signal: killed', '{"level":"ERROR","message":"m"}']) {
      assert.ok(isErrorLine(line), line);
    }
    assert.ok(!isErrorLine('2026-11-23T08:00:00.000Z\tr\tINFO\tall good'));
  });
});
