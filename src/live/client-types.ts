// What a live run's clients are given and give back, and the broker calls behind one delivery.
import type { BrokerAddress } from './broker-url.js';

/** What a live run needs besides the configuration. */
export interface LiveOptions {
  address: BrokerAddress;
  seed: number;
  /** Real ms per virtual ms (0.01: a 30 s timeout lasts 300 ms). */
  timeScale: number;
  /** Names everything this run creates on the broker, so it deletes only that. */
  runId: string;
  /** Receives each event of the log (a JSON line without newline). */
  write: (line: string) => void;
  /** Wall-clock limit in real ms. */
  limitMs: number;
}

/** How a live run ended. */
export interface LiveResult {
  timedOut: boolean;
  /** How far, in the scenario's ms, the producer fell behind its schedule at worst. */
  producerLagMs: number;
  /**
   * What a processed delivery cost the consumers, in the scenario's ms, beyond its processing time: late
   * timers, acks and reads (round trips the model does not have), on average.
   */
  overheadMs: number;
  /** How much longer than restartMs a crashed consumer was gone (closing, reconnecting), in the scenario's ms, on
   * average. */
  restartOverheadMs: number;
}

/** The broker calls behind one delivery. */
export interface DeliveryCalls {
  /** Acknowledges it; false when that is no longer possible (its channel is gone). */
  ack: () => Promise<boolean> | boolean;
  /** False once the consumer's process crashed: work it had in progress never reaches the effect. */
  alive?: () => boolean;
  /** Gives it back to be delivered again (processing failed): a nack, or what stands for one. */
  nack?: () => unknown;
  /** Extends its lease by a visibility timeout from now (consumers.leaseExtension). */
  extend?: () => unknown;
}
