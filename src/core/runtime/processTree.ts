import { execFile, spawn } from 'node:child_process';
import { access, readdir, readFile } from 'node:fs/promises';

/**
 * An environment is a process tree we own: its runtime starts in a process group of its own (POSIX: spawned
 * detached, so the group id is its pid), and killing the environment kills every process in that tree.
 *
 * What each platform guarantees:
 * - Linux: the group, plus every descendant found by walking /proc at kill time (each process's children lists,
 *   or every process's parent id where the kernel has no such lists) — so a child that left the group
 *   (`setsid`, `detached: true`) dies too while its ancestors still link it to the runtime.
 * - macOS: the group, plus descendants by parent id from `ps`.
 * - Windows: `taskkill /T`, which follows parent ids as well.
 * A descendant whose parent already exited was re-parented to init and can no longer be told apart (only a
 * subreaper or a cgroup could, which Node cannot set up without native code).
 */

/** Parent id of every process, from /proc (Linux) or `ps` (macOS and other POSIX). */
async function parentIds(): Promise<Map<number, number>> {
  const parents = new Map<number, number>();
  if (process.platform === 'linux') {
    const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
    await Promise.all(pids.map(async (pid) => {
      try {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
        // The command name (field 2) may hold spaces and parentheses: the fields after its last ')' are fixed.
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        parents.set(Number(pid), ppid);
      } catch { /* exited meanwhile */ }
    }));
    return parents;
  }
  const out = await new Promise<string>((resolve) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid='], (error, stdout) => resolve(error ? '' : stdout));
  });
  for (const line of out.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid && ppid !== undefined) parents.set(pid, ppid);
  }
  return parents;
}

/** Whether this kernel lists each thread's children (/proc/<pid>/task/<tid>/children, CONFIG_PROC_CHILDREN): then
 *  a walk reads the tree's own files, not every process's (a desktop runs hundreds: a scan took 5–9 ms with 72). */
let childLists: Promise<boolean> | undefined;
const hasChildLists = (): Promise<boolean> => (childLists ??= access(`/proc/${process.pid}/task/${process.pid}/children`).then(() => true, () => false));

/** A process's children, from its threads' lists (a child belongs to the thread that forked it). */
async function childrenOf(pid: number): Promise<number[]> {
  let threads: string[];
  try { threads = await readdir(`/proc/${pid}/task`); } catch { return []; }
  const lists = await Promise.all(threads.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '')));
  return lists.flatMap((list) => list.split(' ').filter(Boolean).map(Number));
}

/** Every descendant of `root` (not `root` itself), children before grandchildren. */
async function descendants(root: number): Promise<number[]> {
  if (process.platform === 'linux' && await hasChildLists()) {
    const found: number[] = [];
    for (let level = [root]; level.length;) {
      level = (await Promise.all(level.map(childrenOf))).flat();
      found.push(...level);
    }
    return found;
  }
  const parents = await parentIds();
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(pid, sig); } catch { /* gone, or not ours */ }
}

/** Kills the process tree rooted at `pid` (the leader of its own group on POSIX). Resolves once the signals are
 *  sent; the processes' exits are observed by whoever waits on them. */
export async function killProcessTree(pid: number): Promise<void> {
  if (process.platform === 'win32') {
    await new Promise<void>((resolve) => {
      const taskkill = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
      taskkill.once('error', () => resolve());
      taskkill.once('exit', () => resolve());
    });
    return;
  }
  // Walk first, while every ancestor still links a process that left the group to the runtime (a walk is a few
  // milliseconds); then the group and those stragglers.
  const tree = await descendants(pid).catch(() => []);
  signal(-pid, 'SIGKILL');
  signal(pid, 'SIGKILL');
  for (const child of tree) signal(child, 'SIGKILL');
}
