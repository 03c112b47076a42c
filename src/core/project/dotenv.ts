import { readTextFile } from '../textFile';

/** Parses a `.env` file: `KEY=value`, `export KEY=value`, `#` comments, single/double quotes (double quotes expand
 *  \n, \t, \" and \\), blank lines. A malformed line is reported with its number rather than silently skipped. */
export function parseDotEnv(text: string, source = '.env'): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new Error(`${source}:${index + 1}: expected KEY=value, found '${raw.trim().slice(0, 60)}'`);
    const [, key, rest] = match;
    let value = rest;
    if (value.startsWith('"')) {
      const end = findClosingQuote(value, '"');
      if (end < 0) throw new Error(`${source}:${index + 1}: unterminated double quote in ${key}`);
      value = value.slice(1, end).replace(/\\([nt"\\])/g, (_, c: string) => ({ n: '\n', t: '\t', '"': '"', '\\': '\\' })[c] ?? c);
    } else if (value.startsWith("'")) {
      const end = value.indexOf("'", 1);
      if (end < 0) throw new Error(`${source}:${index + 1}: unterminated single quote in ${key}`);
      value = value.slice(1, end);
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    result[key] = value;
  });
  return result;
}

function findClosingQuote(value: string, quote: string): number {
  for (let i = 1; i < value.length; i++) {
    if (value[i] === '\\') i++;
    else if (value[i] === quote) return i;
  }
  return -1;
}

export async function readDotEnv(file: string): Promise<Record<string, string>> {
  return parseDotEnv(await readTextFile(file), file);
}
