import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
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

function resourceYaml(resource: SamResource): string {
  const definition = { Type: resource.type ?? 'AWS::Serverless::Function', ...(Object.keys(resource.properties).length ? { Properties: resource.properties } : {}), ...(resource.metadata ? { Metadata: resource.metadata } : {}) };
  const body = stringify({ [resource.logicalId]: definition }, { indent: 2, lineWidth: 0 });
  return body.split('\n').filter((l) => l.length > 0).map((l) => `  ${l}`).join('\n');
}

export type SamOutcome = { kind: 'created' | 'added' | 'exists'; file: string } | { kind: 'unreadable'; file: string; reason: string };

/**
 * Adds a function resource to a SAM template by inserting text at the end of its `Resources:` section, so the
 * user's comments, ordering and short-form tags (`!Ref`, `!Sub`) stay exactly as written. Creates the template
 * when there is none; never replaces an existing resource of the same logical id.
 */
export function addSamResource(file: string, resource: SamResource): SamOutcome {
  if (!existsSync(file)) {
    writeFileSync(file, `${HEADER}${resourceYaml(resource)}\n`);
    return { kind: 'created', file };
  }
  const text = readFileSync(file, 'utf8');
  let doc: Record<string, unknown>;
  try {
    doc = parseCloudFormation(text, file);
  } catch (error) {
    return { kind: 'unreadable', file, reason: error instanceof Error ? error.message : String(error) };
  }
  const resources = doc.Resources as Record<string, unknown> | undefined;
  if (resources && resource.logicalId in resources) return { kind: 'exists', file };
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^Resources\s*:/.test(l));
  let updated: string;
  if (start < 0) {
    updated = `${text.replace(/\n*$/, '\n')}\nResources:\n${resourceYaml(resource)}\n`;
  } else {
    let end = start + 1;
    while (end < lines.length && (lines[end].trim() === '' || /^\s/.test(lines[end]) || lines[end].startsWith('#'))) end++;
    // Back up over trailing blank lines so the new resource sits right after the last one, then a blank line.
    let insertAt = end;
    while (insertAt > start + 1 && lines[insertAt - 1].trim() === '') insertAt--;
    const block = [...(insertAt > start + 1 ? [''] : []), ...resourceYaml(resource).split('\n')];
    lines.splice(insertAt, 0, ...block);
    updated = lines.join('\n');
  }
  writeFileSync(file, updated.endsWith('\n') ? updated : `${updated}\n`);
  return { kind: 'added', file };
}
