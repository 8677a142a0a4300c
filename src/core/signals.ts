/**
 * Waiting for the operator to stop a long-running command (`serve`, `dashboard`): resolves on the first SIGINT or
 * SIGTERM and removes its handlers, so a second signal gets Node's default behaviour (exit) during shutdown.
 */
export function untilStopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
