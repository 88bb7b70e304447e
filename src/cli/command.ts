import { COMMON_OPTIONS, type OptionSpec } from './args';

/** What a command prints: `doc` with --json, else `text`. */
export interface CommandOutput {
  readonly doc: unknown;
  readonly text: string;
}

/** A command (a row of src/cli/main.ts's table loads it): its name, usage, options and what runs it. */
export interface CommandSpec {
  readonly name: string;
  /** The usage line after `siglens`, e.g. 'roi FILE... [--sphere x,y,z,r[,name]]...'. */
  readonly usage: string;
  /** One sentence: what the command does. */
  readonly summary: string;
  /** The command's own options (the common --json, --engine, --help are added). */
  readonly options: readonly OptionSpec[];
  run(argv: string[]): Promise<CommandOutput>;
}

/** `siglens NAME --help`: the usage, the summary, and every option with its value and meaning. */
export function commandHelp(c: CommandSpec): string {
  const rows = [...c.options, ...COMMON_OPTIONS].map(
    (o) => [`--${o.name}${o.value ? ` ${o.value}` : ''}`, o.help] as const,
  );
  const width = Math.max(...rows.map(([f]) => f.length));
  return [
    `usage: siglens ${c.usage}`,
    '',
    c.summary,
    '',
    'options:',
    ...rows.map(([f, h]) => `  ${f.padEnd(width)}  ${h}`),
  ].join('\n');
}
