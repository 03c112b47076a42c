import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AwsContext } from '../core/aws/awsContext';
import { defaultRegion } from '../core/aws/profiles';
import { parseParameterOverrides } from '../core/project/samConfig';
import type { CliIO } from './cliCommand';
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

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
export type DurationUnit = keyof typeof UNIT_MS;

/**
 * A duration option (`15m`, `3h`, `500ms`…) in milliseconds. `units` are the ones this option takes; `bare` is what a
 * number without a unit means (none given: a unit is required); `spaced` lets a space stand between number and unit.
 * The usage error says `--<option> takes <takes> (got '…')`.
 */
export function durationOption(text: string, option: string, accepts: { units: readonly DurationUnit[]; takes: string; bare?: DurationUnit; spaced?: boolean }): number {
  // Longest first, so that `ms` is not read as `m` followed by junk.
  const units = [...accepts.units].sort((a, b) => b.length - a.length).join('|');
  const match = new RegExp(`^(\\d+(?:\\.\\d+)?)${accepts.spaced ? '\\s*' : ''}(${units})${accepts.bare ? '?' : ''}$`).exec(text.trim());
  if (!match) throw new UsageError(`--${option} takes ${accepts.takes} (got '${text}')`);
  return Number(match[1]) * UNIT_MS[(match[2] || accepts.bare) as DurationUnit];
}

/** The AWS context of `--profile`, `--region` (default: the profile's, or the environment's) and `--endpoint`. */
export async function awsContextOf(v: Record<string, unknown>, io: Pick<CliIO, 'env'>): Promise<AwsContext> {
  const profile = v.profile as string | undefined;
  return { profile, region: (v.region as string | undefined) ?? await defaultRegion(profile, io.env), endpoint: v.endpoint as string | undefined, env: io.env };
}

/** `--parameter-overrides 'Stage=prod Table="a b"'` (repeatable), as sam takes it. */
export function parameterOverridesOption(v: Record<string, unknown>): Record<string, string> | undefined {
  const raw = v['parameter-overrides'];
  if (raw === undefined) return undefined;
  try {
    return parseParameterOverrides(Array.isArray(raw) ? raw.map(String) : [String(raw)]);
  } catch (error) {
    throw new UsageError(`--parameter-overrides: ${error instanceof Error ? error.message : String(error)}`);
  }
}
