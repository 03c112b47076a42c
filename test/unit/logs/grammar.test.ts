import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar } from 'vscode-textmate';
import { formatEventLines } from '../../../src/core/logs/logFormat';
import { packageRoot } from '../../../src/core/packageInfo';

/** The scopes VS Code would give each token of `line`, through the same TextMate engine (vscode-textmate). */
let grammar: IGrammar;
async function scopesOf(line: string): Promise<{ text: string; scopes: string }[]> {
  const { tokens } = grammar.tokenizeLine(line, INITIAL);
  return tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes.join(' ') }));
}
const scopeOf = async (line: string, text: string): Promise<string> => (await scopesOf(line)).find((t) => t.text === text)?.scopes ?? `(no token "${text}")`;

describe('the lambda-log grammar colours local and CloudWatch lines alike', () => {
  before(async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new Registry({
      onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
      loadGrammar: async (scope) => (scope === 'source.lambda-log'
        ? parseRawGrammar(readFileSync(join(packageRoot(), 'syntaxes', 'lambda-log.tmLanguage.json'), 'utf8'), 'lambda-log.tmLanguage.json') : null),
    });
    grammar = (await registry.loadGrammar('source.lambda-log'))!;
  });

  it('a local run: START, a level, REPORT figures, a timeout', async () => {
    assert.match(await scopeOf('START RequestId: 6b1c Version: $LATEST', 'START'), /keyword\.control/);
    assert.match(await scopeOf('2026-12-02T10:00:01.000Z\t6b1c\tERROR\tboom', 'ERROR'), /invalid\.illegal\.level\.error/);
    assert.match(await scopeOf('REPORT RequestId: 6b1c\tDuration: 6.64 ms\tBilled Duration: 7 ms', '6.64 ms'), /constant\.numeric/);
    assert.match(await scopeOf('2026-12-02T10:00:04.000Z 6b1c Task timed out after 3.00 seconds', 'Task timed out after 3.00 seconds'), /invalid\.illegal\.timeout/);
  });

  it('CloudWatch documents: the same colours after the event\'s timestamp, one timestamp per line', async () => {
    const at = Date.UTC(2026, 11, 2, 10, 0, 1);
    const lines = formatEventLines([
      { timestamp: at, message: 'START RequestId: 6b1c0e2a-1111-4a2b-9c3d-000000000001 Version: $LATEST' },
      { timestamp: at, message: '2026-12-02T10:00:01.100Z\t6b1c0e2a-1111-4a2b-9c3d-000000000001\tWARN\tslow payment provider' },
      { timestamp: at, message: '{"timestamp":"2026-12-02T10:00:01.200Z","level":"ERROR","message":"payment failed","orderId":42}' },
      { timestamp: at, message: 'REPORT RequestId: 6b1c0e2a-1111-4a2b-9c3d-000000000001\tDuration: 1234.56 ms\tBilled Duration: 1235 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB' },
    ], 'utc').trimEnd().split('\n');
    for (const line of lines) assert.equal(line.match(/\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/g)?.length, 1, `one timestamp in: ${line}`);
    assert.match(await scopeOf(lines[0], 'START'), /keyword\.control/);
    assert.match(await scopeOf(lines[0], '2026-12-02 10:00:01.000'), /timestamp/);
    assert.match(await scopeOf(lines[1], 'WARN'), /markup\.changed\.level\.warn/);
    assert.match(await scopeOf(lines[2], 'ERROR'), /invalid\.illegal\.level\.error/);
    assert.match(await scopeOf(lines[3], 'REPORT'), /keyword\.control/);
    assert.match(await scopeOf(lines[3], '1234.56 ms'), /constant\.numeric/);
  });
});
