/**
 * Server-Sent Events for segment changes (`GET /v1/stream/segments`): each change (live RFM and live K-means, told
 * apart by `kind`) is one event named `segment entered` or `segment exited` with the change as JSON data and an
 * increasing id. A comment line every
 * 15 s keeps proxies from closing an idle stream. Streams end when the server shuts down.
 */
import type { ServerResponse } from 'node:http';
import type { SegmentChange, SegmentChangeSource } from './segment-changes.js';

const HEARTBEAT_MS = 15_000;

export class SegmentStreams {
  private readonly open = new Set<ServerResponse>();
  private nextId = 1;

  constructor(...sources: readonly SegmentChangeSource[]) {
    for (const source of sources) source.subscribe((change) => this.broadcast(change));
  }

  /** Starts a stream on `res`; it stays open until the client leaves or the server stops. */
  attach(res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write(': segment changes\nretry: 2000\n\n');
    this.open.add(res);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    res.on('close', () => {
      clearInterval(heartbeat);
      this.open.delete(res);
    });
  }

  get size(): number {
    return this.open.size;
  }

  closeAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }

  private broadcast(change: SegmentChange): void {
    const frame = `id: ${this.nextId++}\nevent: segment ${change.change}\ndata: ${JSON.stringify(change)}\n\n`;
    for (const res of this.open) res.write(frame);
  }
}
