// Bundles the extension, the CLI and the webview pages with esbuild (cjs, node, `vscode` external) and prints bundle sizes from the
// metafile. `--production` minifies and drops source maps (used by `npm run package`, `vsce package` and `npm pack`);
// `--outdir DIR` writes elsewhere than dist/; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';
import { vendorEntry, vendorSplit } from './vendorSplit.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdir = process.argv.includes('--outdir') ? process.argv[process.argv.indexOf('--outdir') + 1] : 'dist';

const options = {
  // dist/cli.js is the small entry that turns Node's compile cache on, then loads dist/cli-main.js (src/cli/bin.ts).
  entryPoints: { cli: 'src/cli/bin.ts', 'cli-main': 'src/cli/main.ts' },
  outdir,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // esbuild ships a native binary per platform: it is loaded from node_modules at run time, never bundled.
  external: ['vscode', 'esbuild', './cli-main.js'],
  // Prefer ES module entry points: some packages' "main" is a UMD build whose dynamic requires a bundle cannot
  // follow (jsonc-parser's './impl/format').
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
  // import() of what is not bundled (esbuild, node:http in the SDK) becomes require: the same module either way,
  // and the CLI's code cache on Node 20 compiles our files as vm scripts, which cannot import() there (codeCache.ts).
  supported: { 'dynamic-import': false },
};

// The extension and the CLI: the AWS SDK, yaml, jsonc-parser and jose in one file each under dist/vendor/ (shared by
// both), loaded on first use (vendorSplit.mjs), so activation and `invoke` never compile the SDK.
const vendorUsed = new Map();
options.plugins = [vendorSplit(vendorUsed)];

const extensionOptions = {
  ...options,
  entryPoints: { extension: 'src/extension.ts' },
  // Its first line: when its code began to run (src/output/startupTiming.ts reads it for the activation bench).
  // The thread's CPU time beside it where Node has it (22+ lacks it before 23.9): a busy machine stretches wall time.
  banner: { js: '"use strict"; var __lwbBundleStarted = performance.now(), __lwbBundleStartedCpu = process.threadCpuUsage?.();' },
  // …and its last: where its top level ended (the rest until activate() is the host's own work).
  footer: { js: 'var __lwbBundleEnded = performance.now(), __lwbBundleEndedCpu = process.threadCpuUsage?.();' },
};

function buildVendor() {
  return Promise.all([...vendorUsed].map(([group, specifiers]) => esbuild.build({
    ...options,
    plugins: [],
    entryPoints: undefined,
    stdin: { contents: vendorEntry(specifiers), resolveDir: process.cwd(), sourcefile: `vendor-${group}.js`, loader: 'js' },
    outfile: `${outdir}/vendor/${group}.js`,
    outdir: undefined,
  })));
}

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
    plugins: [...options.plugins, {
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
  const extensionCtx = await esbuild.context(extensionOptions);
  // The vendor files change only with the dependencies: written once per watch session, after both bundles have
  // said which packages they import (and before the first build reports finished, which F5's task waits for).
  await Promise.all([extensionCtx.rebuild(), esbuild.build({ ...options, plugins: [vendorSplit(vendorUsed)], write: false })]);
  await buildVendor();
  await ctx.watch();
  await extensionCtx.watch();
  await esbuild.context(webviewOptions).then((c) => c.watch());
} else {
  rmSync(outdir, { recursive: true, force: true });
  const [extension, result, webview] = await Promise.all([esbuild.build(extensionOptions), esbuild.build(options), esbuild.build(webviewOptions)]);
  const vendor = await buildVendor();
  console.log(`built ${production ? 'production' : 'development'} bundles:`);
  printSizes(extension.metafile);
  printSizes(result.metafile);
  for (const v of vendor) printSizes(v.metafile);
  printSizes(webview.metafile);
}
