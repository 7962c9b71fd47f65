// Small pieces the commands share: where output goes, and flag parsers.
import { setMaxListeners } from 'node:events';
import { UsageError } from '../errors.js';

/** Where a command writes; the real process streams in production, buffers in tests. */
export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** A commander parser for an integer flag within [min, max]. */
export function integer(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new UsageError(`${flag} ${value}: not an integer in ${min}..${max}`);
    }
    return n;
  };
}

/** A commander collector for repeatable, comma-separated values. */
export function list(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  ];
}

/** A commander parser for --shard i/n (1 <= i <= n). */
export function shardOption(value: string): [number, number] {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count || count > 100000) {
    throw new UsageError(`--shard ${value}: not i/n with 1 <= i <= n (e.g. 2/4)`);
  }
  return [index, count];
}

/** An abort signal raised by Ctrl-C (SIGINT) until `release` is called. */
export function interruptSignal(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  // Every pending task of the worker pool listens to it.
  setMaxListeners(0, controller.signal);
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);
  return { signal: controller.signal, release: () => void process.off('SIGINT', onInterrupt) };
}
