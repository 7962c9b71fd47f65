// `acksim profiles`: the real brokers' delivery defaults a scenario can take with broker.profile.
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { PROFILE_NAMES, PROFILES } from '../scenario/profiles.js';
import { outputWidth } from './terminal.js';
import { FORMATS, formatNames } from './formatters.js';
import type { Io } from './common.js';
import { formatOption } from './options.js';

/** Registers `acksim profiles`. */
export function profilesCommand(io: Io, setExit: (code: number) => void): Command {
  return new Command('profiles')
    .description("list the broker profiles (real systems' delivery defaults) with the setting and source of each value")
    .argument('[name]', `one profile (${PROFILE_NAMES.join(', ')})`)
    .option('--sources', 'show where each value comes from')
    .addOption(formatOption(formatNames('profiles')))
    .addHelpText(
      'after',
      '\nExamples:\n  $ acksim profiles\n  $ acksim profiles sqs-fifo --sources\n  $ acksim run lost-acks --profile rabbitmq-quorum\n\nIn a scenario: broker: {profile: sqs-standard, visibilityTimeoutMs: 5000} (your fields win).',
    )
    .action((name: string | undefined, flags: { sources?: boolean; format: 'table' | 'json' }) => {
      const chosen = name === undefined ? PROFILES : PROFILES.filter((p) => p.name === name);
      if (chosen.length === 0) throw new UsageError(`no profile "${name}" (allowed: ${PROFILE_NAMES.join(', ')})`);
      const sources = flags.sources === true || name !== undefined;
      io.stdout(FORMATS.profiles[flags.format]({ profiles: chosen, sources }, { color: false, width: outputWidth() }));
      setExit(0);
    });
}
