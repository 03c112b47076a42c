import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CatalogError, COMMON_PARAMS, EventCatalog } from '../../core/events/catalog';
import { generateEvent, type ParamValues } from '../../core/events/generate';
import { UsageError, type CliCommand } from '../cliCommand';
import { parseOptions } from '../parseOptions';

const HELP = `Usage:
  lambda-workbench events list [source]
  lambda-workbench events generate <source> <type> [--param key=value …] [--out file]

Sample events for every trigger 'sam local generate-event' knows, and more (EventBridge custom events, function
URLs, Kafka, DynamoDB INSERT/MODIFY/REMOVE, Cognito user-pool triggers, S3 via EventBridge).

  list                  sources and their types (with a source: its types and parameters)
  generate              prints the event as JSON (or writes --out); encoded fields (base64, gzip, MD5) are
                        computed from the parameters
Options:
  -p, --param k=v       a parameter, e.g. --param bucket=photos --param key="cats/tom.jpg" (repeatable);
                        sam's form works too: --bucket photos --queue-name jobs
  -o, --out <file>      write to a file instead of standard output (its folder is created if missing)
`;

const OWN_OPTIONS = new Set(['param', 'p', 'out', 'o', 'help', 'h']);

/** `sam local generate-event s3 put --bucket photos --queue-name jobs` as sam takes it: an option that is not one
 *  of ours is a parameter, its kebab-case name in camelCase (`--queue-name` is queueName). */
function samStyleParams(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/is.exec(args[i]);
    if (!m || OWN_OPTIONS.has(m[1])) {
      out.push(args[i]);
      continue;
    }
    const name = m[1].replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const value = m[2] ?? (i + 1 < args.length && !args[i + 1].startsWith('--') ? args[++i] : undefined);
    if (value === undefined) throw new UsageError(`--${m[1]} needs a value (an event parameter: --${m[1]} <value>, or --param ${name}=<value>)`);
    out.push('--param', `${name}=${value}`);
  }
  return out;
}

export const eventsCommand: CliCommand = {
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseOptions(args[0] === 'generate' ? samStyleParams(args) : args, { param: { type: 'string', short: 'p', multiple: true }, out: { type: 'string', short: 'o' } });
    const [action, sourceId, typeId, ...extra] = positionals;
    const catalog = new EventCatalog();
    try {
      if (action === 'list') {
        if (typeId) throw new UsageError('events list takes at most a source');
        if (sourceId) {
          const source = catalog.source(sourceId);
          io.out(`${source.title} (${source.id})\n`);
          for (const [id, t] of Object.entries(source.types)) {
            const params = Object.entries(t.params ?? {}).map(([k, p]) => `${k}=${String(p.default)}`);
            io.out(`  ${id.padEnd(44)} ${t.description}\n${params.length ? `  ${''.padEnd(44)} params: ${params.join(', ')}\n` : ''}`);
          }
          io.out(`\nEvery event also takes: ${Object.keys(COMMON_PARAMS).join(', ')}.\n`);
          return 0;
        }
        const sources = catalog.list();
        for (const s of sources) io.out(`${s.id.padEnd(20)} ${s.title}: ${Object.keys(s.types).join(', ')}\n`);
        io.out(`\n${sources.length} sources, ${sources.reduce((n, s) => n + Object.keys(s.types).length, 0)} event types.\n`);
        return 0;
      }
      if (action === 'generate') {
        if (!sourceId || !typeId) throw new UsageError('events generate needs a source and a type, e.g. events generate s3 put');
        if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
        const params: ParamValues = {};
        for (const pair of (values.param as string[] | undefined) ?? []) {
          const eq = pair.indexOf('=');
          if (eq <= 0) throw new UsageError(`--param takes key=value (got '${pair}')`);
          params[pair.slice(0, eq)] = pair.slice(eq + 1);
        }
        const text = `${JSON.stringify(generateEvent(catalog, sourceId, typeId, params), null, 2)}\n`;
        if (values.out) {
          const file = resolve(io.cwd, values.out as string);
          try {
            // As \`new\` does for the folders it writes: a folder that is not there yet is created.
            mkdirSync(dirname(file), { recursive: true });
            writeFileSync(file, text);
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === 'EISDIR') throw new UsageError(`--out ${values.out as string} is a folder: name the file, e.g. --out ${join(values.out as string, `${sourceId}-${typeId}.json`)}`);
            throw new Error(`could not write ${file} (${error instanceof Error ? error.message : String(error)})`);
          }
          io.err(`wrote ${file}\n`);
        } else {
          io.out(text);
        }
        return 0;
      }
      throw new UsageError(action ? `unknown events action '${action}' (list, generate)` : 'events needs an action: list or generate');
    } catch (error) {
      if (error instanceof CatalogError) throw new UsageError(error.message);
      throw error;
    }
  },
};
