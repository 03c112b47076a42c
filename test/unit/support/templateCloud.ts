import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../../src/core/localApi/localCloud';
import type { AccessEntry } from '../../../src/core/localApi/localApiServer';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import { waitForNoChildren } from './runtimeFixtures';

/** A template's local cloud in a folder of its own, for one describe block. */
export interface TemplateCloud {
  readonly dir: string;
  readonly cloud: LocalCloud;
  /** Every access line the API wrote, in order. */
  readonly access: AccessEntry[];
  /** `GET` (or `init`) on the API's address. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Stops the cloud and its functions, removes the folder, and checks no runtime process is left. */
  close(): Promise<void>;
}

/**
 * Writes `files` (relative path → text; `template.yaml` among them) into a new temporary folder and serves that
 * template on free ports, without hot reload unless `options` (or a function of the folder giving them) asks.
 */
type Options = Partial<Omit<LocalCloudOptions, 'lambda'>>;
export async function templateCloud(files: Record<string, string>, given: Options | ((dir: string) => Options) = {}): Promise<TemplateCloud> {
  const dir = mkdtempSync(join(tmpdir(), 'lwb-cloud-'));
  const options = typeof given === 'function' ? given(dir) : given;
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const access: AccessEntry[] = [];
  const lambda = new LocalLambda();
  let cloud: LocalCloud;
  try {
    cloud = await startLocalCloud({
      template: join(dir, 'template.yaml'), port: 0, invokePort: 0, hotReload: false, ...options,
      target: { cwd: dir, ...options.target }, lambda, onAccess: (e) => { access.push(e); options.onAccess?.(e); },
    });
  } catch (error) {
    await lambda.dispose();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir, cloud, access,
    fetch: (path, init) => fetch(`${cloud.api.url}${path}`, init),
    close: async () => {
      await cloud.close();
      await lambda.dispose();
      rmSync(dir, { recursive: true, force: true });
      assert.deepEqual(await waitForNoChildren(), []);
    },
  };
}
