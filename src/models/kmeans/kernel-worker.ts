/**
 * A K-means worker thread (see `pool.ts` and `pool-protocol.ts`): attaches to one fit's shared buffers, runs
 * chunks of each step until the main thread detaches it, then idles until the next fit.
 */
import { parentPort } from 'node:worker_threads';
import { buffersFromList, type KernelBuffers } from './buffers.js';
import { runChunk } from './kernels.js';
import { CMD_DETACH, C_CMD, C_DONE, C_ERROR, C_NEXT, C_READY, C_SEQ, type AttachMessage } from './pool-protocol.js';

let current: Int32Array | null = null;

function finishStep(control: Int32Array): void {
  Atomics.add(control, C_DONE, 1);
  Atomics.notify(control, C_DONE);
}

function serve(b: KernelBuffers, control: Int32Array): void {
  let seq = 0;
  Atomics.add(control, C_READY, 1);
  Atomics.notify(control, C_READY);
  for (;;) {
    Atomics.wait(control, C_SEQ, seq);
    seq = Atomics.load(control, C_SEQ);
    const command = Atomics.load(control, C_CMD);
    if (command === CMD_DETACH) {
      finishStep(control);
      return;
    }
    try {
      for (let c = Atomics.add(control, C_NEXT, 1); c < b.nChunks; c = Atomics.add(control, C_NEXT, 1)) runChunk(b, command, c);
    } catch {
      Atomics.store(control, C_ERROR, 1);
    }
    finishStep(control);
  }
}

parentPort?.on('message', (message: AttachMessage) => {
  const control = new Int32Array(message.control);
  current = control;
  serve(buffersFromList(message.n, message.d, message.k, message.list), control);
  current = null;
});

// A worker that dies mid-fit says so, so that the main thread does not wait for it forever.
process.on('exit', () => {
  if (current === null) return;
  Atomics.store(current, C_ERROR, 2);
  finishStep(current);
  Atomics.add(current, C_READY, 1);
  Atomics.notify(current, C_READY);
});
