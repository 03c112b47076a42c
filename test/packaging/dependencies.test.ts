import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../../src/core/packageInfo';

const root = packageRoot();
/** Modules a bundled library asks for inside a try and does without: not installed, not needed. */
const optional = new Set([
  // The AWS SDK loads the CRT signer only for SigV4a (multi-region access points), which Lambda and Logs never use.
  '@aws-sdk/signature-v4-crt',
]);

describe('dependencies say what ships', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

  const vendor = readdirSync(join(root, 'artifacts', 'bundles', 'vendor')).map((file) => `vendor/${file}`);
  for (const bundle of ['extension.js', 'cli.js', 'cli-main.js', ...vendor]) {
    it(`the production ${bundle} loads nothing from node_modules at run time but what dependencies lists (and vscode)`, () => {
      const code = readFileSync(join(root, 'artifacts', 'bundles', bundle), 'utf8');
      const required = new Set([...code.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]));
      const packages = [...required].filter((name) => !name.startsWith('node:') && !name.startsWith('./') && !builtinModules.includes(name) && name !== 'vscode' && !optional.has(name));
      assert.deepEqual(packages.sort(), Object.keys(manifest.dependencies).filter((d) => packages.includes(d)).sort(), 'no devDependency is loaded at run time');
      for (const name of packages) assert.ok(name in manifest.dependencies, `${name} is loaded at run time, so it belongs in dependencies`);
    });
  }

  it('everything else is a devDependency (esbuild bundles it into dist/)', () => {
    assert.deepEqual(Object.keys(manifest.dependencies), ['esbuild']);
    assert.equal(manifest.devDependencies.esbuild, undefined);
  });
});
