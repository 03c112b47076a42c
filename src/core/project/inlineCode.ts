import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDir, userCacheDir } from '../userCache';
import { runtimeFamily } from '../runtime/types';

/**
 * A template function whose code is in the template (SAM's `InlineCode`, CloudFormation's `Code.ZipFile`) gets a
 * code folder of its own in the user's private cache, holding the file Lambda makes of it: `index.py` for Python,
 * `index.js` for Node.js (so its Handler is `index.<function>`, as on Lambda). The folder is named by the code's
 * hash, so an edited template is new code in a new folder (a cold start), and the user's project gets no file.
 * Resolves with the folder.
 */
export async function inlineCodeFolder(text: string, runtime: string): Promise<string> {
  const file = runtimeFamily(runtime) === 'python' ? 'index.py' : 'index.js';
  const dir = join(userCacheDir('inline-code'), createHash('sha256').update(file).update('\0').update(text).digest('hex').slice(0, 24));
  await ensurePrivateDir(dir);
  const target = join(dir, file);
  if (await readFile(target, 'utf8').catch(() => undefined) !== text) {
    // Written aside then renamed: a run starting in another process never reads half a file.
    const aside = `${target}.${process.pid}.tmp`;
    await writeFile(aside, text, { mode: 0o600 });
    await rename(aside, target);
  }
  return dir;
}
