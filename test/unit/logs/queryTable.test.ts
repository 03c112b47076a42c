import * as assert from 'node:assert/strict';
import { queryTable } from '../../../src/core/logs/queryTable';

describe('Logs Insights results as a table', () => {
  it("aligns columns in the rows' order, leaves out @ptr, cuts long values but never the last column, shows newlines as ⏎", () => {
    const long = 'x'.repeat(60);
    const table = queryTable([
      { '@timestamp': '2026-12-03 10:00:00.000', level: 'ERROR', '@message': 'payment failed\nretrying', '@ptr': 'abc' },
      { '@timestamp': '2026-12-03 10:00:01.000', level: long, '@message': 'ok' },
    ]).split('\n');
    assert.equal(table[0], `@timestamp               level${' '.repeat(48 - 5)}  @message`);
    assert.match(table[1], /^─{23} {2}─{48} {2}─{8}$/);
    assert.equal(table[2], `2026-12-03 10:00:00.000  ERROR${' '.repeat(43)}  payment failed⏎retrying`);
    assert.equal(table[3], `2026-12-03 10:00:01.000  ${'x'.repeat(47)}…  ok`);
    assert.ok(!table.join('\n').includes('abc'), 'no @ptr');
  });

  it('no rows: nothing', () => {
    assert.equal(queryTable([]), '');
  });
});
