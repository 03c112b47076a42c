import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEsbuild } from '../runtime/esbuildLoader';
import { nodeHandlerParts } from '../runtime/handlerName';
import { isModuleSource, typeScriptSource } from '../runtime/typescriptBuild';
import { deployableRuntime, deployRuntimeNotice } from '../runtime/runtimeSchedule';
import type { FunctionConfig } from '../runtime/types';
import { zipFolder } from './codeZip';
import type { DeployRequest } from './lambdaFunctions';

/**
 * The deployment package of a local function: its code folder zipped as is, or — for a TypeScript handler, which
 * Lambda cannot run — one esbuild bundle of it (dependencies included, the AWS SDK v3 left to the runtime, which
 * provides it), with its source map so stack traces on Lambda point at `.ts` lines too.
 */
export async function packageFunction(config: FunctionConfig, options: { signal?: AbortSignal } = {}): Promise<{ zip: Buffer; handler: string; note?: string }> {
  const { modulePath } = nodeHandlerParts(config.handler);
  // A SAM esbuild function's entry point too, bundled under the module its Handler names, as sam build lays it out.
  const source = config.runtime.startsWith('nodejs') ? await typeScriptSource(config.codeDir, modulePath, config.entryPoints) : undefined;
  if (!source) return { zip: await zipFolder(config.codeDir, options), handler: config.handler };
  const esbuild = await loadEsbuild(config.codeDir);
  const out = mkdtempSync(join(tmpdir(), 'lwb-deploy-'));
  // An ES module stays one (top-level await, import.meta), as `.mjs` so Lambda loads it as ESM whatever the
  // package.json; bundled CommonJS dependencies get a `require` to call.
  const esm = await isModuleSource(source);
  try {
    await esbuild.build({
      entryPoints: [source], outfile: join(out, `${modulePath}${esm ? '.mjs' : '.js'}`), bundle: true, platform: 'node', format: esm ? 'esm' : 'cjs',
      banner: esm ? { js: "import { createRequire as __lwbCreateRequire } from 'node:module'; const require = __lwbCreateRequire(import.meta.url);" } : undefined,
      target: `node${config.runtime.replace(/^nodejs(\d+).*$/, '$1')}`, sourcemap: true, external: ['@aws-sdk/*'], logLevel: 'silent',
    });
    return { zip: await zipFolder(out, options), handler: config.handler, note: `bundled ${source} with esbuild` };
  } finally {
    await esbuild.stop();
    rmSync(out, { recursive: true, force: true });
  }
}

/** The environment a deploy sends: what the template declares, plus the local `.env` / `--env-file` values only when
 *  the user chose to upload them (they are often secrets meant for this machine). */
export function deployEnvironment(config: FunctionConfig, includeLocal: boolean): Record<string, string> {
  return { ...(config.declaredEnvironment ?? config.environment), ...(includeLocal ? config.localEnvironment : {}) };
}

/** The runtime a deploy sends: the declared one as it is; one inferred from the local interpreter, the nearest that
 *  Lambda still accepts for new functions (local Node.js 20 runs as nodejs20.x, which it refuses since 2026-08-31),
 *  with a line saying so. */
export function deployRuntime(config: FunctionConfig, today?: Date): { runtime: string; notice?: string } {
  if (!config.runtimeInferred) return { runtime: config.runtime };
  const runtime = deployableRuntime(config.runtime, today);
  return { runtime, notice: deployRuntimeNotice(config.runtime, runtime) };
}

/** What a deploy of `config`'s package sends (the CLI's `functions deploy` and the editor's Deploy Handler alike):
 *  the runtime as deployRuntime chooses it, with its notice, and the variables as deployEnvironment picks them; the
 *  role is each deploy attempt's own. */
export function deployRequest(config: FunctionConfig, pkg: { zip: Uint8Array; handler: string }, name: string, includeLocal: boolean): { request: DeployRequest; notice?: string } {
  const { runtime, notice } = deployRuntime(config);
  return {
    notice,
    request: {
      name, zip: pkg.zip, runtime, handler: pkg.handler, memorySize: config.memorySize, timeout: config.timeout, architecture: config.architecture,
      environment: deployEnvironment(config, includeLocal), runtimeInferred: config.runtimeInferred,
    },
  };
}

/** A value shown in a prompt or a log without giving it away: its first two characters at most, then dots. */
export function maskValue(value: string): string {
  return value.length <= 4 ? '••••' : `${value.slice(0, 2)}••••`;
}
