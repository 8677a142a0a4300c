/**
 * A progress bar on stderr for long commands. Silent when stderr is not a terminal (CI, pipes) or when
 * `--json` asked for machine output, so scripts never see it.
 */
export interface Progress {
  /** Sets the completed amount (same unit as `total`). */
  update(done: number, detail?: string): void;
  /** Moves to a new phase with its own total. */
  phase(label: string, total: number): void;
  done(): void;
}

export const silentProgress: Progress = { update() {}, phase() {}, done() {} };

export function createProgress(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || !stream.isTTY) return silentProgress;
  let label = '';
  let total = 1;
  let lastDraw = 0;
  const start = Date.now();
  const draw = (done: number, detail = ''): void => {
    const now = Date.now();
    if (now - lastDraw < 100 && done < total) return;
    lastDraw = now;
    const width = 28;
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(fraction * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const secs = ((now - start) / 1000).toFixed(1);
    stream.write(`\r\x1b[2K${label.padEnd(18)} ${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${secs}s ${detail}`);
  };
  return {
    update: draw,
    phase(newLabel, newTotal) {
      if (label) stream.write('\n');
      label = newLabel;
      total = newTotal;
      lastDraw = 0;
      draw(0);
    },
    done() {
      if (label) stream.write('\n');
      label = '';
    },
  };
}
