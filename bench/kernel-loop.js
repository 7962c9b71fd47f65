// A second yardstick of npm run bench: acksim's own kernel (src/sim/kernel.ts) with nothing modelled. Ten event
// kinds, each handler scheduling one event of the next kind a pseudo-random delay later, 1,000 pending; so each
// event costs what the kernel costs (a pop, a call through the handler table with six payload fields, a push) and
// nothing else. The bare loop (bare-loop.js) pays neither the call nor the payload: the model can never reach more
// of the bare loop's speed than this loop does.
import { Kernel } from '../dist/sim/kernel.js';
import { xorshift } from './bare-loop.js';

/** Runs `events` events through a kernel with no-op handlers; returns the seconds they took. */
export function kernelLoop(events, pending = 1000) {
  const kernel = new Kernel([], pending);
  const random = xorshift();
  for (let kind = 0; kind < 10; kind++) kernel.on(kind, (a) => kernel.after(random() * 100, (kind + 1) % 10, a + 1));
  for (let i = 0; i < pending; i++) kernel.after(random() * 100, i % 10, i);
  const started = performance.now();
  kernel.run({ horizonMs: Infinity, maxEvents: events });
  return { seconds: (performance.now() - started) / 1000 };
}
