// Bundles the extension, the CLI and the webview pages with esbuild (cjs, node, `vscode` external) and prints bundle sizes from the
// metafile. `--production` minifies and drops source maps (used by `npm run package`, `vsce package` and `npm pack`);
// `--outdir DIR` writes elsewhere than dist/; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdir = process.argv.includes('--outdir') ? process.argv[process.argv.indexOf('--outdir') + 1] : 'dist';

const options = {
  entryPoints: { extension: 'src/extension.ts', cli: 'src/cli/main.ts' },
  outdir,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // esbuild ships a native binary per platform: it is loaded from node_modules at run time, never bundled.
  external: ['vscode', 'esbuild'],
  // Prefer ES module entry points: some packages' "main" is a UMD build whose dynamic requires a bundle cannot
  // follow (jsonc-parser's './impl/format').
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
};

// The webview pages (browser code): one script and one style sheet each, loaded by the panel under a strict CSP and
// inlined into `lambda-workbench insights --html` reports.
const webviewOptions = {
  entryPoints: { insights: 'src/webview/insights/main.ts' },
  outdir: `${outdir}/webview`,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'chrome120',
  sourcemap: false,
  minify: true,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
};

function printSizes(metafile) {
  for (const [file, info] of Object.entries(metafile.outputs)) {
    if (file.endsWith('.map')) continue;
    console.log(`  ${file.padEnd(24)} ${(info.bytes / 1024).toFixed(1).padStart(8)} KiB`);
  }
}

if (watch) {
  const ctx = await esbuild.context({
    ...options,
    // The start/finish lines are what .vscode/tasks.json's background problem matcher waits for before F5 launches.
    plugins: [{
      name: 'report',
      setup: (b) => {
        b.onStart(() => console.log('[watch] build started'));
        b.onEnd((r) => {
          for (const e of r.errors) console.log(`✘ [ERROR] ${e.text} (${e.location?.file}:${e.location?.line})`);
          if (r.metafile) printSizes(r.metafile);
          console.log('[watch] build finished');
        });
      },
    }],
  });
  await ctx.watch();
  await (await esbuild.context(webviewOptions)).watch();
} else {
  rmSync(outdir, { recursive: true, force: true });
  const [result, webview] = await Promise.all([esbuild.build(options), esbuild.build(webviewOptions)]);
  console.log(`built ${production ? 'production' : 'development'} bundles:`);
  printSizes(result.metafile);
  printSizes(webview.metafile);
}
