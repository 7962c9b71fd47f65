// Counting by value (issue 19 §2, `--identity value`): a history written Jepsen's way, where every enqueue is a
// message and a value may be enqueued twice, counted as total-queue's multisets count it; and by id, the default,
// where a second publish of an id is a retry.
import '../../setup.js';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { EventCode } from '../../../src/audit/event.js';
import { AuditTally } from '../../../src/audit/tally.js';

type Step = [keyof typeof EventCode, string];

function measured(steps: Step[], identity: 'id' | 'value', confirms: 'present' | 'absent' = 'present') {
  const tally = new AuditTally();
  steps.forEach(([type, id], ts) => tally.add({ type: EventCode[type], id, ts }));
  const m = tally.measure({ identity, confirms });
  return { ...m.metrics, ...m.audit };
}

describe('counting by value, as Jepsen’s total-queue does', () => {
  it('takes a value enqueued and dequeued twice as two messages, not a duplicate', () => {
    const twice: Step[] = [
      ['publish', 'a'],
      ['confirm', 'a'],
      ['publish', 'a'],
      ['confirm', 'a'],
      ['deliver', 'a'],
      ['effect', 'a'],
      ['deliver', 'a'],
      ['effect', 'a'],
    ];
    expect(measured(twice, 'value')).toMatchObject({ produced: 2, processed: 2, duplicates: 0, lost: 0 });
    // By id: one message, published again, processed twice.
    expect(measured(twice, 'id')).toMatchObject({ produced: 1, processed: 1, duplicates: 1, publishRetries: 1 });
  });

  it('finds the lost copy, the extra dequeue, the recovered and the indeterminate one', () => {
    const twice: Step[] = [
      ['publish', 'a'],
      ['confirm', 'a'],
      ['publish', 'a'],
      ['confirm', 'a'],
    ];
    const lostOne: Step[] = [
      ['publish', 'a'],
      ['confirm', 'a'],
      ['publish', 'a'],
      ['confirm', 'a'],
      ['effect', 'a'],
    ];
    expect(measured(lostOne, 'value')).toMatchObject({ produced: 2, processed: 1, lost: 1 });
    const extra: Step[] = [
      ['publish', 'b'],
      ['confirm', 'b'],
      ['effect', 'b'],
      ['effect', 'b'],
    ];
    expect(measured([...extra, ['effect', 'b']], 'value')).toMatchObject({
      processed: 1,
      duplicates: 1,
      duplicateEffects: 2,
    });
    const unsure: Step[] = [
      ['publish', 'c'],
      ['publish', 'c'],
      ['confirm', 'c'],
      ['effect', 'c'],
      ['effect', 'c'],
      ['publish', 'd'],
    ];
    // c: one confirmed, two processed: one recovered. d: never confirmed nor delivered: indeterminate.
    expect(measured(unsure, 'value')).toMatchObject({ produced: 3, processed: 2, recovered: 1, indeterminate: 1 });
    expect(measured(unsure, 'value', 'absent')).toMatchObject({ lost: 1, indeterminate: 0, recovered: 0 });
    // Two publishes of one value at one instant are two messages (by id, one event logged twice).
    const sameInstant = new AuditTally();
    for (const [type, ts] of [
      ['publish', 0],
      ['publish', 0],
      ['confirm', 1],
      ['confirm', 1],
      ['effect', 2],
    ] as const)
      sameInstant.add({ type: EventCode[type], id: 'v', ts });
    expect(sameInstant.measure({ identity: 'value', confirms: 'present' }).metrics).toMatchObject({
      produced: 2,
      lost: 1,
    });
    // Each dead-letter line takes one copy: the third copy is lost.
    const dlq: Step[] = [
      ['publish', 'q'],
      ['confirm', 'q'],
      ['publish', 'q'],
      ['confirm', 'q'],
      ['publish', 'q'],
      ['confirm', 'q'],
      ['dead-letter', 'q'],
      ['dead-letter', 'q'],
    ];
    expect(measured(dlq, 'value')).toMatchObject({ produced: 3, deadLettered: 2, lost: 1 });
    // The confirm rule and audit.confirmed count messages by value too.
    expect(measured(twice, 'value', 'present')).toMatchObject({ confirmed: 2 });
    const stray: Step[] = [
      ['effect', 'z'],
      ['effect', 'z'],
    ];
    expect(measured(stray, 'value')).toMatchObject({ unexpected: 2, produced: 0 });
  });

  it('agrees with counting by id on a history where every value is published once', () => {
    const history = fc.array(
      fc.tuple(
        fc.constantFrom<Step[0]>('confirm', 'deliver', 'effect', 'ack'),
        fc.integer({ min: 0, max: 3 }).map((n) => `m${n}`),
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(history, fc.constantFrom('present' as const, 'absent' as const), (events, confirms) => {
        // One publish per id, first.
        const ids = [...new Set(events.map(([, id]) => id))];
        const steps: Step[] = [...ids.map((id): Step => ['publish', id]), ...events];
        const byValue = measured(steps, 'value', confirms);
        const byId = measured(steps, 'id', confirms);
        const keys = ['produced', 'processed', 'lost', 'duplicates', 'duplicateEffects', 'deliveries', 'indeterminate'];
        for (const key of [...keys, 'recovered', 'redeliveries'])
          expect({ key, value: byValue[key as keyof typeof byValue] }).toEqual({
            key,
            value: byId[key as keyof typeof byId],
          });
      }),
    );
  });
});
