// The yardstick of npm run bench: a bare discrete-event loop on typed arrays, with nothing simulated. A
// binary min-heap of (time, sequence) keys holds `pending` events; each pop pushes one new event a
// pseudo-random delay later (xorshift), so the heap stays that deep. The model's events per second over
// this loop's is the share of the machine the model gets out of a loop that only queues events.

/** A pseudo-random number in [0, 1) at each call (xorshift32): the delays of both yardsticks. */
export function xorshift() {
  let state = 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

export function bareLoop(events, pending = 1000) {
  const times = new Float64Array(pending + 1);
  const seqs = new Float64Array(pending + 1);
  const heap = new Int32Array(pending + 1);
  let size = 0;
  let seq = 0;
  const random = xorshift();
  const before = (x, y) => times[x] < times[y] || (times[x] === times[y] && seqs[x] < seqs[y]);
  const push = (slot, time) => {
    times[slot] = time;
    seqs[slot] = seq++;
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(slot, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = slot;
  };
  const popInto = () => {
    const top = heap[0];
    const last = heap[--size];
    let i = 0;
    const half = size >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      if (child + 1 < size && before(heap[child + 1], heap[child])) child++;
      if (!before(heap[child], last)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
    return top;
  };
  for (let slot = 0; slot < pending; slot++) push(slot, random() * 100);
  let now = 0;
  const started = performance.now();
  for (let n = 0; n < events; n++) {
    const slot = popInto();
    now = times[slot];
    push(slot, now + random() * 100);
  }
  return { seconds: (performance.now() - started) / 1000, now };
}

// As a process of its own (`node bench/bare-loop.js <events>`), for the whole-process ratio of bench/run.js.
if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const { now } = bareLoop(Number(process.argv[2]));
  process.stdout.write(`${now}\n`);
}
