import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import { stringify } from 'yaml';
import { formattingOf } from '../json/jsonEdits';
import { pathExists } from '../pathExists';
import { parseCloudFormation } from '../project/cloudFormationYaml';

export interface SamResource {
  readonly logicalId: string;
  /** Default AWS::Serverless::Function; supporting resources (a bucket, a queue…) name their own type. */
  readonly type?: string;
  readonly properties: Record<string, unknown>;
  /** Resource-level Metadata (e.g. SAM's esbuild BuildMethod for TypeScript). */
  readonly metadata?: Record<string, unknown>;
}

/** `resize-images` → `ResizeImagesFunction`: CloudFormation logical ids are alphanumeric. */
export function logicalIdFor(name: string): string {
  const base = name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join('') || 'Handler';
  return /^[0-9]/.test(base) ? `Fn${base}Function` : `${base}Function`;
}

const HEADER = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: Functions scaffolded by Lambda Workbench (deploy with 'sam deploy --guided').

Resources:
`;

/** The resource as YAML lines, indented as a key of `Resources` (by `indent`, nested levels by as much again). */
function resourceYaml(resource: SamResource, indent = '  '): string {
  const body = stringify({ [resource.logicalId]: definition(resource) }, { indent: indent.length, lineWidth: 0 });
  return body.split('\n').filter((l) => l.length > 0).map((l) => `${indent}${l}`).join('\n');
}

function definition(resource: SamResource): Record<string, unknown> {
  return { Type: resource.type ?? 'AWS::Serverless::Function', ...(Object.keys(resource.properties).length ? { Properties: resource.properties } : {}), ...(resource.metadata ? { Metadata: resource.metadata } : {}) };
}

/** sam's own search order for a project's template. */
export const SAM_TEMPLATE_NAMES = ['template.yaml', 'template.yml', 'template.json'] as const;

/** The template a scaffolded function is added to: the folder's template.yaml, .yml or .json, as sam finds it;
 *  template.yaml when there is none yet. */
export async function samTemplateFile(folder: string): Promise<string> {
  const files = SAM_TEMPLATE_NAMES.map((name) => join(folder, name));
  const present = await Promise.all(files.map(pathExists));
  return files.find((_, i) => present[i]) ?? files[0];
}

/** `unsupported`: a template that parses but whose layout the insertion cannot add to without rewriting it; the
 *  file is left byte for byte as it was. */
export type SamOutcome = { kind: 'created' | 'added' | 'exists'; file: string } | { kind: 'unreadable' | 'unsupported'; file: string; reason: string };

type Insertion = { text: string } | { reason: string };

/** A JSON template: jsonc-parser's edit adds the key and formats only what it inserts, indented as the file is. */
function insertJson(text: string, resource: SamResource): Insertion {
  return { text: applyEdits(text, modify(text, ['Resources', resource.logicalId], definition(resource), { formattingOptions: formattingOf(text) })) };
}

/** A YAML template: the resource's lines go at the end of the block-style `Resources:` section, at the
 *  indentation of the resources already there. */
function insertYaml(text: string, resource: SamResource): Insertion {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^(["']?)Resources\1\s*:/.test(l));
  if (start < 0) return { text: `${text.replace(/(\r?\n)*$/, eol)}${eol}Resources:${eol}${resourceYaml(resource).split('\n').join(eol)}${eol}` };
  const value = lines[start].replace(/^(["']?)Resources\1\s*:/, '').replace(/(^|\s)#.*$/, '').trim();
  if (value === '{}') lines[start] = lines[start].replace(/\s*\{\}/, '');
  else if (value.startsWith('{')) return { reason: 'its Resources are written as a flow mapping ({ … }): write them as a block (one resource per line, indented) or add the resource yourself' };
  else if (value) return { reason: `its Resources line has a value after the colon (${value}): add the resource yourself` };
  let end = start + 1;
  while (end < lines.length && (lines[end].trim() === '' || /^\s/.test(lines[end]) || lines[end].startsWith('#'))) end++;
  const indent = /^(\s+)/.exec(lines.slice(start + 1, end).find((l) => l.trim() !== '' && !l.trimStart().startsWith('#')) ?? '')?.[1] ?? '  ';
  // Back up over trailing blank lines and unindented comments (which introduce what follows) so the new resource
  // sits right after the last one, then a blank line.
  let insertAt = end;
  while (insertAt > start + 1 && (lines[insertAt - 1].trim() === '' || lines[insertAt - 1].startsWith('#'))) insertAt--;
  const block = [...(insertAt > start + 1 ? [''] : []), ...resourceYaml(resource, indent).split('\n')];
  lines.splice(insertAt, 0, ...block);
  const updated = lines.join(eol);
  return { text: updated.endsWith(eol) ? updated : `${updated}${eol}` };
}

/**
 * Adds a function resource to a SAM template by inserting text at the end of its `Resources:` section, so the
 * user's comments, ordering and short-form tags (`!Ref`, `!Sub`) stay exactly as written. Creates the template
 * when there is none; never replaces an existing resource of the same logical id. The result is parsed back before
 * it is written: a layout the insertion does not handle is reported as `unsupported`, never half-written.
 */
export async function addSamResource(file: string, resource: SamResource): Promise<SamOutcome> {
  if (!(await pathExists(file))) {
    await writeFile(file, `${HEADER}${resourceYaml(resource)}\n`);
    return { kind: 'created', file };
  }
  const text = await readFile(file, 'utf8');
  let doc: Record<string, unknown>;
  try {
    doc = parseCloudFormation(text, file);
  } catch (error) {
    return { kind: 'unreadable', file, reason: error instanceof Error ? error.message : String(error) };
  }
  const resources = doc.Resources as Record<string, unknown> | null | undefined;
  if (resources && typeof resources === 'object' && resource.logicalId in resources) return { kind: 'exists', file };
  const inserted = /^\s*\{/.test(text) ? insertJson(text, resource) : insertYaml(text, resource);
  if ('reason' in inserted) return { kind: 'unsupported', file, reason: inserted.reason };
  let after: unknown;
  try {
    after = parseCloudFormation(inserted.text, file).Resources;
  } catch {
    after = undefined;
  }
  const kept = after && typeof after === 'object' && [resource.logicalId, ...Object.keys(resources ?? {})].every((id) => id in after);
  if (!kept) return { kind: 'unsupported', file, reason: 'its Resources section is laid out in a way the resource cannot be added to without rewriting the file: add it yourself' };
  await writeFile(file, inserted.text);
  return { kind: 'added', file };
}
