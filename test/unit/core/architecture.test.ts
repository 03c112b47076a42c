import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { packageRoot } from '../../../src/core/packageInfo';

const root = packageRoot();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('Architecture: the core never needs VS Code', () => {
  it('no file under src/core imports vscode', () => {
    const offenders = sourceFiles(join(root, 'src', 'core')).filter((file) =>
      /(from\s+['"]vscode['"])|(require\(\s*['"]vscode['"]\s*\))/.test(readFileSync(file, 'utf8')));
    assert.deepEqual(offenders.map((f) => relative(root, f)), []);
  });

  it('the linter rejects a vscode import under src/core', async function () {
    this.timeout(60_000); // type-aware linting loads the whole TypeScript program once
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintText("import * as vscode from 'vscode';\nexport const x = vscode;\n", {
      filePath: join(root, 'src', 'core', 'logger.ts'),
    });
    const messages = result.messages.filter((m) => m.ruleId === 'no-restricted-imports');
    assert.equal(messages.length, 1, JSON.stringify(result.messages));
    assert.match(messages[0].message, /src\/core must not depend on VS Code/);
  });

  it('the same import outside src/core is allowed', async function () {
    this.timeout(60_000);
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintText("import * as vscode from 'vscode';\nexport const x = vscode;\n", {
      filePath: join(root, 'src', 'extension.ts'),
    });
    assert.deepEqual(result.messages.filter((m) => m.ruleId === 'no-restricted-imports'), []);
  });
});
