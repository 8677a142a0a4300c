/**
 * Runs the server as a child process (for the crash test and the bench): `main.js` (or `main.ts` under tsx, with
 * this process's loader flags) on a loopback port; resolves once it logs `listening`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  readonly process: ChildProcess;
  readonly url: string;
  /** Sends `signal` and waits for the exit. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

export async function startServerProcess(db: string, args: readonly string[]): Promise<ServerProcess> {
  const here = fileURLToPath(import.meta.url);
  const entry = fileURLToPath(new URL(`./main${extname(here)}`, import.meta.url));
  const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--test'));
  const child = spawn(process.execPath, [...execArgv, entry, '--db', db, '--port', '0', '--host', '127.0.0.1', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return listening(child, (line) => {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    return entry.msg === 'listening' ? entry.url : undefined;
  });
}

/** Resolves when `parse` finds the URL in a stdout line of `child`; rejects if the child exits first. */
export function listening(child: ChildProcess, parse: (line: string) => string | undefined): Promise<ServerProcess> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const stop = (signal: NodeJS.Signals): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`server exited before listening (code ${code}): ${stderr.trim()}`));
    child.once('exit', onExit);
    lines.on('line', (line) => {
      let url: string | undefined;
      try {
        url = parse(line);
      } catch {
        return;
      }
      if (url) {
        child.off('exit', onExit);
        resolve({ process: child, url, stop });
      }
    });
  });
}
