import { createHash } from 'node:crypto';
import { CatalogError, type EventTypeEntry } from './catalog';

type Values = Readonly<Record<string, string | number | boolean>>;
type Json = unknown;

export interface GeneratorTools {
  /** Fills placeholders of a JSON value; `index` is the 1-based record number for `{{index}}`. */
  fill(value: Json, index?: number): Json;
}

/** The names `_source.json` files may list in `generators`. */
export const GENERATORS = ['records', 'sqsMd5', 'awslogsData', 'firehoseAwslogs'] as const;

function getPath(doc: Json, path: string): Json {
  return path.split('.').reduce<Json>((v, key) => (v && typeof v === 'object' ? (v as Record<string, Json>)[key] : undefined), doc);
}

function setPath(doc: Json, path: string, value: Json): void {
  const keys = path.split('.');
  const parent = getPath(doc, keys.slice(0, -1).join('.')) ?? (keys.length === 1 ? doc : undefined);
  if (!parent || typeof parent !== 'object') throw new CatalogError(`no '${path}' in the event template`);
  (parent as Record<string, Json>)[keys[keys.length - 1]] = value;
}

/** A CloudWatch Logs subscription document, as Lambda receives it gzipped and base64-encoded in `awslogs.data`. */
export function logsSubscriptionDocument(values: Values): Record<string, unknown> {
  const group = String(values.logGroup ?? '/aws/lambda/example');
  const stream = String(values.logStream ?? '2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef');
  const messages = String(values.message ?? 'Example log message').split('\\n');
  const now = Date.now();
  return {
    messageType: 'DATA_MESSAGE',
    owner: String(values.owner ?? values.accountId ?? '123456789012'),
    logGroup: group,
    logStream: stream,
    subscriptionFilters: [String(values.filterName ?? 'ExampleFilter')],
    logEvents: messages.map((message, i) => ({
      // CloudWatch event ids are 56-digit strings.
      id: `${now}${String(i).padStart(6, '0')}`.padEnd(56, '0'),
      timestamp: now + i,
      message,
    })),
  };
}

export function gzipBase64(document: unknown): string {
  // zlib loads here, for the events that carry a gzipped payload, not in every command that reads an event (~1.7 ms).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { gzipSync } = require('node:zlib') as typeof import('node:zlib');
  return gzipSync(Buffer.from(JSON.stringify(document))).toString('base64');
}

/** Fills the template and runs the entry's generators on it. */
export function applyGenerators(template: Json, entry: EventTypeEntry, values: Values, tools: GeneratorTools): Json {
  const generators = entry.generators ?? [];
  for (const name of generators) {
    if (!(GENERATORS as readonly string[]).includes(name)) throw new CatalogError(`unknown generator '${name}' in ${entry.file}`);
  }
  let doc = JSON.parse(JSON.stringify(template)) as Json;
  const recordsPath = entry.recordsPath ?? 'Records';
  if (generators.includes('records')) {
    const records = getPath(doc, recordsPath);
    if (!Array.isArray(records) || records.length === 0) throw new CatalogError(`'${recordsPath}' must be a non-empty array in ${entry.file}`);
    const count = Number(values.count ?? 1);
    if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new CatalogError(`count must be a whole number from 1 to 10000 (got ${String(values.count)})`);
    setPath(doc, recordsPath, Array.from({ length: count }, (_, i) => tools.fill(records[0], i + 1)));
  }
  doc = tools.fill(doc, 1);
  const eachRecord = (fn: (record: Record<string, Json>) => void): void => {
    const records = getPath(doc, recordsPath);
    if (Array.isArray(records)) for (const r of records) if (r && typeof r === 'object') fn(r as Record<string, Json>);
  };
  if (generators.includes('sqsMd5')) {
    eachRecord((r) => { r.md5OfBody = createHash('md5').update(String(r.body ?? '')).digest('hex'); });
  }
  if (generators.includes('awslogsData')) {
    setPath(doc, 'awslogs.data', gzipBase64(logsSubscriptionDocument(values)));
  }
  if (generators.includes('firehoseAwslogs')) {
    eachRecord((r) => { r.data = gzipBase64(logsSubscriptionDocument(values)); });
  }
  return doc;
}
