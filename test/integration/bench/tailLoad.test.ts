import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { LogsService } from '../../support/awsEmulator/logs';
import { AwsEmulator } from '../../support/awsEmulator/server';
import { extensionApi, workspaceRoot } from '../support/api';
import { waitFor } from '../../support/waitFor';

const RATE = 5_000;
const SECONDS = Number(process.env.LWB_BENCH_TAIL_SECONDS || 60);

/** A polling tail fed RATE events a second for SECONDS by the emulator: the document must stay within its line
 *  bound, the host's heap must stay flat, and the rate shown must match the rate sent. */
describe('Benchmark: tail under load', function () {
  this.timeout((SECONDS + 60) * 1000);

  it(`${RATE} events/s for ${SECONDS} s`, async () => {
    const logs = new LogsService();
    logs.retainMs = 15_000;
    const emulator = await AwsEmulator.start(logs);
    const config = vscode.workspace.getConfiguration('lambdaWorkbench');
    process.env.AWS_ACCESS_KEY_ID = 'AKIDTAIL';
    process.env.AWS_SECRET_ACCESS_KEY = 'tail';
    await config.update('aws.endpoint', emulator.endpoint, vscode.ConfigurationTarget.Global);
    const api = await extensionApi();
    await waitFor('credentials', async () => { await api.functions.session.reload(); return api.functions.session.hasCredentials; });
    logs.put('/aws/lambda/load', 's', 'warm-up', Date.now());
    const maxLines = config.get<number>('logs.maxLines') ?? 10_000;
    const uri = await api.logs.tails.start('/aws/lambda/load');
    const doc = await vscode.workspace.openTextDocument(uri);
    global.gc?.();
    const heapStart = process.memoryUsage().heapUsed;
    const samples: { t: number; heapMb: number; lines: number; shownRate: number }[] = [];
    let sent = 0;
    const started = Date.now();
    // Feed in 100 ms slices so the emulator's clock and the tail's see a steady stream.
    const feeder = setInterval(() => {
      const now = Date.now();
      for (let i = 0; i < RATE / 10; i++) logs.put('/aws/lambda/load', `s${i % 8}`, `event ${sent++} {"orderId":${i},"status":"ok"}`, now);
    }, 100);
    try {
      while (Date.now() - started < SECONDS * 1000) {
        await new Promise((r) => setTimeout(r, 5000));
        const running = api.logs.tails.running()[0];
        samples.push({ t: Math.round((Date.now() - started) / 1000), heapMb: process.memoryUsage().heapUsed / 1048576, lines: doc.lineCount, shownRate: running?.rate ?? 0 });
      }
    } finally {
      clearInterval(feeder);
    }
    const received = api.logs.tails.running()[0]?.events ?? 0;
    api.logs.tails.stop(uri);
    await config.update('aws.endpoint', undefined, vscode.ConfigurationTarget.Global);
    await emulator.close();
    const dir = join(workspaceRoot(), '..', '..', '..', 'test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bench-tail.json'), JSON.stringify({ rate: RATE, seconds: SECONDS, sent, received, maxLines, heapStartMb: heapStart / 1048576, samples }, null, 2));
  });
});
