// A minimal Invoke API client on node:http with keep-alive, so the numbers measure the server, not an SDK.
import http from 'node:http';
import { summarize } from './stats.mjs';

export function createClient(maxSockets) {
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  /** POSTs `body` and resolves with { status, text }; rejects on a socket error or after timeoutMs. */
  function post(url, body, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
      const req = http.request(url, {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no response from ${url} within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
  return { post, close: () => agent.destroy() };
}

/** Checks a response carries the fixture handler's result for event n. */
export function checkResponse(response, n) {
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${response.text.slice(0, 300)}`);
  const payload = JSON.parse(response.text);
  const body = JSON.parse(payload.body);
  if (payload.statusCode !== 200 || body.ok !== true || body.n !== n) throw new Error(`unexpected payload ${response.text.slice(0, 300)}`);
}

/**
 * `clients` concurrent loops, each sending `perClient` invocations one after another (after `warmup` unmeasured ones
 * each). Returns the latency summary of every measured call.
 */
export async function loadTest(url, { clients, perClient, warmup, afterWarmup }) {
  const client = createClient(clients);
  try {
    const call = async (n) => checkResponse(await client.post(url, JSON.stringify({ n })), n);
    const loop = async (id, count, samples) => {
      for (let i = 0; i < count; i++) {
        const n = id * 1_000_000 + i;
        const start = performance.now();
        await call(n);
        samples?.push(performance.now() - start);
      }
    };
    const ids = Array.from({ length: clients }, (_, i) => i);
    await Promise.all(ids.map((id) => loop(id, warmup)));
    await afterWarmup?.();
    const samples = [];
    const start = performance.now();
    await Promise.all(ids.map((id) => loop(id, perClient, samples)));
    const elapsed = performance.now() - start;
    return { ...summarize(samples), throughput: samples.length / (elapsed / 1000) };
  } finally {
    client.close();
  }
}

/**
 * `clients` concurrent loops of GET requests to an API route (after `warmup` unmeasured ones each); every answer must
 * be 200 with the fixture handler's body. Returns the latency summary and requests per second.
 */
export async function routeLoad(url, { clients, perClient, warmup }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients });
  const get = () => new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: 10_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200 || !text.includes('"ok":true')) reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
        else resolve(text);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no response from ${url}`)));
    req.on('error', reject);
  });
  try {
    const loop = async (count, samples) => {
      for (let i = 0; i < count; i++) {
        const start = performance.now();
        await get();
        samples?.push(performance.now() - start);
      }
    };
    const ids = Array.from({ length: clients }, (_, i) => i);
    await Promise.all(ids.map(() => loop(warmup)));
    const samples = [];
    const start = performance.now();
    await Promise.all(ids.map(() => loop(perClient, samples)));
    return { ...summarize(samples), throughput: samples.length / ((performance.now() - start) / 1000) };
  } finally {
    agent.destroy();
  }
}
