/**
 * What the K-means main thread and its worker threads share: one small Int32Array of control words on a
 * SharedArrayBuffer, driven with Atomics (no messages per step), plus the message that attaches a worker to the
 * buffers of one fit.
 *
 * A step: the main thread resets NEXT and DONE, writes the command, bumps SEQ and notifies; every thread (the
 * main one too) takes chunk indices from NEXT with Atomics.add until they run out; each worker then adds 1 to
 * DONE. Which thread ran a chunk does not matter: each chunk writes only its own partial results.
 */
import type { BufferList } from './buffers.js';

/** Step counter; workers wait on it. */
export const C_SEQ = 0;
/** Command of the current step (a kernel command, or `CMD_DETACH`). */
export const C_CMD = 1;
/** Next chunk to take. */
export const C_NEXT = 2;
/** Workers finished with the current step; the main thread waits on it. */
export const C_DONE = 3;
/** Workers attached to this fit. */
export const C_READY = 4;
/** Set to 1 by a worker whose kernel threw, 2 by a worker that is exiting. */
export const C_ERROR = 5;
export const CONTROL_LENGTH = 8;

/** Leave the fit: the worker stops waiting and returns to its event loop, idle. */
export const CMD_DETACH = -1;

/** Sent to a worker to attach it to one fit's buffers (see `buffersFromList`). */
export interface AttachMessage {
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly list: BufferList;
  readonly control: SharedArrayBuffer;
}
