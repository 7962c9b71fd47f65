# The model of bench/bench.yaml written in SimPy (2.x, Debian's python3-simpy), for npm run bench's comparison
# (bench/simpy.js): the same producer, network, queue and consumers, so that acksim's speed can be set beside a
# discrete-event library's. What it models, as acksim does for that scenario:
# - a producer publishing at Poisson arrivals (1,000/s), each publish arriving at the broker after 1-5 ms and
#   confirmed 1-5 ms later, with a 1 s confirm timer per publish (it never fires: nothing is lost on the way);
# - a queue that pushes to 8 consumers in turn, each holding at most 10 messages (prefetch) that it has not
#   finished, over 1-5 ms links; each delivery starts a 30 s visibility timer, after which an unacked message is
#   delivered again; an ack ends it;
# - consumers of 2 workers each, processing for an exponential time (mean 5 ms), then the effect, then (0.1 %) a
#   crash for 1 s that drops everything the consumer holds (left to the visibility timer), else an ack that is lost
#   1 % of the time and arrives after 1-5 ms.
# Prints one JSON line: the counts (comparable with acksim's: about 1.1 % duplicates) and the simulation's seconds.
import json
import random
import sys
import time
from collections import deque

from SimPy.Simulation import Process, activate, hold, initialize, now, passivate, reactivate, simulate

MESSAGES = int(sys.argv[sys.argv.index('--messages') + 1]) if '--messages' in sys.argv else 200_000
RATE_PER_MS = 1.0
CONSUMERS, PREFETCH, CONCURRENCY = 8, 10, 2
VISIBILITY_MS, CONFIRM_TIMEOUT_MS, RESTART_MS = 30_000.0, 1_000.0, 1_000.0
ACK_LOSS, CRASH = 0.01, 0.001

rng = random.Random(1)
link = lambda: rng.uniform(1.0, 5.0)
counts = {'published': 0, 'confirmed': 0, 'deliveries': 0, 'redeliveries': 0, 'effects': 0,
          'duplicateEffects': 0, 'acked': 0, 'crashes': 0}
effects = [0] * MESSAGES
acked = [False] * MESSAGES


class Broker:
    def __init__(self):
        self.ready = deque()
        self.stored = set()
        self.token = [0] * MESSAGES  # the current delivery's number, per message
        self.turn = 0

    def store(self, m):
        # Publish dedupe: a message stored once is not stored again.
        if m in self.stored:
            return
        self.stored.add(m)
        self.ready.append(m)
        self.pump()

    def pump(self):
        while self.ready:
            c = self.with_room()
            if c is None:
                return
            m = self.ready.popleft()
            if acked[m]:
                continue
            self.token[m] += 1
            counts['deliveries'] += 1
            if self.token[m] > 1:
                counts['redeliveries'] += 1
            consumer = consumers[c]
            consumer.held += 1
            transit = Transit()
            activate(transit, transit.run(consumer, consumer.incarnation, m))
            timer = VisibilityTimer()
            activate(timer, timer.run(m, self.token[m]))

    def with_room(self):
        for i in range(CONSUMERS):
            c = (self.turn + i) % CONSUMERS
            if consumers[c].up and consumers[c].held < PREFETCH:
                self.turn = (c + 1) % CONSUMERS
                return c
        return None

    def ack(self, m, token):
        if token == self.token[m] and not acked[m]:
            acked[m] = True
            counts['acked'] += 1

    def expire(self, m, token):
        if token == self.token[m] and not acked[m]:
            self.ready.append(m)
            self.pump()


class Transit(Process):
    """A delivery on its way to a consumer: dropped if the consumer crashed meanwhile."""

    def run(self, consumer, incarnation, m):
        yield hold, self, link()
        if consumer.incarnation == incarnation:
            consumer.receive(m)


class VisibilityTimer(Process):
    def run(self, m, token):
        yield hold, self, VISIBILITY_MS
        broker.expire(m, token)


class Consumer:
    def __init__(self):
        self.up = True
        self.incarnation = 0
        self.held = 0  # delivered and not finished (prefetch)
        self.buffer = deque()
        self.idle = []
        self.workers = [Worker() for _ in range(CONCURRENCY)]
        for w in self.workers:
            activate(w, w.run(self))

    def receive(self, m):
        self.buffer.append(m)
        if self.idle:
            reactivate(self.idle.pop())

    def crash(self):
        counts['crashes'] += 1
        self.up = False
        self.incarnation += 1
        self.buffer.clear()
        self.held = 0

    def restart(self):
        self.up = True
        broker.pump()


class Worker(Process):
    def run(self, consumer):
        while True:
            while not consumer.buffer or not consumer.up:
                consumer.idle.append(self)
                yield passivate, self
            m = consumer.buffer.popleft()
            incarnation = consumer.incarnation
            yield hold, self, rng.expovariate(1 / 5.0)
            if consumer.incarnation != incarnation:
                continue
            effects[m] += 1
            counts['effects'] += 1
            if effects[m] > 1:
                counts['duplicateEffects'] += 1
            if rng.random() < CRASH:
                consumer.crash()
                yield hold, self, RESTART_MS
                consumer.restart()
                continue
            if rng.random() >= ACK_LOSS:
                ack = Ack()
                activate(ack, ack.run(m, broker.token[m]))
            consumer.held -= 1
            broker.pump()


class Ack(Process):
    def run(self, m, token):
        yield hold, self, link()
        broker.ack(m, token)


class Publish(Process):
    def run(self, m):
        yield hold, self, link()
        broker.store(m)
        yield hold, self, link()
        counts['confirmed'] += 1


class ConfirmTimer(Process):
    def run(self, m):
        yield hold, self, CONFIRM_TIMEOUT_MS


class Producer(Process):
    def run(self):
        for m in range(MESSAGES):
            yield hold, self, rng.expovariate(RATE_PER_MS)
            counts['published'] += 1
            publish = Publish()
            activate(publish, publish.run(m))
            timer = ConfirmTimer()
            activate(timer, timer.run(m))


started = time.perf_counter()
initialize()
broker = Broker()
consumers = [Consumer() for _ in range(CONSUMERS)]
producer = Producer()
activate(producer, producer.run())
simulate(until=1e15)
seconds = time.perf_counter() - started
counts['lost'] = sum(1 for n in effects if n == 0)
counts['simulatedMs'] = round(now())
counts['simulationSeconds'] = round(seconds, 3)
print(json.dumps(counts))
