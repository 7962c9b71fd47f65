// A transaction of the handler's store (handler.ts): its writes wait in it, read back through it, and are handed
// over as one commit when its function returns, or when the promise it returned fulfils.
import type { HandlerTransaction } from './handler-types.js';
import { copyOf, isThenable } from './handler-values.js';

/** A transaction's writes by key: a value, or undefined for a delete. */
export type Writes = Map<string, { value: unknown } | undefined>;

/** Runs `fn` on a transaction over `data`, then hands its writes to `commit`; returns what `fn` returned. */
export function transacted<T>(
  data: Map<string, unknown>,
  fn: (tx: HandlerTransaction) => T,
  commit: (writes: Writes) => void,
): T {
  const writes: Writes = new Map();
  const tx: HandlerTransaction = {
    get: (key) => {
      const written = writes.get(String(key));
      return writes.has(String(key)) ? copyOf(written?.value) : copyOf(data.get(String(key)));
    },
    set: (key, value) => void writes.set(String(key), { value: copyOf(value) }),
    delete: (key) => void writes.set(String(key), undefined),
  };
  const result = fn(tx);
  if (!isThenable(result)) {
    commit(writes);
    return result;
  }
  const committed = Promise.resolve(result).then((value) => {
    commit(writes);
    return value;
  });
  // Observed here too: a handler that does not await it must not end the process with acksim's crash.
  committed.catch(() => undefined);
  return committed as T;
}

/** Applies a transaction's writes to `data`. */
export function applied(data: Map<string, unknown>, writes: Writes): void {
  for (const [key, write] of writes)
    if (write === undefined) data.delete(key);
    else data.set(key, write.value);
}
