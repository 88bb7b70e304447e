/** A command-line mistake: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Parsed {
  readonly positionals: string[];
  readonly flags: Map<string, string[]>;
}

/** One option of a command: a switch when it has no `value`, else it takes one (and may repeat). */
export interface OptionSpec {
  readonly name: string;
  /** The value's placeholder in help, e.g. 'T' or '6|18|26'; absent for a switch. */
  readonly value?: string;
  readonly help: string;
}

/** Accepted by every command (SPEC: the command line), so each command's parser knows them. */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  { name: 'json', help: 'print one JSON document on stdout' },
  {
    name: 'engine',
    value: 'auto|gpu|cpu',
    help: 'the compute path (default auto); a command that runs on the CPU alone says so in engine',
  },
  { name: 'help', help: "print the command's usage and options" },
];

/** parseArgs over a command's own options and the common ones. */
export function parseOptions(argv: readonly string[], options: readonly OptionSpec[]): Parsed {
  const all = [...options, ...COMMON_OPTIONS];
  return parseArgs(
    argv,
    all.filter((o) => o.value === undefined).map((o) => o.name),
    all.filter((o) => o.value !== undefined).map((o) => o.name),
  );
}

/**
 * Splits `--name value`, `--name=value` and bare `--switch` arguments. `switches` lists the flags
 * that take no value; every other flag takes exactly one (and may repeat, e.g. --sphere).
 */
export function parseArgs(
  argv: readonly string[],
  ownSwitches: readonly string[],
  ownValued: readonly string[],
): Parsed {
  // The common options are accepted whoever parses: a command written before them keeps the contract.
  const switches = [...ownSwitches, 'json', 'help'];
  const valued = [...ownValued, 'engine'];
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--') || a === '--') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (switches.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.set(name, ['true']);
      continue;
    }
    if (!valued.includes(name)) throw new UsageError(`unknown option --${name}`);
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { positionals, flags };
}

export function flag(p: Parsed, name: string): string | undefined {
  const v = p.flags.get(name);
  return v?.[v.length - 1];
}

export function numberFlag(
  p: Parsed,
  name: string,
  check: (n: number) => boolean = Number.isFinite,
): number | undefined {
  const v = flag(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !check(n)) throw new UsageError(`--${name} ${v} is not a valid value`);
  return n;
}
