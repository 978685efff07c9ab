/**
 * What every benchmark script shares around its measurement: its command-line options, and its
 * section of docs/BENCHMARKS.md, rewritten in place on every run so that other benchmarks'
 * sections stay as they are.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const DOC = path.resolve(import.meta.dirname, '..', 'docs/BENCHMARKS.md');

/** The value after `--name` on the command line, if given. */
export function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The median of `xs` (not empty). */
export function median(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** "2026-11-26 08:41 UTC" */
export function utcMinute(date = new Date()): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Prints a benchmark's section (its lines, heading first) and writes it into docs/BENCHMARKS.md. */
export function publishSection(heading: string, lines: readonly string[]): void {
  const section = lines.join('\n');
  console.log(section);
  writeBenchmarksSection(heading, section);
}

/** Runs a benchmark's main, turning a failure into its message and exit status 1. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
}

/**
 * Replaces the section of docs/BENCHMARKS.md that starts with `heading` (a "## " line, the first
 * line of `section`) by `section`, or appends it when there is none yet.
 */
function writeBenchmarksSection(heading: string, section: string): void {
  if (!section.startsWith(heading)) throw new Error(`writeBenchmarksSection: the section must start with its heading "${heading}"`);
  const existing = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  const start = existing.indexOf(heading);
  let next: string;
  if (start < 0) {
    next = `${existing.trimEnd()}\n\n${section}`;
  } else {
    // The section runs to the next heading of the same level (another benchmark's section) or the end.
    const after = existing.indexOf('\n## ', start + heading.length);
    next = existing.slice(0, start) + section.trimEnd() + (after < 0 ? '' : `\n\n${existing.slice(after + 1)}`);
  }
  writeFileSync(DOC, `${next.trimEnd()}\n`);
  console.error(`[bench] wrote ${path.relative(process.cwd(), DOC)}`);
}
