/**
 * Worker thread of `fitRandomForestParallel`: runs the shared tree loop on the job in `workerData` and posts each
 * tree's arrays back, then `done`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { GrownTree } from './cart.js';
import { growFromCounter, type ForestJob, type TreeMessage } from './forest-job.js';

const port = parentPort!;
growFromCounter(workerData as ForestJob, (t, g) => {
  const tree: Omit<GrownTree, 'leafOf'> = {
    nodeCount: g.nodeCount, feature: g.feature, threshold: g.threshold, left: g.left, right: g.right, value: g.value,
    stride: g.stride, impurity: g.impurity, nNodeSamples: g.nNodeSamples, weightedNNodeSamples: g.weightedNNodeSamples,
  };
  port.postMessage({ kind: 'tree', t, tree } satisfies TreeMessage);
});
port.postMessage({ kind: 'done' } satisfies TreeMessage);
