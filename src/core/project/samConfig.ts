import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** The samconfig sections a local command reads, as `sam local invoke`, `start-api` and `start-lambda` read theirs. */
export type SamCommand = 'local_invoke' | 'local_start_api' | 'local_start_lambda';

/** A template's parameter values: `Key=Value` pairs or CloudFormation's `ParameterKey=Key,ParameterValue=Value`,
 *  separated by spaces (a value may be quoted: `Name="a b"`), one string or a list, as sam's --parameter-overrides
 *  takes them. A pair without `=` is an error that names it. */
export function parseParameterOverrides(value: string | readonly string[]): Record<string, string> {
  const text = Array.isArray(value) ? value.join(' ') : String(value);
  const tokens = text.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
  const out: Record<string, string> = {};
  const unquote = (s: string): string => s.replace(/^"(.*)"$|^'(.*)'$/s, (_, a: string | undefined, b: string | undefined) => a ?? b ?? '');
  for (const token of tokens) {
    const cfn = /^ParameterKey=([^,]+),ParameterValue=(.*)$/s.exec(token);
    const eq = token.indexOf('=');
    if (cfn) out[cfn[1]] = unquote(cfn[2]);
    else if (eq > 0) out[token.slice(0, eq)] = unquote(token.slice(eq + 1));
    else throw new Error(`'${token}' is no parameter override: write Name=Value (or ParameterKey=Name,ParameterValue=Value).`);
  }
  return out;
}

type Section = Record<string, unknown> | undefined;

/** The names sam looks for beside the template, in its order. */
export const SAM_CONFIG_FILES = ['samconfig.toml', 'samconfig.yaml', 'samconfig.yml'] as const;

async function readSamConfig(folder: string): Promise<{ file: string; doc: Record<string, unknown> } | undefined> {
  for (const name of SAM_CONFIG_FILES) {
    const file = join(folder, name);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    try {
      const doc = name.endsWith('.toml') ? (await import('smol-toml')).parse(text) : parseYaml(text);
      return { file, doc: (doc ?? {}) as Record<string, unknown> };
    } catch (error) {
      throw new Error(`${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return undefined;
}

/** The `parameter_overrides` of the template folder's samconfig (samconfig.toml, .yaml or .yml) for `environment`:
 *  its `global` section's, then the command's own over them. None when there is no samconfig. */
export async function samConfigParameters(templateFile: string, command: SamCommand, environment = 'default'): Promise<Record<string, string>> {
  const config = await readSamConfig(dirname(templateFile));
  const env = config?.doc[environment] as Record<string, Section> | undefined;
  const overrides = (section: Section): Record<string, string> => {
    const params = section?.parameters as Record<string, unknown> | undefined;
    const value = params?.parameter_overrides;
    if (value === undefined) return {};
    try {
      return parseParameterOverrides(Array.isArray(value) ? value.map(String) : String(value));
    } catch (error) {
      throw new Error(`${config!.file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return { ...overrides(env?.global), ...overrides(env?.[command]) };
}
