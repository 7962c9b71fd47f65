// `acksim replay <failure file>`: re-runs a shrunk failure exactly and shows its trace; exits like run.
import { Command } from 'commander';
import { Chalk } from 'chalk';
import { ScenarioError, UsageError } from '../errors.js';
import { FAILURE_MAX_BYTES, fromCwd, readJsonFile } from '../input-file.js';
import { Simulation } from '../model/simulation.js';
import { formatLanes } from '../report/trace.js';
import { actualValue } from '../report/format.js';
import { parseCheck } from '../run/check-expression.js';
import { configuredFaults } from '../run/aggregate.js';
import { judgeRuns } from '../run/checks.js';
import { describeFault, parseFailure } from '../run/failure.js';
import { measure } from '../run/metrics.js';
import { ExitCode } from '../run/report.js';
import { traceScenario } from '../run/trace.js';
import { loadScenarios } from '../scenario/load.js';
import { ScriptedChoiceSource, SeededChoiceSource } from '../sim/choice.js';
import type { Io } from './common.js';
import { useColor } from './terminal.js';

/** Registers `acksim replay`. */
export function replayCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('replay')
    .description(
      're-run a shrunk failure file exactly, show its trace, and exit like run (1 when the check fails again)',
    )
    .argument('<file>', 'a failure file written by acksim run (in acksim-failures/)')
    .option('--no-color', 'no colour, even on a terminal')
    .addHelpText(
      'after',
      '\nExamples:\n  $ acksim replay acksim-failures/lost-acks.at-least-once.seed1.json\n\nThe run uses exactly the faults in the file and no other; timing still comes from the seed.',
    )
    .action((path: string, flags: { color?: boolean }) => {
      const read = readJsonFile(fromCwd(io.cwd, path), FAILURE_MAX_BYTES);
      if (!read.ok) throw new UsageError(`${path}: cannot read a failure file (${read.message})`);
      const failure = parseFailure(read.value);
      if (typeof failure === 'string') throw new UsageError(`${path}: ${failure}`);
      const { scenarios, issues } = loadScenarios(
        [failure.scenario],
        io.cwd,
        failure.profile === undefined ? {} : { profile: failure.profile },
      );
      if (issues.length > 0) throw new ScenarioError(issues);
      const scenario = scenarios[0]!;
      const mode = scenario.modes.find((m) => m.mode.name === failure.mode);
      if (mode === undefined)
        throw new UsageError(`${path}: scenario ${scenario.name} has no mode "${failure.mode}" any more`);
      const check = parseCheck(failure.check);
      if (!check.ok) throw new UsageError(`${path}: ${check.message}`);
      const config = { ...mode.config, messages: failure.messages, mode: mode.mode };
      const result = new Simulation(
        config,
        new ScriptedChoiceSource(new SeededChoiceSource(failure.seed), failure.faults),
      ).run();
      // The rule of run for one run: no message produced, or a configured fault that never fired, and a
      // pass proves nothing (inconclusive); a failure is a failure whatever the faults.
      const record = { seed: failure.seed, fingerprint: '', latencyHistogram: '', ...measure(result) };
      const verdict = judgeRuns(check.check, [record], undefined, configuredFaults(mode.config, mode.mode));
      const color = useColor(flags.color);
      const chalk = new Chalk({ level: color ? 1 : 0 });
      io.stdout(
        `${chalk.bold(`replay ${scenario.name} · ${failure.mode} · seed ${failure.seed} · ${failure.messages} messages`)}\n`,
      );
      io.stdout(
        `faults (${failure.faults.length}, shrunk from ${failure.originalFaults}; every other choice fault-free):\n`,
      );
      for (const fault of failure.faults) io.stdout(`  ${describeFault(fault, mode.config.consumers.crash.point)}\n`);
      const ids = [...new Set(failure.faults.map((f) => f.a))].slice(0, 5);
      const trace = traceScenario(scenario, {
        mode: failure.mode,
        seed: failure.seed,
        messages: failure.messages,
        faults: failure.faults,
        limit: 200,
        ...(ids.length > 0 ? { messageIds: ids } : { anomalies: 1 }),
      });
      io.stdout(`\n${formatLanes(trace, { color })}\n`);
      const actual = actualValue(check.check.expr, verdict.actual);
      if (verdict.status === 'fail') {
        io.stdout(`${chalk.red(`✗ ${failure.mode}: ${failure.check} fails again (actual ${actual})`)}\n`);
        setExit(ExitCode.checkFailed);
      } else if (verdict.status === 'inconclusive') {
        const reason = verdict.reason ?? 'messages were still unresolved when the run stopped';
        io.stdout(
          `${chalk.yellow(`? ${failure.mode}: ${failure.check} is inconclusive (actual ${actual}; ${reason}): the failure did not reproduce`)}\n`,
        );
        setExit(ExitCode.inconclusive);
      } else {
        io.stdout(
          `${chalk.green(`✓ ${failure.mode}: ${failure.check} holds (actual ${actual}): the failure did not reproduce`)}\n`,
        );
        setExit(ExitCode.ok);
      }
    });
}
