import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cliCommand';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with usage errors (exit code 2) instead of TypeErrors. */
export function parseOptions<T extends Options>(args: string[], options: T): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | string[] | undefined>, positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/^TypeError \[[A-Z_]+\]: /, '') : String(error));
  }
}

export function intOption(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got '${String(value)}').`);
  return n;
}

export function numberOption(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max} (got '${String(value)}').`);
  return n;
}

export function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => { text += chunk; });
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

/** `--interpreter <runtime>=<path>` values (repeatable) as the interpreters setting's object. */
export function interpreterOptions(values: string[] | undefined): Record<string, string> | undefined {
  if (!values?.length) return undefined;
  return Object.fromEntries(values.map((value) => {
    const at = value.indexOf('=');
    if (at <= 0 || at === value.length - 1) throw new UsageError(`--interpreter takes <runtime>=<path>, e.g. python3.12=/usr/bin/python3.12 (got '${value}').`);
    return [value.slice(0, at), value.slice(at + 1)];
  }));
}
