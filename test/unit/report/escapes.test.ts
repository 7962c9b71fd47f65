// Whatever a user's input holds, what acksim prints holds no terminal escape: names, files and
// summaries that reach a report are escaped, and so are the problems it reports.
import { describe, it } from 'node:test';
import { expect } from 'expect';
import { formatIssue } from '../../../src/errors.js';
import { FORMATTERS } from '../../../src/report/index.js';
import { runScenarios } from '../../../src/run/run-scenario.js';
import { validateScenario } from '../../../src/scenario/validate.js';
import { safeText } from '../../../src/safe-text.js';

const ESC = '\u001b';

describe('escapes', () => {
  it('safeText escapes controls and bidirectional overrides, and cuts long values', () => {
    expect(safeText(`a${ESC}[31mb\nc\u202e`)).toBe('a\\x1b[31mb\\nc\\u202e');
    expect(safeText('x'.repeat(200), 10)).toBe(`${'x'.repeat(10)}… (190 more characters)`);
  });

  it('a report names a file holding escapes without passing them to the terminal', async () => {
    const file = `evil${ESC}]0;pwned${String.fromCharCode(7)}.yaml`;
    const validated = validateScenario('messages: 20\n', file, 'evil');
    if (!validated.ok) throw new Error('valid');
    const report = await runScenarios([validated.scenario], {});
    for (const format of ['table', 'markdown', 'junit'] as const) {
      const text = FORMATTERS[format](report, { color: false });
      expect({ format, escape: text.includes(ESC) }).toEqual({ format, escape: false });
    }
  });

  it('a problem quoting the input never prints a control character', () => {
    const line = formatIssue({
      file: `a${ESC}.yaml`,
      line: 1,
      column: 1,
      path: `k${ESC}`,
      message: `unknown field "${ESC}[2J"`,
    });
    expect(line).not.toContain(ESC);
    expect(line).toContain('\\x1b[2J');
  });
});
