import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson } from '../json/parseJson';
import { assetPath } from '../packageInfo';

export type ParamType = 'string' | 'number' | 'boolean';

export interface EventParam {
  readonly default: string | number | boolean;
  readonly type?: ParamType;
  readonly description?: string;
  readonly encoding?: 'url' | 'base64';
}

export interface EventTypeEntry {
  readonly description: string;
  readonly file: string;
  /** The matching handler event type in @types/aws-lambda, or null where there is none. */
  readonly awsType: string | null;
  readonly params?: Readonly<Record<string, EventParam>>;
  readonly generators?: readonly string[];
  /** For the `records` generator: dotted path of the array to repeat (default `Records`). */
  readonly recordsPath?: string;
}

export interface EventSource {
  readonly id: string;
  readonly title: string;
  readonly types: Readonly<Record<string, EventTypeEntry>>;
}

/** Parameters every event can use without declaring them. */
export const COMMON_PARAMS: Readonly<Record<string, EventParam>> = {
  region: { default: 'us-east-1', description: 'AWS Region' },
  accountId: { default: '123456789012', description: 'AWS account id' },
  partition: { default: 'aws', description: 'AWS partition' },
};

/** The catalog of sample events, read from data files (assets/events) once per process. */
export class EventCatalog {
  private sources?: Map<string, EventSource>;

  constructor(private readonly root: string = assetPath('events')) {}

  list(): EventSource[] {
    return [...this.load().values()];
  }

  source(id: string): EventSource {
    const found = this.load().get(id);
    if (!found) throw new CatalogError(`Unknown event source '${id}'. Sources: ${[...this.load().keys()].join(', ')}.`);
    return found;
  }

  type(sourceId: string, typeId: string): EventTypeEntry {
    const source = this.source(sourceId);
    const entry = source.types[typeId];
    if (!entry) throw new CatalogError(`Unknown ${sourceId} event type '${typeId}'. Types: ${Object.keys(source.types).join(', ')}.`);
    return entry;
  }

  /** The raw template text of an event type (placeholders unfilled). */
  template(sourceId: string, typeId: string): string {
    return readFileSync(join(this.root, sourceId, this.type(sourceId, typeId).file), 'utf8');
  }

  /** Finds `source/type`, `source type`, or a unique type name such as `put` or `receive-message`. */
  find(name: string): { source: string; type: string } | undefined {
    const [a, b] = name.includes('/') ? name.split('/') : name.split(/\s+/);
    if (b !== undefined) return this.load().get(a)?.types[b] ? { source: a, type: b } : undefined;
    const matches = this.list().flatMap((s) => (s.types[a] ? [{ source: s.id, type: a }] : []));
    return matches.length === 1 ? matches[0] : undefined;
  }

  private load(): Map<string, EventSource> {
    if (this.sources) return this.sources;
    const sources = new Map<string, EventSource>();
    for (const id of readdirSync(this.root).sort()) {
      const manifest = join(this.root, id, '_source.json');
      if (!existsSync(manifest)) continue;
      const data = parseJson(readFileSync(manifest, 'utf8'), manifest) as Omit<EventSource, 'id'>;
      sources.set(id, { id, title: data.title, types: data.types });
    }
    this.sources = sources;
    return sources;
  }
}

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}
