import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a generated workspace holds: the handlers discovery must list, and how many files it wrote. */
export interface LargeWorkspace {
  readonly files: number;
  /** Ids of the handlers that must show (`scan:<relative path>:<export>` relative to the workspace root). */
  readonly handlerIds: string[];
  /** Relative folders holding handler-shaped files discovery must skip (node_modules, dist, .venv, files.exclude). */
  readonly excludedFolders: string[];
  /** A folder name to put in `files.exclude` (`**\/<name>`), which holds handlers too. */
  readonly filesExcludeName: string;
}

/**
 * A monorepo-sized project under `dir/<prefix>`: `packages` packages of plain modules with one handler each, plus
 * handler-shaped files in folders discovery must not enter. `files` is the total number of files written.
 */
export function generateLargeWorkspace(dir: string, options: { prefix?: string; files?: number; packages?: number } = {}): LargeWorkspace {
  const prefix = options.prefix ?? 'generated-10k';
  const total = options.files ?? 10_000;
  const packages = options.packages ?? 100;
  const filesExcludeName = 'generated-skip';
  const excludedFolders = ['node_modules/left-pad', 'dist', '.venv/lib', filesExcludeName].map((f) => `${prefix}/${f}`);
  let written = 0;
  const write = (rel: string, text: string): void => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
    written++;
  };
  const handlerIds: string[] = [];
  for (let p = 0; p < packages; p++) {
    const pkg = `${prefix}/packages/pkg-${String(p).padStart(3, '0')}`;
    if (p % 2 === 0) {
      write(`${pkg}/handler.py`, 'import json\n\n\ndef lambda_handler(event, context):\n    return {"statusCode": 200, "body": json.dumps(event)}\n');
      handlerIds.push(`scan:${pkg}/handler.py:lambda_handler`);
    } else {
      write(`${pkg}/src/index.mjs`, "import { helper } from './lib/util-0.mjs';\n\nexport const handler = async (event) => helper(event);\n");
      handlerIds.push(`scan:${pkg}/src/index.mjs:handler`);
    }
  }
  for (const folder of excludedFolders) {
    for (let i = 0; i < 10; i++) write(`${folder}/h${i}.js`, 'exports.handler = async () => "must not be listed";\n');
  }
  const plain = total - written;
  for (let i = 0; i < plain; i++) {
    const pkg = `${prefix}/packages/pkg-${String(i % packages).padStart(3, '0')}`;
    const kind = i % 4;
    if (kind === 0) write(`${pkg}/src/lib/util-${i}.mjs`, `export const helper = (x) => ({ x, n: ${i} });\n// ${'lorem ipsum '.repeat(40)}\n`);
    else if (kind === 1) write(`${pkg}/src/lib/model_${i}.py`, `class Model${i}:\n    def run(self, value):\n        return value * ${i}\n`);
    else if (kind === 2) write(`${pkg}/src/types/t${i}.ts`, `export interface T${i} { readonly id: string; readonly n: ${i} }\n`);
    else write(`${pkg}/assets/data-${i}.txt`, `not source ${i}\n`);
  }
  return { files: written, handlerIds, excludedFolders, filesExcludeName };
}
