import * as assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { createLambdaClient, createLogsClient } from '../../../src/core/aws/awsContext';
import { AwsProblemError } from '../../../src/core/aws/awsErrors';
import { listFunctionsPage } from '../../../src/core/aws/lambdaFunctions';
import { pollTail } from '../../../src/core/logs/pollingTail';

describe('AWS calls never hang: an endpoint that accepts and never answers', function () {
  this.timeout(20_000);
  let server: Server;
  const sockets = new Set<Socket>();
  let endpoint = '';

  before(async () => {
    server = createServer((socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => { for (const s of sockets) s.destroy(); server.close(); });

  const ctx = () => ({ region: 'us-east-1', endpoint, maxAttempts: 1, requestTimeoutMs: 500, env: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' } });

  it('functions list fails with a clear "could not reach" message instead of waiting forever', async () => {
    const client = createLambdaClient(ctx());
    try {
      await assert.rejects(listFunctionsPage(client), (e: AwsProblemError) => e.problem.kind === 'unreachable' && /Could not reach AWS/.test(e.message));
    } finally {
      client.destroy();
    }
  });

  it('a tail says it cannot reach the endpoint and keeps retrying (it never blocks on one request)', async () => {
    const client = createLogsClient(ctx());
    const controller = new AbortController();
    const statuses: string[] = [];
    try {
      await pollTail({ client, logGroup: '/aws/lambda/x', signal: controller.signal, onEvents: () => undefined, sleep: async () => { if (statuses.length >= 2) controller.abort(); },
        onStatus: (s) => statuses.push(`${s.kind}: ${s.message}`) });
      assert.equal(statuses.length, 2);
      for (const s of statuses) assert.match(s, /^error: Could not reach AWS .* Retrying$/);
    } finally {
      client.destroy();
    }
  });
});
