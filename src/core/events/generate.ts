import { randomUUID } from 'node:crypto';
import { parseJson } from '../json/parseJson';
import { clfTime } from '../localApi/apiEvents';
import { CatalogError, COMMON_PARAMS, type EventCatalog, type EventParam } from './catalog';
import { applyGenerators } from './generators';

export type ParamValues = Record<string, string | number | boolean>;

/** `account-id` → `accountId`, so kebab-case names from the command line match the catalog's camelCase. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** S3 writes keys into events URL-encoded with spaces as '+' and '/' kept. */
export function s3UrlEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+').replace(/%2F/gi, '/');
}

function encode(value: string | number | boolean, param: EventParam | undefined): string | number | boolean {
  if (param?.encoding === 'url') return s3UrlEncode(String(value));
  if (param?.encoding === 'base64') return Buffer.from(String(value), 'utf8').toString('base64');
  return value;
}

function coerce(name: string, raw: string | number | boolean, param: EventParam | undefined): string | number | boolean {
  const type = param?.type ?? 'string';
  if (type === 'number') {
    const n = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isFinite(n)) throw new CatalogError(`Parameter '${name}' must be a number (got '${String(raw)}').`);
    return n;
  }
  if (type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new CatalogError(`Parameter '${name}' must be true or false (got '${String(raw)}').`);
  }
  return String(raw);
}

/** Replaces placeholders in every string of a JSON value. `{{name:modifier}}` passes the modifier to the lookup. */
export function fillPlaceholders(value: unknown, lookup: (name: string, modifier?: string) => string | number | boolean | undefined): unknown {
  if (typeof value === 'string') {
    // A string that is only a placeholder keeps the value's type: numbers of `number` parameters stay numbers;
    // `{{name:number}}` turns any value (e.g. {{epochMs:number}}) into a JSON number.
    const whole = /^\{\{(\w+)(:number)?\}\}$/.exec(value);
    if (whole) {
      const v = lookup(whole[1]);
      if (v !== undefined) return whole[2] ? Number(v) : v;
    }
    return value.replace(/\{\{(\w+)(?::(\w+))?\}\}/g, (match, name: string, modifier?: string) => {
      const v = lookup(name, modifier);
      return v === undefined ? match : String(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => fillPlaceholders(v, lookup));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, lookup)]));
  }
  return value;
}

/** `{{sequence:incr}}`: the value as given for the first record; the next ones count up from it (a Kinesis sequence
 *  number, digits, stays the same length), so the records of a batch differ without changing the one the user gave. */
function nthInSequence(value: string, index: number): string {
  if (index <= 1) return value;
  if (/^\d+$/.test(value)) return String(BigInt(value) + BigInt(index - 1)).padStart(value.length, '0');
  return `${value}-${index}`;
}

/** Generates one event of the catalog with the given parameters (defaults for the rest). Unknown parameter names
 *  are an error that lists the known ones, so a typo is not silently ignored. */
export function generateEvent(catalog: EventCatalog, sourceId: string, typeId: string, given: ParamValues = {}): unknown {
  const entry = catalog.type(sourceId, typeId);
  const declared: Record<string, EventParam> = { ...COMMON_PARAMS, ...entry.params };
  const values: Record<string, string | number | boolean> = {};
  for (const [rawName, raw] of Object.entries(given)) {
    const name = camelCase(rawName);
    if (!(name in declared)) {
      throw new CatalogError(`${sourceId} ${typeId} has no parameter '${rawName}'. Parameters: ${Object.keys(declared).join(', ')}.`);
    }
    values[name] = coerce(name, raw, declared[name]);
  }
  for (const [name, param] of Object.entries(declared)) {
    if (!(name in values)) values[name] = coerce(name, param.default, param);
  }
  const now = new Date();
  const builtins = (name: string, index?: number): string | number | undefined => {
    // Built-ins are strings; write {{epochMs:number}} where the event wants a number.
    switch (name) {
      case 'uuid': return randomUUID();
      case 'now': return now.toISOString();
      // EventBridge and Alexa write whole seconds (2026-03-12T19:03:58Z); API Gateway and function URLs write
      // requestTime / time as 12/Mar/2026:19:03:58 +0000 beside the epoch in ms.
      case 'nowSeconds': return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
      case 'nowClf': return clfTime(now);
      case 'epochMs': return String(now.getTime());
      case 'epochSeconds': return String(Math.floor(now.getTime() / 1000));
      case 'index': return index;
      default: return undefined;
    }
  };
  const file = `${sourceId}/${entry.file}`;
  const template = parseJson(catalog.template(sourceId, typeId), file);
  const lookup = (index?: number) => (name: string, modifier?: string): string | number | boolean | undefined => {
    const value = name in values ? encode(values[name], declared[name]) : builtins(name, index);
    return modifier === 'incr' && value !== undefined ? nthInSequence(String(value), index ?? 1) : value;
  };
  const expanded = applyGenerators(template, entry, values, { fill: (v, index) => fillPlaceholders(v, lookup(index)) });
  return expanded;
}

/**
 * The parameters line of Generate Sample Event, `bucket=photos, key=cats/tom 1.jpg`: every parameter in one step.
 * Values keep their spaces; a comma inside a value is written `\,`. Unknown names are an error naming the known ones.
 */
export function parseParamLine(line: string, declared: Readonly<Record<string, EventParam>>): { values: ParamValues } | { error: string } {
  const values: ParamValues = {};
  for (const raw of line.split(/(?<!\\),/).map((p) => p.trim().replace(/\\,/g, ',')).filter(Boolean)) {
    const eq = raw.indexOf('=');
    if (eq <= 0) return { error: `'${raw}' is not name=value.` };
    const name = raw.slice(0, eq).trim();
    if (!(name in declared)) return { error: `No parameter '${name}'. Parameters: ${Object.keys(declared).join(', ')}.` };
    const value = raw.slice(eq + 1).trim();
    if (value !== String(declared[name].default)) values[name] = value;
  }
  return { values };
}

/** The defaults as a parameters line, to edit in place. */
export function paramLine(declared: Readonly<Record<string, EventParam>>): string {
  return Object.entries(declared).map(([name, p]) => `${name}=${String(p.default).replace(/,/g, '\\,')}`).join(', ');
}
