// The examples of the README and docs/, read from their markdown so that a test can run them.
//
// A `console` block is a session: each line starting `$ ` is a command, and the lines up to the next
// command are its output, compared line by line (trailing spaces ignored). In the output, a line `...`
// stands for any number of lines, and `…` inside a line for any text on it (timings, say). A command
// that should exit with another code than 0 ends with `# exit N`. A `yaml` or `json` block whose first
// line is `# file: name` (or `// file: name`) is a file (that line included, so positions match) the later sessions of
// that document can read; so is a `js` or `ts` block whose first line is `// file: name`.
// `sh` blocks (and the `run:` steps of `yaml` workflows) show commands without output: their acksim
// commands are checked against `--help`.

/** One command of a session, with what it must print. */
export interface Command {
  /** The markdown file and the line the command is on, for messages. */
  where: string;
  /** The line of the command in its document (1-based); its output is on the lines after it. */
  line: number;
  command: string;
  exit: number;
  output: string[];
}

/** A file a document shows, which its sessions may read. */
export interface ShownFile {
  name: string;
  text: string;
}

/** What a markdown document holds for the tests. */
export interface DocExamples {
  sessions: Command[][];
  files: ShownFile[];
  /** acksim command lines of `sh` blocks (without `npx`), each with where it is. */
  shown: { where: string; command: string }[];
}

/** Block languages whose first line may name a file (`# file: name` or `// file: name`). */
const FILE_LANGS = new Set(['yaml', 'json', 'js', 'ts']);

interface Block {
  lang: string;
  line: number;
  lines: string[];
}

function blocks(text: string): Block[] {
  const out: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    out.push({ lang: open[1]!, line: start + 1, lines: body });
  }
  return out;
}

function session(file: string, block: Block): Command[] {
  const commands: Command[] = [];
  block.lines.forEach((line, index) => {
    if (line.startsWith('$ ')) {
      const exit = /\s+#\s*exit\s+(\d+)\s*$/.exec(line);
      const command = (exit === null ? line.slice(2) : line.slice(2, exit.index)).trim();
      const at = block.line + 1 + index;
      commands.push({
        where: `${file}:${at}`,
        line: at,
        command,
        exit: exit === null ? 0 : Number(exit[1]),
        output: [],
      });
    } else if (commands.length === 0) {
      throw new Error(`${file}:${block.line + 1 + index}: a console block must start with a "$ " command`);
    } else commands[commands.length - 1]!.output.push(line);
  });
  return commands;
}

/** Reads the examples of a markdown document (`file` names it in messages). */
export function readExamples(file: string, text: string): DocExamples {
  const examples: DocExamples = { sessions: [], files: [], shown: [] };
  for (const block of blocks(text)) {
    if (block.lang === 'console') examples.sessions.push(session(file, block));
    else if (FILE_LANGS.has(block.lang)) {
      const named = /^(?:#|\/\/)\s*file:\s*(\S+)\s*$/.exec(block.lines[0] ?? '');
      if (named !== null) examples.files.push({ name: named[1]!, text: `${block.lines.join('\n')}\n` });
    }
    // Commands shown without output: sh lines, and the `run:` steps of a workflow (a yaml block).
    if (block.lang === 'sh' || (block.lang === 'yaml' && !/file:/.test(block.lines[0] ?? ''))) {
      block.lines.forEach((line, index) => {
        const command = /^\s*(?:-\s*run:\s*)?(?:npx\s+)?(acksim\s[^#|;&]*?)\s*(?:#.*|\|\|.*|\|.*|>.*)?$/.exec(line);
        if (command !== null) examples.shown.push({ where: `${file}:${block.line + 1 + index}`, command: command[1]! });
      });
    }
  }
  return examples;
}

function lineMatches(pattern: string, actual: string): boolean {
  if (!pattern.includes('…')) return pattern === actual;
  const regex = pattern
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${regex}$`).test(actual);
}

/**
 * Whether `actual` (lines) is what `expected` shows, `...` lines matching any run of lines. Returns
 * undefined when it matches, or the first expected line that does not, with what came instead.
 */
export function outputMismatch(expected: readonly string[], actual: readonly string[]): string | undefined {
  const trim = (lines: readonly string[]) => {
    const out = lines.map((l) => l.trimEnd());
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  };
  const want = trim(expected);
  const got = trim(actual);
  // match(i, j): want[i..] matches got[j..]; memoised, as `...` may try many starts.
  const memo = new Map<number, boolean>();
  let deepest = { i: 0, j: 0 };
  const match = (i: number, j: number): boolean => {
    const key = i * (got.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    if (i > deepest.i || (i === deepest.i && j > deepest.j)) deepest = { i, j };
    let result: boolean;
    if (i === want.length) result = j === got.length;
    else if (want[i] === '...') {
      result = false;
      for (let k = j; k <= got.length && !result; k++) result = match(i + 1, k);
    } else result = j < got.length && lineMatches(want[i]!, got[j]!) && match(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  if (match(0, 0)) return undefined;
  const { i, j } = deepest;
  const wanted = i < want.length ? JSON.stringify(want[i]) : 'the end of the output';
  const came = j < got.length ? JSON.stringify(got[j]) : 'the end of the output';
  return `expected line ${i + 1} ${wanted}, got ${came}`;
}
