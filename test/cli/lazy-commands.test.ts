// The command line loads only the command it names (src/cli/main.ts, COMMANDS): what it prints must be what it
// printed with every command registered, for help asked in every spelling.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { ROOT } from '../root.js';
import { acksimInProcess } from './in-process.js';

const NAMES = ['tour', 'run', 'compare', 'sweep', 'trace', 'explain', 'explore', 'replay', 'audit', 'live', 'merge'];
const MORE = ['validate', 'list', 'init', 'show', 'profiles', 'schema'];

describe('commands loaded on demand', () => {
  it('each name loads the command of that name (its own help), and `help <name>` prints the same', async () => {
    for (const name of [...NAMES, ...MORE]) {
      const own = await acksimInProcess([name, '--help'], ROOT);
      expect(own).toMatchObject({ status: 0, stderr: '' });
      expect(own.stdout).toMatch(new RegExp(`^Usage: acksim ${name} `));
      expect((await acksimInProcess(['help', name], ROOT)).stdout).toBe(own.stdout);
    }
  });

  it('top-level help lists every command, however it is asked, even with a command named after it', async () => {
    const help = await acksimInProcess(['--help'], ROOT);
    for (const name of [...NAMES, ...MORE]) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    for (const args of [['help'], ['--help', 'run'], ['-h', 'list']])
      expect((await acksimInProcess(args, ROOT)).stdout).toBe(help.stdout);
  });

  it('an unknown command is still answered with the closest one', async () => {
    const typo = await acksimInProcess(['lsit'], ROOT);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('(Did you mean list?)');
  });
});
