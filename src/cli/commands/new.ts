import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CatalogError } from '../../core/events/catalog';
import type { SamOutcome } from '../../core/scaffold/samResource';
import { LANGUAGES, listTemplates, scaffold, ScaffoldConflictError, ScaffoldError, type Language } from '../../core/scaffold/scaffolder';
import { UsageError, type CliCommand } from '../cliCommand';
import { parseOptions } from '../parseOptions';

/** What the "Try it" line must run first so the handler's imports resolve locally (Lambda's runtime provides the
 *  AWS SDK, so the templates list it as a development dependency), written to work in any shell. */
function installStep(functionDir: string, rel: (p: string) => string): string {
  const manifest = join(functionDir, 'package.json');
  if (existsSync(manifest)) {
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: object; devDependencies?: object };
    if (Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).length) return `npm install --prefix ${rel(functionDir)} && `;
  }
  if (existsSync(join(functionDir, 'requirements.txt'))) return `python3 -m pip install -r ${rel(join(functionDir, 'requirements.txt'))} && `;
  return '';
}

const HELP = `Usage:
  lambda-workbench new <template> --name <name> [--language python|javascript|typescript] [options]
  lambda-workbench new --list

Creates a handler from a trigger template in <dir>/<name>/: the handler, a matching saved event in events/, an
entry in .vscode/launch.json (merged, never replacing yours) and, with --sam, a resource in template.yaml.

Options:
  -n, --name <name>        function and folder name (letters, digits, '-', '_')
  -l, --language <lang>    python (default), javascript or typescript
  -d, --dir <folder>       parent folder (default: the current folder)
      --sam                add an AWS::Serverless::Function to ./template.yaml (or the .yml / .json there is;
                           created if missing)
      --no-launch          do not touch .vscode/launch.json
      --force              replace files that already exist
      --list               list the templates
`;

export const newCommand: CliCommand = {
  help: HELP,
  async run(args, io) {
    const { values: v, positionals } = parseOptions(args, {
      name: { type: 'string', short: 'n' }, language: { type: 'string', short: 'l' }, dir: { type: 'string', short: 'd' },
      sam: { type: 'boolean' }, 'no-launch': { type: 'boolean' }, force: { type: 'boolean' }, list: { type: 'boolean' },
    });
    if (v.list) {
      for (const t of listTemplates()) io.out(`${t.id.padEnd(22)} ${t.title} — ${t.description}\n`);
      return 0;
    }
    const [templateId, ...extra] = positionals;
    if (!templateId) throw new UsageError('name a template (lambda-workbench new --list shows them)');
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    if (!v.name) throw new UsageError('--name is required, e.g. --name resize-images');
    const language = ((v.language as string | undefined) ?? 'python') as Language;
    if (!LANGUAGES.some((l) => l.id === language)) throw new UsageError(`--language must be one of ${LANGUAGES.map((l) => l.id).join(', ')}`);
    const parentDir = (v.dir as string | undefined) ?? '.';
    try {
      const result = await scaffold({
        templateId, language, name: v.name as string, parentDir: resolve(io.cwd, parentDir), workspaceRoot: io.cwd,
        launchConfig: v['no-launch'] !== true, samResource: v.sam === true, overwrite: v.force === true,
      });
      const rel = (p: string): string => relative(io.cwd, p) || '.';
      io.out(`Created ${rel(result.functionDir)}/ (${result.runtime}, handler ${result.handler})\n`);
      for (const f of result.files) io.out(`  ${rel(f)}\n`);
      if (result.launch) io.out(launchMessage(result.launch.kind, rel(result.launch.file), result.launchConfig.name, 'reason' in result.launch ? result.launch.reason : undefined));
      if (result.sam) io.out(samMessage(result.sam, rel(result.sam.file)));
      io.out(`\nTry it:  ${installStep(result.functionDir, rel)}lambda-workbench invoke ${rel(result.functionDir)}/${result.handler} --event ${rel(result.eventFile)}\n`);
      return 0;
    } catch (error) {
      if (error instanceof ScaffoldConflictError) throw new UsageError(`${error.message}. Use --force to replace them.`);
      if (error instanceof ScaffoldError || error instanceof CatalogError) throw new UsageError(error.message);
      throw error;
    }
  },
};

function samMessage(sam: SamOutcome, file: string): string {
  switch (sam.kind) {
    case 'created': return `Created ${file}\n`;
    case 'added': return `Updated ${file}\n`;
    case 'exists': return `${file} already has this function's resource: left as is\n`;
    case 'unreadable': return `${file} could not be read (${sam.reason}): not changed\n`;
    default: return `${file} not changed: ${sam.reason}\n`;
  }
}

function launchMessage(kind: string, file: string, name: string, reason?: string): string {
  switch (kind) {
    case 'created': return `Created ${file} with "${name}"\n`;
    case 'added': return `Added "${name}" to ${file}\n`;
    case 'exists': return `${file} already has "${name}": left as is\n`;
    default: return `${file} could not be parsed (${reason}): not changed; add the configuration yourself\n`;
  }
}
