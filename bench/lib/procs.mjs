// Child processes the bench starts: spawned in their own process group so everything they start can be stopped.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const live = new Set();

/** A free TCP port on 127.0.0.1 (asked of the OS, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a long-running child in its own process group; keeps the last output for error messages. */
export function startChild(command, args, options) {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => { output = (output + chunk.toString('utf8')).slice(-8000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => { live.delete(child); resolve({ code, signal }); }));
  child.once('error', (error) => { keep(`spawn error: ${error.message}`); });
  live.add(child);
  return { child, exited, output: () => output };
}

/** Stops a child's whole process group: SIGTERM, then SIGKILL after graceMs. */
export async function stopChild({ child, exited }, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  signalGroup(child, 'SIGKILL'); // grandchildren that ignored SIGTERM
}

function signalGroup(child, signal) {
  try { process.kill(-child.pid, signal); } catch { /* already gone */ }
}

/** Last resort on exit: kill every group still running. */
export function killAllChildren() {
  for (const child of live) signalGroup(child, 'SIGKILL');
}

/** Spawns a command, waits for it to exit 0, and returns its wall time in ms (spawn to exit) and stdout. */
export function timeRun(command, args, { timeoutMs = 20_000, env } = {}) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL', env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const ms = performance.now() - start;
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`${command} exited ${code ?? signal}: ${stderr.slice(-500)}`));
    });
  });
}

/** Runs a command and returns its trimmed stdout. */
export async function capture(command, args) {
  return (await timeRun(command, args)).stdout.trim();
}
