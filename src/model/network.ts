// The four one-way links. Each transmission is dropped, delivered, or delivered twice, by one keyed
// choice; each copy gets its own keyed latency, so reordering comes from latency jitter alone.
import { Site } from '../sim/choice.js';
import { sampler, type Sampler } from '../sim/distribution.js';
import { LINKS, type LinkName, type SimulationConfig } from './config.js';
import { EXTEND } from './broker.js';
import { Ev, type FaultCounters, type World } from './world.js';

/** Link indexes, which are also their fate sites. */
export const Link = { publish: 0, confirm: 1, deliver: 2, ack: 3 } as const;

const LATENCY_SITE_OFFSET = Site.publishLatency - Site.publishFate;

interface LinkRuntime {
  /** [fault-free, drop, duplicate] probabilities. */
  outcomes: readonly number[];
  faultFree: boolean;
  latency: Sampler;
  partitions: Array<[number, number]>;
  lostKey: keyof FaultCounters;
  duplicatedKey: keyof FaultCounters;
  partitionedKey: keyof FaultCounters;
}

/** Moves transmissions between actors through the configured links. */
/** The kernel as `transmit` uses it: any event kind, six numbers. */
interface AnyKindKernel {
  after(delayMs: number, kind: number, a: number, b: number, c: number, d: number, e: number, f: number): void;
}

export class Network {
  private readonly links: LinkRuntime[];
  /** When the last copy of the latest transmission arrives (now, if it was dropped). */
  lastArrivalMs = 0;

  constructor(private readonly world: World) {
    this.links = linksOf(world.config);
  }

  /** True while a scheduled partition cuts the link. */
  partitioned(link: number, timeMs: number): boolean {
    for (const [from, to] of this.links[link]!.partitions) {
      if (timeMs >= from && timeMs < to) return true;
    }
    return false;
  }

  /** Latency of one copy of a transmission keyed by (a, b, c, copy). */
  latency(link: number, a: number, b: number, c: number, copy: number): number {
    const runtime = this.links[link]!;
    if (runtime.latency.constant) return runtime.latency.mean;
    return runtime.latency.sample(this.world.choices, LATENCY_SITE_OFFSET + link, a, b, c * 2 + copy);
  }

  /** The producer sends publish `attempt` of message m. Returns the copies sent (0 dropped, 1, or 2 duplicated). */
  publish(m: number, attempt: number): number {
    return this.transmit(Link.publish, m, attempt, 0, Ev.publishArrive, -1, m, attempt, 0, 0, 0);
  }

  /** The broker confirms (`rejected` 0) or rejects publish `attempt` of message m, answering its copy `copy`. */
  confirm(m: number, attempt: number, copy: number, rejected: number): number {
    return this.transmit(Link.confirm, m, attempt, copy, Ev.confirmArrive, -1, m, attempt, rejected, 0, 0);
  }

  /** The broker sends delivery k of message m (queue entry e) to the consumer packed in `packed`, on `channel`. */
  deliver(e: number, m: number, k: number, packed: number, channel: number): number {
    return this.transmit(Link.deliver, m, k, 0, Ev.deliverArrive, Ev.deliverDropped, e, m, k, packed, channel);
  }

  /** A consumer acks (`nack` 0) or nacks delivery k of message m (queue entry e), for the copy `copy` it got. */
  ack(e: number, m: number, k: number, copy: number, nack: number): number {
    if (nack === 0) this.world.requests.deletes++;
    else this.world.requests.visibilityChanges++;
    return this.transmit(Link.ack, m, k, copy, Ev.ackArrive, -1, e, m, k, nack, 0);
  }

  /**
   * Sends a transmission keyed by (a, b, c) and schedules event `kind` with the payload p0-p4 for each
   * copy that arrives, with the copy index (0 or 1) as the last payload field. A dropped transmission
   * schedules `droppedKind` (if >= 0) at the time it would have arrived. Returns the copies scheduled:
   * 0 (dropped), 1, or 2 (duplicated). Legend of the numbers (the methods above name them): a is the
   * message, b the attempt or delivery number, c the copy answered (keys of its fault and latency).
   */
  private transmit(
    link: number,
    a: number,
    b: number,
    c: number,
    kind: number,
    droppedKind: number,
    p0: number,
    p1: number,
    p2: number,
    p3: number,
    p4: number,
  ): number {
    const runtime = this.links[link]!;
    const world = this.world;
    // The kind is its caller's (publish, confirm, deliver, ack name its fields), so untyped here.
    const kernel = world.kernel as unknown as AnyKindKernel;
    this.lastArrivalMs = world.kernel.now;
    if (runtime.partitions.length > 0 && this.partitioned(link, world.kernel.now)) {
      world.faults[runtime.partitionedKey]++;
      world.tracer?.network('drop', LINKS[link]!, a, `partition${extension(link, p3)}`);
      if (droppedKind >= 0) kernel.after(this.latency(link, a, b, c, 0), droppedKind, p0, p1, p2, p3, p4, 0);
      return 0;
    }
    const outcome = runtime.faultFree ? 0 : world.choices.pick(link, a, b, c, runtime.outcomes);
    if (outcome === 1) {
      world.faults[runtime.lostKey]++;
      world.tracer?.network('drop', LINKS[link]!, a, `lost${extension(link, p3)}`);
      if (droppedKind >= 0) kernel.after(this.latency(link, a, b, c, 0), droppedKind, p0, p1, p2, p3, p4, 0);
      return 0;
    }
    const latency = this.latency(link, a, b, c, 0);
    kernel.after(latency, kind, p0, p1, p2, p3, p4, 0);
    this.lastArrivalMs = world.kernel.now + latency;
    if (outcome === 2) {
      world.faults[runtime.duplicatedKey]++;
      world.tracer?.network('duplicate', LINKS[link]!, a);
      const second = this.latency(link, a, b, c, 1);
      kernel.after(second, kind, p0, p1, p2, p3, p4, 1);
      this.lastArrivalMs = world.kernel.now + Math.max(latency, second);
      return 2;
    }
    return 1;
  }
}

/** The trace's note that a transmission on the ack link is a lease extension, not an ack. */
function extension(link: number, flag: number): string {
  return link === Link.ack && flag === EXTEND ? ': lease extension' : '';
}

/** Each link's runtime, made once per configuration (explore builds a simulation per schedule from one): never
 * written after, so the simulations of one configuration share it. */
const prepared = new WeakMap<SimulationConfig, LinkRuntime[]>();

function linksOf(config: SimulationConfig): LinkRuntime[] {
  let links = prepared.get(config);
  if (links === undefined) prepared.set(config, (links = LINKS.map((name) => prepare(config, name))));
  return links;
}

function prepare(config: SimulationConfig, name: LinkName): LinkRuntime {
  const { loss, duplicate, latencyMs } = config.network[name];
  const partitions: Array<[number, number]> = [];
  for (const fault of config.faults) {
    if (fault.type === 'partition' && fault.link === name) {
      partitions.push([fault.atMs, fault.atMs + fault.durationMs]);
    }
  }
  return {
    outcomes: [(1 - loss) * (1 - duplicate), loss, (1 - loss) * duplicate],
    faultFree: loss === 0 && duplicate === 0,
    latency: sampler(latencyMs),
    partitions,
    lostKey: `${name}Lost` as keyof FaultCounters,
    duplicatedKey: `${name}Duplicated` as keyof FaultCounters,
    partitionedKey: `${name}Partitioned` as keyof FaultCounters,
  };
}
