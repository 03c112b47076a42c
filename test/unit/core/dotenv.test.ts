import * as assert from 'node:assert/strict';
import { parseDotEnv } from '../../../src/core/project/dotenv';

describe('parseDotEnv', () => {
  it('reads plain, quoted, exported and commented lines', () => {
    const env = parseDotEnv([
      '# a comment', '', 'PLAIN=value', 'export EXPORTED=yes', 'SPACED = padded  ', 'DQ="line1\\nline2 \\"q\\""',
      "SQ='literal \\n $HOME'", 'INLINE=value # trailing comment', 'EMPTY=', 'URL=postgres://u:p@h:5432/db?x=1#frag',
    ].join('\n'));
    assert.deepEqual(env, {
      PLAIN: 'value', EXPORTED: 'yes', SPACED: 'padded', DQ: 'line1\nline2 "q"', SQ: 'literal \\n $HOME', INLINE: 'value', EMPTY: '',
      URL: 'postgres://u:p@h:5432/db?x=1#frag',
    });
  });

  it('reports a malformed line with its number instead of skipping it', () => {
    assert.throws(() => parseDotEnv('A=1\nthis is not a variable\n', 'app/.env'), /app\/\.env:2: expected KEY=value/);
    assert.throws(() => parseDotEnv('A="open', '.env'), /\.env:1: unterminated double quote in A/);
  });
});
