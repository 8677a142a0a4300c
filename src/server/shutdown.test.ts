/**
 * Graceful shutdown: requests in flight when `close()` (SIGTERM) starts are finished and committed before the
 * database closes; new connections are refused.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { test } from 'node:test';
import { basic, inspect, startTestServer, track, TEST_KEY } from './testing.js';

test('close() drains in-flight requests: a batch whose body is still arriving is answered 200 and stored', async () => {
  const server = await startTestServer();
  const batch = Array.from({ length: 50 }, (_, i) => track({ messageId: `drain-${i}` }));
  const body = Buffer.from(JSON.stringify({ batch }));
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(`${server.url}/v1/batch`, { method: 'POST', headers: { Authorization: basic(TEST_KEY), 'Content-Type': 'application/json', 'Content-Length': body.length } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.write(body.subarray(0, 100));
    setTimeout(() => req.end(body.subarray(100)), 300);
  });
  await new Promise((r) => setTimeout(r, 100));
  const closing = server.close();
  const r = await answer;
  await closing;
  assert.equal(r.status, 200, r.text);
  assert.equal((JSON.parse(r.text) as { accepted: number }).accepted, 50);
  const refused = await new Promise<boolean>((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    socket.on('connect', () => { socket.destroy(); resolve(false); });
    socket.on('error', () => resolve(true));
  });
  assert.ok(refused, 'new connections are refused after close');
  const stored = await inspect(server.db, (store) => store.scalar<number>(`SELECT count(*) FROM events WHERE starts_with(message_id, 'drain-')`));
  assert.equal(stored, 50);
  await server.stop();
});

test('a request declaring a body far over the limit is refused at once with 400 and the connection closed', async () => {
  const server = await startTestServer();
  try {
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1');
      let out = '';
      socket.on('data', (d) => (out += d.toString()));
      socket.on('close', () => resolve(out));
      socket.on('error', reject);
      socket.write(`POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(TEST_KEY)}\r\nContent-Length: 50000000\r\n\r\n{"batch":[`);
    });
    assert.match(text, /^HTTP\/1\.1 400/);
    assert.match(text, /batch is 50,000,000 bytes; the limit is 500 KB/);
  } finally {
    await server.stop();
  }
});
