// A NATS consumer's pull requests on one connection. Each request asks for up to `batch` messages with no_wait and
// expires, and names its own reply subject under one inbox the connection subscribes to for its whole life. JetStream
// answers at once with what it has, or with the first message to arrive within the wait, then a 404 or 408 status;
// but nats-server 2.9 does not always send the status when a request expires (nats-server #2482), so the client ends
// each pull itself at its expiry and a grace of a few round trips. A message that comes after its pull ended was
// delivered all the same (under AckNone it is the only delivery there will be): it is kept, and the next pull hands
// it out first. A status of an ended pull is ignored.
import { createInbox, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** Status codes that end a pull: no messages (404), its expiry or batch done (408); 100 is a heartbeat. */
const PULL_DONE = new Set([404, 408]);

/** One pull's answer: the messages, and how long the first took to come (real ms; 0 for kept ones). */
export interface Pulled {
  messages: Msg[];
  firstMs: number;
}

interface OpenPull {
  no: number;
  batch: number;
  asked: number;
  answer: Pulled;
  end: (failure?: Error) => void;
}

/** The pull requests of one connection to one durable consumer. */
export class Puller {
  private readonly prefix = createInbox();
  private readonly subscription: Subscription;
  private pulls = 0;
  private open: OpenPull | undefined;
  /** Messages that came after their pull ended: delivered, handed out by the next pull. */
  private readonly kept: Msg[] = [];

  constructor(
    private readonly nc: NatsConnection,
    /** The consumer's next-message API subject. */
    private readonly next: string,
  ) {
    this.subscription = nc.subscribe(`${this.prefix}.*`, {
      callback: (error, message) => this.arrived(error, message),
    });
  }

  private arrived(error: Error | null, message: Msg): void {
    if (error !== null) return this.open?.end(error);
    const open = this.open;
    const mine = open !== undefined && message.subject === `${this.prefix}.${open.no}`;
    const code = message.headers?.code ?? 0;
    if (code !== 0) {
      if (!mine || code === 100) return;
      const description = message.headers?.description ?? '';
      return open.end(
        PULL_DONE.has(code) ? undefined : new Error(`JetStream answered a pull with ${code} ${description}`),
      );
    }
    if (!mine) {
      this.kept.push(message);
      return;
    }
    if (open.answer.messages.length === 0) open.answer.firstMs = performance.now() - open.asked;
    open.answer.messages.push(message);
    if (open.answer.messages.length >= open.batch) open.end();
  }

  /** Up to `batch` messages: kept ones first, else one pull request waiting up to `expiresMs` (+ `graceMs`). */
  pull(batch: number, expiresMs: number, graceMs: number): Promise<Pulled> {
    if (this.kept.length > 0) return Promise.resolve({ messages: this.kept.splice(0, batch), firstMs: 0 });
    return new Promise<Pulled>((resolve, reject) => {
      const no = ++this.pulls;
      const timer = setTimeout(() => open.end(), expiresMs + graceMs);
      const open: OpenPull = {
        no,
        batch,
        asked: performance.now(),
        answer: { messages: [], firstMs: 0 },
        end: (failure) => {
          clearTimeout(timer);
          if (this.open === open) this.open = undefined;
          if (failure === undefined) resolve(open.answer);
          else reject(failure);
        },
      };
      this.open = open;
      const expires = Math.max(1, Math.round(expiresMs)) * 1_000_000;
      this.nc.publish(this.next, JSON.stringify({ batch, no_wait: true, expires }), { reply: `${this.prefix}.${no}` });
    });
  }

  /** Stops listening (the connection's close does it too). */
  close(): void {
    this.open?.end();
    this.subscription.unsubscribe();
  }
}
