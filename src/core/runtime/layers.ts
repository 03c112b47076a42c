import { readdir, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { RuntimeSetupError } from './interpreters';
import type { FunctionConfig } from './types';
import { pathExists } from '../pathExists';

/** The search paths of a function's layers, later layers first (see layerVariables). */
export interface LayerPaths {
  readonly node: string[];
  readonly python: string[];
  readonly bin: string[];
  readonly lib: string[];
}


/**
 * Layers as Lambda mounts them: each layer's content is extracted under /opt, later layers over earlier ones. A
 * local run cannot write /opt, so each layer folder stands in for it and the places Lambda's runtimes look in /opt
 * are put on the same search paths, later layers first: Node's NODE_PATH (`nodejs/node<major>/node_modules`,
 * `nodejs/node_modules`), Python's path (`python/lib/python3.<minor>/site-packages`, `python`), `bin` on PATH and
 * `lib` on LD_LIBRARY_PATH. Code that opens `/opt/...` by its literal path does not see them. Async: it runs on
 * the extension host when an environment starts.
 */
export async function layerSearchPaths(config: FunctionConfig): Promise<LayerPaths> {
  const layers = [...(config.layers ?? [])].reverse();
  for (const layer of layers) {
    if (!(await stat(layer).then((s) => s.isDirectory(), () => false))) {
      throw new RuntimeSetupError(`Layer folder ${layer} does not exist. A layer is a folder laid out as its zip (nodejs/node_modules, python/, bin/...).`);
    }
  }
  const present = async (paths: string[]): Promise<string[]> => {
    const found = await Promise.all(paths.map(async (p) => (p && (await pathExists(p)) ? p : '')));
    return found.filter(Boolean);
  };
  const nodeMajor = /^nodejs(\d+)/.exec(config.runtime)?.[1];
  const pythonMinor = /^python3\.(\d+)/.exec(config.runtime)?.[1];
  const sites = await Promise.all(layers.map((l) => (pythonMinor ? join(l, 'python', 'lib', `python3.${pythonMinor}`, 'site-packages') : sitePackages(l))));
  return {
    node: await present(layers.flatMap((l) => [nodeMajor ? join(l, 'nodejs', `node${nodeMajor}`, 'node_modules') : '', join(l, 'nodejs', 'node_modules')])),
    python: await present(layers.flatMap((l, i) => [sites[i]!, join(l, 'python')])),
    bin: await present(layers.map((l) => join(l, 'bin'))),
    lib: await present(layers.map((l) => join(l, 'lib'))),
  };
}

/** A layer built for some other Python minor: its one site-packages folder. */
async function sitePackages(layer: string): Promise<string> {
  const names = await readdir(join(layer, 'python', 'lib')).catch(() => [] as string[]);
  const version = names.find((name) => /^python3\.\d+$/.test(name));
  return version ? join(layer, 'python', 'lib', version, 'site-packages') : '';
}

/** The variables that point the runtime at the layers (NODE_PATH is the launch plan's: it joins other paths); a
 *  variable the user set themselves wins, as Lambda's bootstrap only sets NODE_PATH when it is unset. */
export function layerVariables(config: FunctionConfig, paths: LayerPaths, hostPath: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (paths.python.length && !config.environment?.PYTHONPATH) out.PYTHONPATH = paths.python.join(delimiter);
  if (paths.bin.length) out.PATH = [...paths.bin, ...(hostPath ? [hostPath] : [])].join(delimiter);
  if (paths.lib.length) out.LD_LIBRARY_PATH = paths.lib.join(delimiter);
  return out;
}
