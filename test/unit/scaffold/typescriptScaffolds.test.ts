import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';
import { packageRoot } from '../../../src/core/packageInfo';
import { listTemplates, scaffold } from '../../../src/core/scaffold/scaffolder';

/**
 * Every TypeScript template type-checks as written once the packages its own package.json lists are installed:
 * scaffolded outside this repository (so nothing resolves from our node_modules by accident), with exactly those
 * packages linked in (standing in for `npm install`, which the editor offers after New Handler), checked with
 * the scaffold's own tsconfig.json.
 */
describe('TypeScript scaffolds type-check with only their declared packages', function () {
  this.timeout(120_000);
  const parent = mkdtempSync(join(tmpdir(), 'lwb-ts-scaffold-'));
  after(() => rmSync(parent, { recursive: true, force: true }));

  for (const template of listTemplates()) {
    it(template.id, async () => {
      const result = await scaffold({ templateId: template.id, language: 'typescript', name: `ts-${template.id}`, parentDir: parent, workspaceRoot: parent, samResource: false, launchConfig: false });
      const manifest = JSON.parse(readFileSync(join(result.functionDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
      const declared = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
      assert.ok(declared.includes('@types/aws-lambda') && declared.includes('@types/node'), `${template.id} declares the Lambda and Node types: ${declared.join(', ')}`);
      for (const name of declared) {
        const installed = join(packageRoot(), 'node_modules', name);
        assert.ok(existsSync(installed), `${name} (declared by ${template.id}) is one of the repository's packages, so the test can stand in for npm install`);
        const target = join(result.functionDir, 'node_modules', name);
        mkdirSync(dirname(target), { recursive: true });
        symlinkSync(installed, target, 'dir');
      }
      const configFile = ts.readConfigFile(join(result.functionDir, 'tsconfig.json'), (p) => ts.sys.readFile(p));
      const config = ts.parseJsonConfigFileContent(configFile.config, ts.sys, result.functionDir);
      const program = ts.createProgram(config.fileNames, config.options);
      const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      assert.deepEqual(problems, [], `${template.id} type-checks`);
    });
  }
});
