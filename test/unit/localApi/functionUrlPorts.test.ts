import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud } from '../../../src/core/localApi/localCloud';
import { LocalLambda } from '../../../src/core/runtime/localLambda';
import { waitForNoChildren } from '../support/runtimeFixtures';

const listen = (port: number): Promise<Server | undefined> => new Promise((resolve) => {
  const server = createServer();
  server.once('error', () => resolve(undefined));
  server.listen(port, '127.0.0.1', () => resolve(server));
});
const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

/** A port with the four after it free too (asked of the OS, then released). */
async function freeRun(): Promise<number> {
  for (;;) {
    const first = await listen(0);
    const base = (first!.address() as { port: number }).port;
    await close(first!);
    if (base > 65530) continue;
    const held = await Promise.all([0, 1, 2, 3, 4].map((i) => listen(base + i)));
    await Promise.all(held.filter((s): s is Server => s !== undefined).map(close));
    if (held.every(Boolean)) return base;
  }
}

describe('local API: function URLs keep their addresses from one start to the next', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lwb-url-ports-'));
    writeFileSync(join(dir, 'app.js'), "exports.handler = async () => ({ statusCode: 200, body: process.env.AWS_LAMBDA_FUNCTION_NAME });");
    const fn = (name: string): string => `  ${name}:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, CodeUri: ., Handler: app.handler, FunctionName: ${name.toLowerCase()}, FunctionUrlConfig: { AuthType: NONE } }
`;
    writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\nResources:\n${fn('Orders')}${fn('Payments')}`);
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(await waitForNoChildren(), []);
  });

  async function start(port: number): Promise<{ urls: string[]; answers: string[] }> {
    const lambda = new LocalLambda();
    const cloud = await startLocalCloud({ template: join(dir, 'template.yaml'), lambda, port, target: { cwd: dir }, hotReload: false });
    try {
      const urls = ['Orders', 'Payments'].map((id) => cloud.api.functionUrls.get(id)!);
      assert.equal(cloud.invoke.url, `http://127.0.0.1:${port + 1}`);
      assert.deepEqual(cloud.routes.map((r) => r.url.replace(/\/$/, '')), urls, 'the banner shows the ports taken');
      const answers = await Promise.all(urls.map(async (url) => (await fetch(`${url}/x`)).text()));
      return { urls, answers };
    } finally {
      await cloud.close();
      await lambda.dispose();
    }
  }

  it('the ports after the Invoke API, in the template\'s order; one taken by another program is skipped', async () => {
    const port = await freeRun();
    const first = await start(port);
    assert.deepEqual(first.urls, [`http://127.0.0.1:${port + 2}`, `http://127.0.0.1:${port + 3}`]);
    assert.deepEqual(first.answers, ['orders', 'payments']);
    assert.deepEqual((await start(port)).urls, first.urls, 'the same addresses at the next start');
    const squatter = await listen(port + 2);
    try {
      const moved = await start(port);
      assert.deepEqual(moved.urls, [`http://127.0.0.1:${port + 3}`, `http://127.0.0.1:${port + 4}`]);
      assert.deepEqual(moved.answers, ['orders', 'payments']);
    } finally {
      await close(squatter!);
    }
  });
});
