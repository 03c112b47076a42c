import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeWithResponseStreamCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { packageRoot } from '../../../src/core/packageInfo';
import { startInvokeApi, type InvokeApi } from '../../../src/core/runtime/invokeApiServer';
import { HTTP_INTEGRATION_CONTENT_TYPE } from '../../../src/core/runtime/streamedResponse';
import { Environment } from '../../../src/core/runtime/environment';
import type { FunctionConfig } from '../../../src/core/runtime/types';
import { fixtures, suiteLambda } from '../support/runtimeFixtures';

const streaming = (handler: string, extra: Partial<FunctionConfig> = {}): FunctionConfig => ({
  name: `stream-${handler}`, runtime: 'nodejs22.x', handler: `handlers.${handler}`, codeDir: join(fixtures, 'node-streaming'), ...extra,
});
/** A file the streaming fixture waits for: the test creates it once the first chunk has reached it. */
const ackFile = (): string => join(mkdtempSync(join(tmpdir(), 'lwb-ack-')), 'ack');

describe('Response streaming', function () {
  this.timeout(30_000);
  const lambda = suiteLambda();

  describe('through the local runtime', () => {
    it('hands each chunk over as it is written, before the handler returns; objects are written as JSON', async () => {
      const ack = ackFile();
      const chunks: string[] = [];
      const r = await lambda.invoke(streaming('chunks'), JSON.stringify({ ack }), {
        onResponseChunk: (chunk) => {
          chunks.push(chunk.toString());
          if (chunks.length === 1) writeFileSync(ack, ''); // the handler is still waiting for this
        },
      });
      assert.equal(r.error, undefined, r.payload);
      assert.equal(r.streamed, true);
      assert.equal(r.payload, 'first second {"third":true}');
      assert.equal(chunks[0], 'first ');
      assert.equal(r.contentType, 'application/octet-stream');
    });

    it('Max Memory Used counts what the handler used after its first chunk (the peak goes in the upload\'s trailers)', async () => {
      // No sampling by the runner within the call: the figure is the runtime's own report.
      const env = new Environment(streaming('growsWhileStreaming', { memorySize: 512 }), { memoryPollMs: 600_000 });
      try {
        const r = await env.invoke('{}');
        assert.equal(r.payload, 'start done');
        assert.ok(r.maxMemoryUsedMb >= 100, `Max Memory Used: ${r.maxMemoryUsedMb} MB`);
      } finally {
        env.kill();
        await env.closed;
      }
    });

    it('HttpResponseStream.from starts the body with the JSON prelude and 8 NUL bytes', async () => {
      const r = await lambda.invoke(streaming('http'), '{}');
      assert.equal(r.contentType, HTTP_INTEGRATION_CONTENT_TYPE);
      const nul = r.payload.indexOf('\0'.repeat(8));
      assert.deepEqual(JSON.parse(r.payload.slice(0, nul)), { statusCode: 201, headers: { 'x-kind': 'streamed' }, cookies: ['a=1'] });
      assert.equal(r.payload.slice(nul + 8), '<p>hello</p>');
    });

    it('an error mid-stream is the invocation\'s error (from the trailers), after the chunks already sent', async () => {
      const chunks: string[] = [];
      const r = await lambda.invoke(streaming('errorMidStream'), '{}', { onResponseChunk: (c) => chunks.push(c.toString()) });
      assert.deepEqual(chunks, ['partial']);
      assert.equal(r.functionError, 'Unhandled');
      assert.equal(r.error?.errorType, 'TypeError');
      assert.equal(r.error?.errorMessage, 'broke mid-stream');
      assert.ok(r.logs.some((l) => l.includes('\tERROR\tInvoke Error \t') && l.includes('broke mid-stream')));
    });

    it('writing after end() fails that write only; the response stands', async () => {
      const r = await lambda.invoke(streaming('writeAfterEnd'), '{}');
      assert.equal(r.error, undefined);
      assert.equal(r.payload, 'all of it');
      const again = await lambda.invoke(streaming('writeAfterEnd'), '{}');
      assert.equal(again.coldStart, false, 'the environment kept working');
    });

    it('a stream never ended before the timeout is Task timed out, and nothing is left running', async () => {
      const r = await lambda.invoke(streaming('neverEnds', { timeout: 1 }), '{}');
      assert.equal(r.timedOut, true);
      assert.equal(r.error?.errorType, 'Sandbox.Timedout');
    });

    it('a non-async streaming handler and one that returns without ending fail as AWS\'s client fails them', async () => {
      const sync = await lambda.invoke(streaming('notAsync'), '{}');
      assert.deepEqual([sync.error?.errorType, sync.error?.errorMessage], ['string', 'Streaming does not support non-async handlers.']);
      const open = await lambda.invoke(streaming('notEnded'), '{}');
      assert.deepEqual([open.error?.errorType, open.error?.errorMessage], ['string', 'Response stream is not finished.']);
    });

    it('the Runtime API takes the streaming mode from any runtime: a custom runtime streaming by hand', async () => {
      const chunks: string[] = [];
      const r = await lambda.invoke({ name: 'custom-streaming', runtime: 'provided.al2023', handler: 'x.y', codeDir: join(fixtures, 'custom-streaming') }, '{}',
        { onResponseChunk: (c) => chunks.push(c.toString()) });
      assert.equal(r.payload, 'custom stream');
      assert.equal(r.contentType, 'text/plain');
      assert.deepEqual(chunks, ['custom ', 'stream']);
    });
  });

  describe('InvokeWithResponseStream through @aws-sdk/client-lambda', () => {
    let api: InvokeApi;
    let client: LambdaClient;
    before(async () => {
      const functions = new Map(['chunks', 'errorMidStream', 'http'].map((h) => [h, { ...streaming(h), name: h }]));
      functions.set('buffered', { name: 'buffered', runtime: 'nodejs22.x', handler: 'handlers.echo', codeDir: join(fixtures, 'node') });
      api = await startInvokeApi({ lambda, functions, port: 0 });
      client = new LambdaClient({ endpoint: api.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' }, maxAttempts: 1 });
    });
    after(async () => {
      client.destroy();
      await api.close();
    });

    const collect = async (name: string, payload: unknown, onChunk?: (text: string) => void) => {
      const out = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), LogType: 'Tail' }));
      const chunks: string[] = [];
      let complete: { ErrorCode?: string; ErrorDetails?: string; LogResult?: string } | undefined;
      for await (const event of out.EventStream!) {
        if (event.PayloadChunk?.Payload) {
          const text = Buffer.from(event.PayloadChunk.Payload).toString();
          chunks.push(text);
          onChunk?.(text);
        }
        if (event.InvokeComplete) complete = event.InvokeComplete;
      }
      return { out, chunks, complete };
    };

    it('PayloadChunk events arrive as the function writes (the first before it returns), then InvokeComplete with the log tail', async () => {
      const ack = ackFile();
      const { out, chunks, complete } = await collect('chunks', { ack }, (text) => { if (text === 'first ') writeFileSync(ack, ''); });
      assert.equal(out.StatusCode, 200);
      assert.equal(out.ResponseStreamContentType, 'application/octet-stream');
      assert.equal(chunks.join(''), 'first second {"third":true}');
      assert.equal(complete?.ErrorCode, undefined);
      assert.match(Buffer.from(complete?.LogResult ?? '', 'base64').toString(), /REPORT RequestId: /);
    });

    it('an error mid-stream ends with InvokeComplete carrying ErrorCode and ErrorDetails', async () => {
      const { chunks, complete } = await collect('errorMidStream', {});
      assert.deepEqual(chunks, ['partial']);
      assert.equal(complete?.ErrorCode, 'TypeError');
      assert.equal(complete?.ErrorDetails, 'broke mid-stream');
    });

    it('an HTTP-integration stream keeps its content type; a buffered function comes as one chunk', async () => {
      const http = await collect('http', {});
      assert.equal(http.out.ResponseStreamContentType, HTTP_INTEGRATION_CONTENT_TYPE);
      const buffered = await collect('buffered', { a: 1 });
      assert.equal(buffered.chunks.length, 1);
      assert.equal(buffered.out.ResponseStreamContentType, 'application/json');
    });
  });

  it('the CLI prints chunks as they arrive (the handler waits for the first to be seen on stdout)', async () => {
    const ack = ackFile();
    const child = spawn(process.execPath, [join(packageRoot(), 'dist', 'cli.js'), 'invoke', join(fixtures, 'node-streaming', 'handlers.chunks'),
      '--runtime', 'nodejs22.x', '--event', JSON.stringify({ ack })], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('first ')) writeFileSync(ack, '');
    });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, err);
    assert.equal(out, 'first second {"third":true}\n');
  });
});
