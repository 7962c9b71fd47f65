// Small pieces the commands share: where output goes, and flag parsers.
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
