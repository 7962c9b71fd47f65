// The idempotent producer's sequence numbers (Kafka enable.idempotence): the producer numbers what it
// sends to each partition, and the partition's leader stores a batch only if it is the next number
// (OUT_OF_ORDER_SEQUENCE_NUMBER otherwise, and the producer retries). So with up to 5 requests in
// flight, a retried message is never stored after one sent later.
//
// acksim keeps, per partition, the messages sent and not yet settled in the order they were first
// sent; the head is the one the leader expects. A message settles when a copy is stored or the
// producer gives it up (Kafka then bumps the producer epoch and numbering starts again: KIP-360).
import type { HashesState, StateHasher } from '../sim/state-hash.js';
import { IntRing } from './int-ring.js';
import { partitionOf } from './keys.js';
import { ProducerState } from './state.js';
import type { World } from './world.js';

/** Per partition, the messages sent in order and not yet stored. */
export class SequenceBook implements HashesState {
  private readonly unsettled: IntRing[];

  constructor(
    private readonly world: World,
    private readonly partitions: number,
  ) {
    this.unsettled = IntRing.many(partitions, 1, 16);
  }

  hashState(h: StateHasher): void {
    for (const ring of this.unsettled) ring.hashState(h);
  }

  /** The producer sent message m for the first time: it takes the next sequence number of its partition. */
  sent(m: number): void {
    this.unsettled[partitionOf(this.world.keys, m, this.partitions)]!.push(m);
  }

  /**
   * Whether the leader takes a publish of m now: a message stored before (a retry, or a copy lost in a
   * failover) is a matter for publish dedupe; a first copy must be the partition's next number.
   */
  inSequence(m: number): boolean {
    const { messages } = this.world;
    const s = messages.slot(m);
    if (s >= 0 && messages.entryCount[s]! > 0) return true;
    const ring = this.unsettled[partitionOf(this.world.keys, m, this.partitions)]!;
    while (ring.length > 0 && this.settled(ring.peek(0))) ring.shift();
    return ring.length > 0 && ring.peek(0) === m;
  }

  private settled(m: number): boolean {
    const { messages } = this.world;
    const s = messages.slot(m);
    return s < 0 || messages.entryCount[s]! > 0 || messages.producerState[s] === ProducerState.done;
  }
}
