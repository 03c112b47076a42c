import * as esbuild from 'esbuild';
const entry = process.argv[2];
const r = await esbuild.build({ entryPoints: [entry], bundle: true, format: 'cjs', platform: 'node', target: 'node20', external: ['vscode','esbuild'], mainFields: ['module','main'], metafile: true, write: false, minify: false, logLevel: 'error' });
const groups = {};
for (const [f, i] of Object.entries(r.metafile.inputs)) {
  let g = f.startsWith('node_modules/') ? f.split('/').slice(1, f.split('/')[1].startsWith('@') ? 3 : 2).join('/') : f.split('/').slice(0, 3).join('/');
  if (g.startsWith('@smithy') ) g='@smithy/*'; if (g.startsWith('@aws-sdk')) g = '@aws-sdk/*'; if (g.startsWith('@aws-crypto')) g='@aws-crypto/*';
  groups[g] = (groups[g] || 0) + i.bytes;
}
for (const [g, b] of Object.entries(groups).sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((b / 1024).toFixed(0).padStart(6), g);
