import { existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { RuntimeSetupError } from './interpreters';
import type { FunctionConfig } from './types';

/**
 * Layers as Lambda mounts them: each layer's content is extracted under /opt, later layers over earlier ones. A
 * local run cannot write /opt, so each layer folder stands in for it and the places Lambda's runtimes look in /opt
 * are put on the same search paths, later layers first: Node's NODE_PATH (`nodejs/node<major>/node_modules`,
 * `nodejs/node_modules`), Python's path (`python/lib/python3.<minor>/site-packages`, `python`), `bin` on PATH and
 * `lib` on LD_LIBRARY_PATH. Code that opens `/opt/...` by its literal path does not see them.
 */
export function layerSearchPaths(config: FunctionConfig): { node: string[]; python: string[]; bin: string[]; lib: string[] } {
  const layers = [...(config.layers ?? [])].reverse();
  for (const layer of layers) {
    if (!existsSync(layer) || !statSync(layer).isDirectory()) {
      throw new RuntimeSetupError(`Layer folder ${layer} does not exist. A layer is a folder laid out as its zip (nodejs/node_modules, python/, bin/...).`);
    }
  }
  const present = (path: string): boolean => existsSync(path);
  const nodeMajor = /^nodejs(\d+)/.exec(config.runtime)?.[1];
  const pythonMinor = /^python3\.(\d+)/.exec(config.runtime)?.[1];
  const node = layers.flatMap((l) => [nodeMajor ? join(l, 'nodejs', `node${nodeMajor}`, 'node_modules') : '', join(l, 'nodejs', 'node_modules')]).filter((p) => p && present(p));
  const python = layers.flatMap((l) => [pythonMinor ? join(l, 'python', 'lib', `python3.${pythonMinor}`, 'site-packages') : sitePackages(l), join(l, 'python')]).filter((p) => p && present(p));
  return { node, python, bin: layers.map((l) => join(l, 'bin')).filter(present), lib: layers.map((l) => join(l, 'lib')).filter(present) };
}

/** A layer built for some other Python minor: its one site-packages folder. */
function sitePackages(layer: string): string {
  const lib = join(layer, 'python', 'lib');
  if (!existsSync(lib)) return '';
  const version = readdirSync(lib).find((name) => /^python3\.\d+$/.test(name));
  return version ? join(lib, version, 'site-packages') : '';
}

/** The variables that point the runtime at the layers; a variable the user set themselves wins, as Lambda's
 *  bootstrap only sets NODE_PATH when it is unset. */
export function layerVariables(config: FunctionConfig, base: Readonly<Record<string, string>>): Record<string, string> {
  if (!config.layers?.length) return {};
  const paths = layerSearchPaths(config);
  const join2 = (parts: string[], existing?: string): string => [...parts, ...(existing ? [existing] : [])].join(delimiter);
  const out: Record<string, string> = {};
  if (paths.node.length && !config.environment?.NODE_PATH) out.NODE_PATH = join2(paths.node);
  if (paths.python.length && !config.environment?.PYTHONPATH) out.PYTHONPATH = join2(paths.python);
  if (paths.bin.length) out.PATH = join2(paths.bin, base.PATH);
  if (paths.lib.length) out.LD_LIBRARY_PATH = join2(paths.lib, base.LD_LIBRARY_PATH);
  return out;
}
