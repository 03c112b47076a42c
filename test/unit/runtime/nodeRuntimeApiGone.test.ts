import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { packageRoot } from '../../../src/core/packageInfo';
import { fixtures, noneLeft, processesWith } from '../support/runtimeFixtures';

// The Node runtime when its Runtime API connection closes (the runner died: a SIGKILL'd CLI never stops its
// environments): it kills its own process group, so neither it nor what its handler started lives on.
describe('Node runtime: the Runtime API gone', function () {
  if (process.platform !== 'linux') return; // the walk reads /proc
  this.timeout(20_000);
  let server: Server | undefined;
  let runtime: ChildProcess | undefined;
  afterEach(() => {
    server?.close();
    if (runtime?.pid !== undefined) {
      try { process.kill(-runtime.pid, 'SIGKILL'); } catch { /* gone already */ }
    }
  });

  it('kills itself and the handler\'s child when the connection closes mid-invocation', async () => {
    const mark = `mark-${randomUUID()}`;
    let connection: Socket | undefined;
    // A Runtime API of one answer: the invocation, to the first GET /next.
    server = createServer((socket) => {
      connection = socket;
      let head = '';
      socket.on('data', (chunk) => {
        head += chunk.toString('latin1');
        if (!head.includes('GET /2018-06-01/runtime/invocation/next') || !head.includes('\r\n\r\n')) return;
        head = '';
        socket.write(`HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: ${randomUUID()}\r\nLambda-Runtime-Deadline-Ms: ${Date.now() + 60_000}\r\n`
          + 'Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:123456789012:function:gone\r\nContent-Length: 2\r\n\r\n{}');
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    runtime = spawn(process.execPath, [join(packageRoot(), 'assets', 'runtime', 'node', 'bootstrap.js')], {
      detached: true, stdio: 'ignore',
      env: {
        PATH: process.env.PATH, LWB_TEST_MARK: mark, AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        _HANDLER: 'handlers.spawnAndHang', LAMBDA_TASK_ROOT: join(fixtures, 'node-fidelity'),
      },
    });
    // The runtime and its handler's `sleep` (both carry the mark in their environment).
    while (processesWith(mark).length < 2) await new Promise((r) => setTimeout(r, 20));
    assert.ok(processesWith(mark).includes(runtime.pid!));
    connection!.destroy();
    assert.deepEqual(await noneLeft(mark, 5000), [], 'the runtime and its child are gone');
  });
});
