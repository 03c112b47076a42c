import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEsbuild } from '../runtime/esbuildLoader';
import { nodeHandlerParts } from '../runtime/handlerName';
import { isModuleSource, typeScriptSource } from '../runtime/typescriptBuild';
import type { FunctionConfig } from '../runtime/types';
import { zipFolder } from './codeZip';

/**
 * The deployment package of a local function: its code folder zipped as is, or — for a TypeScript handler, which
 * Lambda cannot run — one esbuild bundle of it (dependencies included, the AWS SDK v3 left to the runtime, which
 * provides it), with its source map so stack traces on Lambda point at `.ts` lines too.
 */
export async function packageFunction(config: FunctionConfig): Promise<{ zip: Buffer; handler: string; note?: string }> {
  const { modulePath } = nodeHandlerParts(config.handler);
  const source = config.runtime.startsWith('nodejs') ? typeScriptSource(config.codeDir, modulePath) : undefined;
  if (!source) return { zip: zipFolder(config.codeDir), handler: config.handler };
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
    return { zip: zipFolder(out), handler: config.handler, note: `bundled ${source} with esbuild` };
  } finally {
    await esbuild.stop();
    rmSync(out, { recursive: true, force: true });
  }
}
