// The two streams whose consumers pull: NATS JetStream and Redis Streams (profiles.ts lists every profile).
import type { Profile } from './profile-types.js';

/** NATS JetStream, a durable pull consumer. */
export const NATS_JETSTREAM: Profile = {
  name: 'nats-jetstream',
  system: 'NATS JetStream, pull consumer with AckExplicit',
  version: 'nats-server 2.10',
  settings: [
    {
      path: 'broker.visibilityTimeoutMs',
      value: 30_000,
      knob: 'AckWait = 30 s',
      source: 'nats-io/nats-server server/consumer.go',
    },
    {
      path: 'broker.maxDeliveries',
      value: 0,
      knob: 'MaxDeliver = -1 (unlimited)',
      source: 'nats-io/nats.docs nats-concepts/jetstream/consumers.md',
    },
    {
      path: 'broker.deadLetter',
      value: false,
      knob: 'at MaxDeliver the message stays in the stream, is not delivered again, and an advisory is published: no DLQ',
      source: 'nats-io/nats-server server/jetstream_api.go',
    },
    {
      path: 'broker.publishDedupe',
      value: true,
      knob: 'Nats-Msg-Id header dedupe',
      source: 'nats-io/nats.docs using-nats/jetstream/model_deep_dive.md',
    },
    {
      path: 'broker.publishDedupeWindowMs',
      value: 120_000,
      knob: 'DuplicateWindow = 2 min',
      source: 'nats-io/nats-server server/stream.go',
    },
    {
      path: 'broker.delivery',
      value: 'pull',
      knob: 'a pull consumer: the client asks for a batch when it wants one, and a message whose AckWait passed goes to the next pull',
      source: 'nats-io/nats.docs nats-concepts/jetstream/consumers.md',
    },
    {
      path: 'broker.lateAcks',
      value: 'accepted',
      knob: 'an ack names the stream sequence, not the delivery: one that comes after AckWait may still be accepted, and settles the message',
      source: 'nats-io/nats-server server/consumer.go (processAckMsg)',
    },
    {
      path: 'broker.pullRedelivery',
      value: 'at-once',
      knob: 'a message whose AckWait passed (or a nak) joins the redelivery queue, which wakes a waiting pull request and is served before new messages',
      source: 'nats-io/nats-server server/consumer.go (checkPending, signalNewMessages, getNextMsg)',
    },
    {
      path: 'broker.askOvertakesAcks',
      value: 0.5,
      knob: 'acks go to a queue of their own (ackMsgs), served apart from pull requests (nextMsgReqs): a pull sent right after an ack may be handed back the message just acked, if its AckWait had passed. A race, modelled as even odds = 0.5 (measured on nats-server 2.9.10: 20 of 35 such pulls took the message back)',
      source: 'nats-io/nats-server server/consumer.go (pushAck, processInboundAcks)',
    },
  ],
  notes:
    "A BackOff list replaces AckWait (nats-server server/consumer.go: setConsumerConfigDefaults sets AckWait = BackOff[0], and checkPending times out the k-th delivery at BackOff[k], the last entry repeating); a timed-out delivery goes back at once, and a bare nak is redelivered at once (BackOff is for ack timeouts only): give it as broker.visibilityTimeoutsMs. MaxAckPending = 1,000 is not a limit acksim applies. An in-progress ack (+WPI, AckProgress) restarts the delivery's AckWait: consumers.leaseExtension.",
};

/** Redis Streams, a consumer group. */
export const REDIS_STREAMS: Profile = {
  name: 'redis-streams',
  system: 'Redis Streams consumer group (XREADGROUP, XACK, XAUTOCLAIM)',
  version: 'Redis 7',
  settings: [
    {
      path: 'broker.visibilityTimeoutMs',
      value: 60_000,
      knob: 'XAUTOCLAIM min-idle-time: no server default, the claiming app picks it (60 s here)',
      source: 'redis/redis-doc commands/xautoclaim.md',
    },
    {
      path: 'broker.maxDeliveries',
      value: 0,
      knob: 'no broker DLQ: the app reads the delivery counter from XPENDING and moves entries itself',
      source: 'redis/redis-doc docs/data-types/streams.md',
    },
    {
      path: 'broker.publishDedupe',
      value: false,
      knob: 'XADD has no dedupe',
      source: 'redis/redis-doc docs/data-types/streams.md',
    },
    {
      path: 'broker.requeueOnDisconnect',
      value: false,
      knob: 'a pending entry stays in the PEL until a consumer claims it',
      source: 'redis/redis-doc commands/xreadgroup.md',
    },
    {
      path: 'broker.delivery',
      value: 'pull',
      knob: 'consumers read: XREADGROUP COUNT returns at most COUNT entries there are when it is called, and a blocked read wakes for a new entry only; XAUTOCLAIM claims idle entries when a consumer calls it (acksim: before each read)',
      source: 'redis/redis-doc commands/xreadgroup.md, commands/xautoclaim.md',
    },
    {
      path: 'broker.lateAcks',
      value: 'accepted',
      knob: 'XACK takes an entry id: a consumer whose entry another has claimed still removes it from the PEL',
      source: 'redis/redis-doc commands/xack.md',
    },
    {
      path: 'broker.askOvertakesAcks',
      value: 0,
      knob: "one connection's commands run in order: XACK before the next XAUTOCLAIM and XREADGROUP",
      source: 'redis/redis-doc docs/manual/pipelining.md',
    },
  ],
  notes:
    'NOACK reads are the at-most-once preset. A consumer reads its next batch once it has processed the last one, claiming idle entries first; a waiting consumer claims when its read (BLOCK consumers.fetchWaitMs) times out. Measured against Redis 7: with prefetch 5 and crashes, the old push model (buffers filled as SQS-style pushes would) overstated at-most-once loss by a third. Redis has no lease: a consumer keeps an entry from being claimed by resetting its idle time (XCLAIM to itself with JUSTID), which consumers.leaseExtension models.',
};
