import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { applyEdits, modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { formattingOf } from '../json/jsonEdits';
import { pathExists } from '../pathExists';

/** A debug configuration of the `lambda` type (see the debug provider). */
export interface LambdaLaunchConfig {
  readonly type: 'lambda';
  readonly request: 'launch';
  readonly name: string;
  readonly handler: string;
  readonly runtime?: string;
  readonly event?: string;
  readonly [key: string]: unknown;
}

export type MergeOutcome =
  | { readonly kind: 'created' | 'added'; readonly file: string }
  | { readonly kind: 'exists'; readonly file: string }
  | { readonly kind: 'unreadable'; readonly file: string; readonly reason: string };

/**
 * Adds a configuration to `.vscode/launch.json`, keeping the user's comments, formatting and other configurations.
 * A configuration with the same name is left alone (never clobbered); a launch.json that does not parse is not
 * touched at all — the caller shows the configuration for the user to paste.
 */
export async function mergeLaunchConfig(workspaceRoot: string, config: LambdaLaunchConfig): Promise<MergeOutcome> {
  const file = join(workspaceRoot, '.vscode', 'launch.json');
  if (!(await pathExists(file))) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify({ version: '0.2.0', configurations: [config] }, null, 2)}\n`);
    return { kind: 'created', file };
  }
  const text = await readFile(file, 'utf8');
  const errors: ParseError[] = [];
  const doc = parse(text, errors, { allowTrailingComma: true }) as { configurations?: unknown } | undefined;
  if (errors.length > 0 || !doc || typeof doc !== 'object') {
    const first = errors[0];
    const line = first ? text.slice(0, first.offset).split('\n').length : 1;
    return { kind: 'unreadable', file, reason: first ? `${printParseErrorCode(first.error)} at line ${line}` : 'not a JSON object' };
  }
  const configurations = Array.isArray(doc.configurations) ? (doc.configurations as { name?: unknown }[]) : undefined;
  if (configurations?.some((c) => c && c.name === config.name)) return { kind: 'exists', file };
  const formattingOptions = formattingOf(text);
  const edits = configurations
    ? modify(text, ['configurations', configurations.length], config, { formattingOptions, isArrayInsertion: true })
    : modify(text, ['configurations'], [config], { formattingOptions });
  await writeFile(file, applyEdits(text, edits));
  return { kind: 'added', file };
}

/** A path as launch.json may spell it (`${workspaceFolder}/a/b`, `./a/b`, `a\b`), reduced for comparison. */
const launchPath = (value: unknown): string | undefined =>
  typeof value === 'string' ? value.replace(/\\/g, '/').replace(/^\$\{workspaceFolder\}\//, '').replace(/^\.\//, '') : undefined;

/**
 * The generated configurations launch.json does not already hold (same name, same handler, or same template
 * resource): VS Code lists launch.json's and a dynamic provider's configurations side by side without merging, so a
 * scaffolded "Debug orders" would otherwise appear twice.
 */
export function notInLaunchJson<T extends { name: string; handler?: unknown; template?: unknown; resource?: unknown }>(generated: readonly T[], existing: readonly unknown[]): T[] {
  const ours = existing.filter((c): c is Record<string, unknown> => !!c && typeof c === 'object' && (c as { type?: unknown }).type === 'lambda');
  const names = new Set(ours.map((c) => c.name));
  const handlers = new Set(ours.map((c) => launchPath(c.handler)).filter(Boolean));
  const resources = new Set(ours.filter((c) => c.resource).map((c) => `${launchPath(c.template) ?? 'template.yaml'}#${String(c.resource)}`));
  return generated.filter((g) => !names.has(g.name) && !handlers.has(launchPath(g.handler))
    && !(g.resource && resources.has(`${launchPath(g.template) ?? 'template.yaml'}#${String(g.resource)}`)));
}
