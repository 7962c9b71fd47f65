// The report of an audited event log: its checks judged as a run's are, with the doubts a log adds
// (nothing published, a log of several without events, indeterminate messages), in a run's Report.
import type { Check } from '../scenario/check-expression.js';
import { judge, unmeasuredLatency, type CheckResult } from '../run/checks.js';
import { FORMAT_VERSION, type Report } from '../run/report.js';
import { doubtOf, indeterminateDoubt, nothingToAudit } from './facts.js';
import type { AuditMeasured } from './tally.js';

/** What an audit report is made of. */
export interface AuditInputs {
  /** The logs read, as given. */
  files: readonly string[];
  measured: AuditMeasured;
  /** The checks to judge, each with its text as given. */
  checks: ReadonlyArray<{ text: string; check: Check }>;
  /** The logs of several that held no event. */
  withoutEvents: readonly string[];
  /** The command that audits the same logs the same way. */
  reproduce: string;
}

/** The report of an audit, its checks judged; `ok` only when every check passed on a log that proves something. */
export function auditReport({ files, measured, checks, withoutEvents, reproduce }: AuditInputs): Report {
  // A log with no message published proves nothing: a check it passes is inconclusive, never a pass.
  // Nor does a set of logs one of which holds no event (a log that was meant to hold some): it is named.
  const empty =
    nothingToAudit(measured.metrics.produced, measured.audit) ??
    (withoutEvents.length === 0
      ? undefined
      : `${withoutEvents.join(', ')} ${withoutEvents.length === 1 ? 'holds' : 'hold'} no event`);
  const judged = checks.map(({ text, check }) => judgeAudit(text, check, measured, empty));
  return {
    formatVersion: FORMAT_VERSION,
    kind: 'audit',
    ok: empty === undefined && judged.every((c) => c.ok),
    scenarios: [
      {
        name: 'audit',
        file: files.join(' '),
        summary: 'what the event log says happened',
        seed: 0,
        messages: measured.metrics.produced,
        reproduce,
        results: [
          {
            mode: 'audit',
            fingerprint: '',
            checks: judged,
            ...measured,
            ...(empty === undefined ? {} : { inconclusive: empty }),
          },
        ],
      },
    ],
  };
}

function judgeAudit(text: string, check: Check, measured: AuditMeasured, empty: string | undefined): CheckResult {
  const { status, actual } = judge(check, measured);
  const result = { expr: text, mode: 'audit', status, ok: status === 'pass', actual, source: 'cli' as const };
  const { produced, lost } = measured.metrics;
  // A pass on an empty log or skewed latencies proves nothing; a pass or a failure that the fate of
  // indeterminate messages could turn is not settled.
  const doubt =
    status === 'inconclusive'
      ? undefined
      : ((status === 'pass'
          ? (empty ??
            unmeasuredLatency(check, [measured]) ??
            doubtOf([check.metric, check.against ?? ''], produced, measured.audit))
          : undefined) ?? indeterminateDoubt(check, lost, produced, measured.audit));
  return doubt === undefined ? result : { ...result, status: 'inconclusive', ok: false, reason: doubt };
}
