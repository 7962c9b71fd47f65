// Every wait on the network is bounded: a broker that accepts a connection and never answers must
// end the run with one clear line, not hang it past its --timeout.

/** The longest wait for one answer of the broker (connecting, a command), in real ms. */
export const NETWORK_WAIT_MS = 10_000;

/** Thrown when the broker did not answer in time. */
export class NoAnswerError extends Error {}

/**
 * `work`, or a NoAnswerError after `ms` naming `what` waited for. A result that comes too late is
 * handed to `discard` (to close a connection opened after all), and a late failure is ignored.
 */
export async function within<T>(work: Promise<T>, ms: number, what: string, discard?: (late: T) => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let late = false;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      late = true;
      reject(
        new NoAnswerError(
          `no answer to ${what} within ${Math.round(ms / 100) / 10} s (is the broker there and answering?)`,
        ),
      );
    }, ms);
  });
  work.then(
    (value) => late && discard?.(value),
    () => undefined,
  );
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
