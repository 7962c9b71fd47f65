// A NATS consumer's pull requests on one connection. Each request asks for up to `batch` messages with no_wait and
// expires, on a reply subject of its own that the client listens on only while the pull lasts: JetStream 2.9 has no
// other way to withdraw a request than the interest going, and a request left standing would fill later with up to
// `batch` more messages, which the consumer would then hold beyond its prefetch (a second design that kept one inbox
// for the connection did that: on concurrent-timeout live duplicates went from 26 % to 50 % against the model's 20 %).
// JetStream answers at once with what it has, or with the first message to arrive within the wait, then a 404 or
// 408 status; but nats-server 2.9 does not always send the status when a request expires (nats-server #2482), so
// the client ends each pull itself at its expiry and a grace of a few round trips.
//
// The server counts a request's expiry from when it read it, which on a busy machine is later than the client's
// clock says (the request leaves when the event loop next flushes): a message the server sends near its expiry can
// come after the client ended the pull. Such a message is delivered as far as JetStream knows, and dropping it
// would leave it out until its AckWait passed: on the late-acks fixture four redeliveries of 400 went
// that way under the test suite's load (2026-12-02). So a pull its client ends is drained, not dropped: the client
// tells JetStream it has no more interest and keeps listening until JetStream has read that (a round trip), and
// gives back (-NAK, redelivered at once) a message that came meanwhile: the consumer never saw it. Listening any
// longer would let JetStream go on filling a request the client has left (lingering 2 s instead, at-most-once lost
// messages on lost-acks live). Under AckNone a -NAK does nothing and such a message is lost, as it always was: the
// client cannot hold it beyond its prefetch.
import { createInbox, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** Status codes that end a pull: no messages (404), its expiry or batch done (408); 100 is a heartbeat. */
const PULL_DONE = new Set([404, 408]);

/** One pull's answer: the messages, and how long the first took to come (real ms). */
export interface Pulled {
  messages: Msg[];
  firstMs: number;
}

/** The pull requests of one connection to one durable consumer. */
export class Puller {
  /** Messages that came to a pull after its client ended it, and were given back. */
  givenBack = 0;

  constructor(
    private readonly nc: NatsConnection,
    /** The consumer's next-message API subject. */
    private readonly next: string,
  ) {}

  /** Up to `batch` messages: one pull request waiting up to `expiresMs` for the first (ended after `graceMs` more). */
  pull(batch: number, expiresMs: number, graceMs: number): Promise<Pulled> {
    const asked = performance.now();
    const answer: Pulled = { messages: [], firstMs: 0 };
    return new Promise<Pulled>((resolve, reject) => {
      /** 'open' while the pull lasts; 'draining' once the client ended it, until JetStream knows. */
      let state: 'open' | 'draining' | 'closed' = 'open';
      let subscription: Subscription | undefined;
      const close = (unsubscribe = true) => {
        state = 'closed';
        clearTimeout(timer);
        if (unsubscribe && subscription?.isClosed() === false) subscription.unsubscribe();
      };
      const onMessage = (message: Msg) => {
        const code = message.headers?.code ?? 0;
        if (state === 'draining') {
          if (code === 0) this.giveBack(message);
          return;
        }
        if (state === 'closed' || code === 100) return;
        if (PULL_DONE.has(code)) {
          close();
          resolve(answer);
        } else if (code !== 0) {
          close();
          reject(new Error(`JetStream answered a pull with ${code} ${message.headers?.description ?? ''}`));
        } else {
          if (answer.messages.length === 0) answer.firstMs = performance.now() - asked;
          answer.messages.push(message);
          if (answer.messages.length >= batch) {
            close();
            resolve(answer);
          }
        }
      };
      const timer = setTimeout(() => {
        state = 'draining';
        resolve(answer);
        const drained = () => close(false);
        subscription?.drain().then(drained, drained);
      }, expiresMs + graceMs);
      try {
        subscription = this.nc.subscribe(createInbox(), {
          callback: (error, message) => {
            if (error === null) onMessage(message);
            else if (state !== 'closed') {
              close();
              reject(error);
            }
          },
        });
        // The connection closed (a crash, or the run's end): the pull ends with what it had, at once.
        void subscription.closed.then(() => {
          if (state === 'open') resolve(answer);
          if (state !== 'closed') close(false);
        });
        const expires = Math.max(1, Math.round(expiresMs)) * 1_000_000;
        this.nc.publish(this.next, JSON.stringify({ batch, no_wait: true, expires }), {
          reply: subscription.getSubject(),
        });
      } catch (error) {
        close();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** A message that came after its pull ended: back to JetStream, for the next pull (if the connection is open). */
  private giveBack(message: Msg): void {
    if (message.reply === undefined || this.nc.isClosed()) return;
    this.nc.publish(message.reply, '-NAK');
    this.givenBack++;
  }
}
