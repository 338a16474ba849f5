// Progress of a scan on stderr, for people at a terminal: one live line (what is running, elapsed
// time) redrawn in place, a permanent line per source as it finishes (ok, skipped or failed with
// the reason), and a closing line with the counts. Nothing at all when stderr is not a terminal
// or with --quiet, so pipes and CI logs get only the report.
import type { Report, ScanLogger } from '@supplyaudit/core';
import { createColors } from 'picocolors';
import type { Io } from './io.js';

export interface ProgressOptions {
  readonly quiet: boolean;
  /** colour the marks (decided by the caller from NO_COLOR / FORCE_COLOR and the terminal) */
  readonly color: boolean;
  /** --debug: the scan's debug messages as plain lines (on a terminal or not) */
  readonly debug?: boolean;
  /** redraw period of the live line; 0 turns the timer off (tests) */
  readonly tickMs?: number;
  /** for tests */
  readonly now?: () => number;
}

export interface Progress {
  /** what to hand to `scan({ logger })`; undefined when there is nothing to show */
  readonly logger: ScanLogger | undefined;
  /** the scan finished: clear the live line and print the counts */
  finish(report: Report): void;
  /** the scan stopped (an error): clear the live line, print nothing more */
  stop(): void;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Long reasons cut to the width, and control characters out, so one status stays one line. */
function fit(text: string, width: number): string {
  const clean = text.replace(/\p{Cc}+/gu, ' ');
  return clean.length <= width ? clean : `${clean.slice(0, Math.max(1, width - 1))}…`;
}

export function createProgress(io: Io, options: ProgressOptions): Progress {
  const debug = options.debug === true;
  const live = !options.quiet && io.stderr.isTTY === true;
  if (!live) {
    const logger: ScanLogger | undefined = debug
      ? { debug: (message) => io.stderr.write(`debug: ${fit(message, 10_000)}\n`) }
      : undefined;
    return { logger, finish: () => undefined, stop: () => undefined };
  }
  const c = createColors(options.color);
  const now = options.now ?? (() => performance.now());
  const started = now();
  const width = Math.max(40, io.stderr.columns ?? 80);
  const running = new Set<string>();
  let frame = 0;
  let drawn = false;
  let phase = 'reading lockfiles';

  const clear = () => {
    if (drawn) io.stderr.write('\r\x1b[2K');
    drawn = false;
  };
  const draw = () => {
    const what = running.size === 0 ? phase : `${[...running].join(', ')} running`;
    const spinner = SPINNER[frame % SPINNER.length] ?? '';
    frame++;
    clear();
    io.stderr.write(
      `${c.cyan(spinner)} ${fit(`${what} · ${seconds(now() - started)}`, width - 4)}`,
    );
    drawn = true;
  };
  const tickMs = options.tickMs ?? 100;
  const timer = tickMs > 0 ? setInterval(draw, tickMs) : undefined;
  timer?.unref();
  const end = () => {
    if (timer !== undefined) clearInterval(timer);
    clear();
  };
  draw();

  const logger: ScanLogger = {
    progress(event) {
      if (event.status === 'running') {
        running.add(event.source);
        draw();
        return;
      }
      running.delete(event.source);
      clear();
      const elapsed = c.dim(seconds(now() - started));
      const reason = event.reason === undefined ? '' : `: ${event.reason}`;
      // Only our own text is coloured: the reason is cut and cleaned first.
      const [mark, text] =
        event.status === 'ok'
          ? [c.green('✓'), `${event.source} ok`]
          : event.status === 'skipped'
            ? [c.dim('-'), `${event.source} skipped${reason}`]
            : [c.red('✗'), `${event.source} failed${reason}`];
      // Permanent lines may wrap; only the live line must fit to be redrawn in place.
      io.stderr.write(`${mark} ${fit(text, 1000)} ${elapsed}\n`);
      phase = 'merging';
      draw();
    },
    ...(debug
      ? {
          debug: (message: string) => {
            clear();
            io.stderr.write(`${c.dim('debug:')} ${fit(message, 10_000)}\n`);
          },
        }
      : {}),
  };

  return {
    logger,
    finish(report) {
      end();
      const packages = report.projects.reduce((n, p) => n + p.packageCount, 0);
      const active = report.findings.filter((f) => f.ignored === undefined).length;
      const plural = (n: number, word: string) => `${String(n)} ${word}${n === 1 ? '' : 's'}`;
      const mark = report.complete ? c.green('✓') : c.yellow('!');
      io.stderr.write(
        `${mark} ${plural(packages, 'package')} in ${plural(report.projects.length, 'project')}, ${plural(active, 'finding')} ${c.dim(seconds(now() - started))}\n`,
      );
    },
    stop: end,
  };
}
