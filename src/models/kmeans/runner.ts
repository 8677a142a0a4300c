/**
 * Runs a kernel command over every chunk. The single-thread runner loops in place; the worker-thread runner
 * (`pool.ts`) spreads chunks over threads on the SharedArrayBuffers of `buffers.ts` and gives the same partials.
 */
import type { KernelBuffers } from './buffers.js';
import { runChunk, type KernelCommand } from './kernels.js';

export interface ChunkRunner {
  readonly buffers: KernelBuffers;
  /** Runs `command` on all chunks and returns when every chunk is done. */
  run(command: KernelCommand): void;
  /** Releases threads, if any. */
  close(): void;
}

export function singleThreadRunner(buffers: KernelBuffers): ChunkRunner {
  return {
    buffers,
    run(command) {
      for (let c = 0; c < buffers.nChunks; c++) runChunk(buffers, command, c);
    },
    close() {},
  };
}
