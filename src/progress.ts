/**
 * A progress line on stderr for long work (issue 25): `check` over many files, `rebuild`,
 * `inventory scan`. Shown only when stdout and stderr are both terminals and `CI` is unset, so it
 * never reaches a CI log, a pipe, a file or a report on stdout. It appears once the work has run
 * for a second (within two, as promised) and is redrawn at least every second: by the work's own
 * ticks, and for work that waits on tools by a timer as well. While it is shown, anything written
 * to stdout first clears it and then draws it again below, so tool output is never garbled; it
 * is cleared for good before the report is written.
 */
import { terminal } from "./report/neutralise.js";

export interface ProgressOptions {
  /** What is being done, first on the line: `checking`, `rebuild`, `inventory scan`. */
  label: string;
  /** What is counted: `files`, `images`, `repositories`. */
  unit: string;
  out?: NodeJS.WriteStream;
  err?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds since some origin; `performance.now` by default (tests give a clock). */
  now?: () => number;
  /** Redraw on a timer too (work that waits on child processes). */
  timer?: boolean;
  /** Never shown (a dry run prints its commands at once). */
  off?: boolean;
}

/** Where the terminal line starts over: carriage return, then erase the line. */
const CLEAR = "\r\u001b[2K";
/** The first line appears after this long (the promise is within two seconds). */
const FIRST_AFTER_MS = 1000;
/** Ticks redraw at most this often; the timer every second. */
const REDRAW_MS = 250;

/** Whether progress may be shown: both streams terminals, `CI` unset. */
export function progressAllowed(
  out: { isTTY?: boolean } = process.stdout,
  err: { isTTY?: boolean } = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return out.isTTY === true && err.isTTY === true && !env.CI;
}

export class Progress {
  private done = 0;
  private total = 0;
  private detail = "";
  /** The line is on the screen now. */
  private visible = false;
  /** The last output of anyone else ended a line: the progress line may be drawn. */
  private atLineStart = true;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private readonly started: number;
  private readonly now: () => number;
  private readonly err: NodeJS.WriteStream;
  private readonly out: NodeJS.WriteStream;
  private readonly firstAfter: number;
  /** stderr's own write, kept before any interception. */
  private readonly writeErr: (text: string) => void;
  private timer: NodeJS.Timeout | undefined;
  private restore: (() => void)[] = [];
  readonly enabled: boolean;

  constructor(private readonly options: ProgressOptions) {
    this.out = options.out ?? process.stdout;
    this.err = options.err ?? process.stderr;
    const err = this.err;
    const write = err.write;
    this.writeErr = (text) => {
      write.call(err, text);
    };
    const env = options.env ?? process.env;
    this.enabled = options.off !== true && progressAllowed(this.out, this.err, env);
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
    // Tests of the terminal behaviour shorten the wait; nothing else reads this.
    const after = Number(env.BASE_IMAGE_GUARD_PROGRESS_AFTER_MS);
    this.firstAfter = env.BASE_IMAGE_GUARD_PROGRESS_AFTER_MS && after >= 0 ? after : FIRST_AFTER_MS;
    if (!this.enabled) return;
    this.intercept(this.out);
    this.intercept(this.err);
    if (options.timer) {
      this.timer = setInterval(() => this.draw(), 1000);
      this.timer.unref();
    }
  }

  /** `done` of `total` finished, and what is under way (an image and its step). */
  update(done: number, total: number, detail = ""): void {
    if (!this.enabled) return;
    this.done = done;
    this.total = total;
    this.detail = detail;
    if (this.now() - this.lastDraw >= REDRAW_MS) this.draw();
  }

  /** Takes the line away for good (before the report), and stops the timer. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.hide();
    for (const undo of this.restore) undo();
    this.restore = [];
  }

  /** The line as drawn: `checking 1,234/10,000 files · 3 s`. */
  line(now = this.now()): string {
    const seconds = Math.floor((now - this.started) / 1000);
    const count = `${this.done.toLocaleString("en-US")}/${this.total.toLocaleString("en-US")} ${this.options.unit}`;
    const text = [`${this.options.label} ${count}`, terminal(this.detail), `${seconds} s`]
      .filter(Boolean)
      .join(" · ");
    // One terminal line: a longer one would wrap, and erasing would take only its last part.
    const width = this.err.columns > 0 ? this.err.columns - 1 : 79;
    return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  }

  private draw(): void {
    const now = this.now();
    if (!this.enabled || now - this.started < this.firstAfter || !this.atLineStart) return;
    this.lastDraw = now;
    this.visible = true;
    this.writeErr(`${CLEAR}${this.line(now)}`);
  }

  private hide(): void {
    if (this.visible) this.writeErr(CLEAR);
    this.visible = false;
  }

  /**
   * While progress runs, output to the stream takes the line away first and has it drawn again
   * after, once the output has ended its line (a partial line is never erased).
   */
  private intercept(stream: NodeJS.WriteStream): void {
    const write = stream.write;
    const progress = this;
    stream.write = function (this: NodeJS.WriteStream, ...args: Parameters<typeof write>) {
      const [chunk] = args;
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
      if (text.length === 0) return write.apply(this, args);
      progress.hide();
      const result = write.apply(this, args);
      progress.atLineStart = text.endsWith("\n");
      if (progress.atLineStart && progress.lastDraw > Number.NEGATIVE_INFINITY) progress.draw();
      return result;
    } as typeof write;
    this.restore.push(() => {
      stream.write = write;
    });
  }
}

/** Runs synchronous work with a progress line, and takes the line away however the work ends. */
export function withProgress<T>(progress: Progress, work: () => T): T {
  try {
    return work();
  } finally {
    progress.stop();
  }
}
