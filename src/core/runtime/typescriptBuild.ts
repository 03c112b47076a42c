import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { ensurePrivateDir, userCacheDir } from '../userCache';
import { pathExists } from '../pathExists';
import { entryPointsBuilding } from '../project/esbuildEntryPoints';
import { loadEsbuild } from './esbuildLoader';

export interface CompiledHandler {
  /** The JavaScript file the Node bootstrap loads instead of `<module>.js`. */
  readonly file: string;
  /** Whether this call rebuilt it (false when every input was unchanged). */
  readonly rebuilt: boolean;
}

/** Where compiled handlers go: inside the project's node_modules/.cache (so `require('dep')` resolves from the
 *  compiled file exactly as from the source), else a per-project folder in the user's own cache folder, private
 *  to them (0700, see privateCacheRoot): a shared, predictable /tmp path would let another local user plant the
 *  JavaScript that runs. */
export function cacheDir(codeDir: string): string {
  const modules = join(codeDir, 'node_modules');
  if (existsSync(modules)) return join(modules, '.cache', 'lambda-workbench', 'ts');
  return join(privateCacheRoot(), createHash('sha1').update(codeDir).digest('hex').slice(0, 16));
}

function privateCacheRoot(): string {
  return userCacheDir('ts');
}

async function ensurePrivateRoot(): Promise<void> {
  await ensurePrivateDir(privateCacheRoot());
}

interface Stamp { inputs: Record<string, number> }

/** Whether every input of the last build is unchanged (checked with async stats: this runs on the editor's thread). */
async function upToDate(stampFile: string, root: string): Promise<boolean> {
  try {
    const stamp = JSON.parse(await readFile(stampFile, 'utf8')) as Stamp;
    const checks = await Promise.all(Object.entries(stamp.inputs).map(async ([input, mtime]) => (await stat(resolve(root, input))).mtimeMs === mtime));
    return checks.every(Boolean);
  } catch {
    return false; // no stamp yet, or an input is gone
  }
}

/** Finds `<module>.ts` (or .mts/.cts/.tsx) for a handler's module path; else the esbuild entry point SAM would
 *  build into that module (see esbuildEntryPoints.ts); or undefined. */
export async function typeScriptSource(codeDir: string, modulePath: string, entryPoints: readonly string[] = []): Promise<string | undefined> {
  for (const ext of ['.ts', '.mts', '.cts', '.tsx']) {
    const candidate = resolve(codeDir, modulePath + ext);
    if (await pathExists(candidate)) return candidate;
  }
  const wanted = modulePath.split(sep).join('/');
  const inside = entryPoints.filter((e) => /\.[cm]?tsx?$/.test(e) && !e.split(/[\\/]/).includes('..'));
  const [entry] = entryPointsBuilding(wanted, inside);
  return entry && await pathExists(resolve(codeDir, entry)) ? resolve(codeDir, entry) : undefined;
}

/** Whether a TypeScript source is an ES module: `.mts`, or in a package whose nearest package.json says
 *  "type": "module" (as Node decides for the `.js` it becomes). `.cts` is always CommonJS. */
export async function isModuleSource(source: string): Promise<boolean> {
  if (source.endsWith('.mts')) return true;
  if (source.endsWith('.cts')) return false;
  for (let dir = dirname(source); ; dir = dirname(dir)) {
    if (basename(dir) === 'node_modules') return false;
    const manifest = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (manifest !== undefined) {
      try { return (JSON.parse(manifest) as { type?: string }).type === 'module'; } catch { return false; }
    }
    if (dirname(dir) === dir) return false;
  }
}

/** Transpiles a TypeScript handler with esbuild into JavaScript with a source map — an ES module (`.mjs`, so
 *  top-level await and import.meta work) when the source is one, else CommonJS — (so stack traces and breakpoints
 *  point at `.ts` lines), bundling the project's own files and leaving packages external. Rebuilt only when an
 *  input file changed. esbuild is loaded on first use: most runs never need it. */
export function compileTypeScriptHandler(codeDir: string, modulePath: string, source: string, nodeVersion: string): Promise<CompiledHandler> {
  // One build at a time: each stops esbuild's service process afterwards so no helper process outlives the run.
  const run = queue.then(() => build(codeDir, modulePath, source, nodeVersion));
  queue = run.catch(() => undefined);
  return run;
}

let queue: Promise<unknown> = Promise.resolve();

async function build(codeDir: string, modulePath: string, source: string, nodeVersion: string): Promise<CompiledHandler> {
  const outDir = cacheDir(codeDir);
  if (!outDir.includes(`${sep}node_modules${sep}`)) await ensurePrivateRoot();
  const esm = await isModuleSource(source);
  const file = join(outDir, `${modulePath}${esm ? '.mjs' : '.js'}`);
  const stampFile = `${file}.inputs.json`;
  if (await pathExists(file) && await upToDate(stampFile, outDir)) return { file, rebuilt: false };
  const esbuild = await loadEsbuild(codeDir);
  await mkdir(dirname(file), { recursive: true });
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [source],
      outfile: file,
      absWorkingDir: codeDir,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: esm ? 'esm' : 'cjs',
      target: `node${nodeVersion.split('.')[0]}`,
      sourcemap: 'linked',
      sourceRoot: undefined,
      metafile: true,
      logLevel: 'silent',
      keepNames: true,
    });
  } catch (error) {
    const failure = error as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] };
    const first = failure.errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : '';
    const message = first ? `${where}${first.text}` : String(error);
    throw Object.assign(new Error(message), { name: 'TypeScriptBuildError' });
  } finally {
    await esbuild.stop();
  }
  const inputs: Record<string, number> = {};
  await Promise.all(Object.keys(result.metafile.inputs).map(async (input) => {
    const abs = resolve(codeDir, input);
    inputs[abs] = (await stat(abs)).mtimeMs;
  }));
  await writeFile(stampFile, JSON.stringify({ inputs } satisfies Stamp));
  return { file, rebuilt: true };
}
