/**
 * Reading files on more than one core (issue 24). `readInOrder` yields each candidate's outcome in
 * candidate order, whoever read it, so everything downstream — judging, the report — is the same
 * as on one thread, byte for byte. Files are handed out in runs: each thread, the calling one
 * included, claims the next unclaimed run through a shared counter, so a slow thread never holds
 * the others up, and workers still starting cost the calling thread nothing (it reads meanwhile).
 * The calling thread stays synchronous: it waits on an `Atomics` signal the workers raise after
 * each message, and takes messages with `receiveMessageOnPort`.
 *
 * Workers run the bundle the caller runs (dist/cli.js, dist/index.js); from sources (the tests)
 * there is no bundle to start, and reading stays on the calling thread.
 */
import { availableParallelism } from "node:os";
import {
  isMainThread,
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
  workerData,
} from "node:worker_threads";
import type { Candidate } from "./discover.js";
import { pathStats } from "./path-stats.js";
import { type FileOutcome, Layout, type ReadOptions, readSource } from "./read.js";

/**
 * `--jobs` when not given: the cores this process may use, at most four — but one on a machine
 * of two cores or fewer. There the calling thread already keeps more than one core busy (V8
 * compiles and collects garbage on threads of its own), and a second reading thread, with its own
 * compiler warm-up, made `check` slower, not faster: 2,219 ms against 1,890 ms at 10,000 files,
 * equal at 50,000 (`npm run bench`, 2026-12-07). `--jobs 2` still asks for it.
 */
export function defaultJobs(cores = availableParallelism()): number {
  return cores <= 2 ? 1 : Math.min(cores, 4);
}

/** Files per run handed to a thread. */
const RUN = 32;
/** Runs each thread may read ahead of the one being judged. */
const AHEAD_PER_THREAD = 4;
/** Below this many files, starting a worker costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 400;
/**
 * When no worker has sent anything for this long, the calling thread reads the run it waits for
 * itself: a reader that died or is slow never holds the check up, and the outcome is the same
 * whoever reads the run (a late copy of it is dropped).
 */
const OVERDUE_MS = 2_000;

/** What a worker needs to read files as the calling thread would (ReadOptions without the caches). */
type ReadSettings = Omit<ReadOptions, "layout"> & { roots: readonly string[]; builders: readonly string[] };

/**
 * What a worker is sent: the candidates packed into one string (`kind NUL path NUL absolute NUL`
 * each), so a worker holds one string instead of thousands of objects (issue 24: RSS), and the
 * raw bytes of the names that are not UTF-8, by index.
 */
interface Start {
  count: number;
  packed: string;
  bytes: [number, Uint8Array][];
  settings: ReadSettings;
}

function pack(candidates: Candidate[]): Pick<Start, "count" | "packed" | "bytes"> {
  const parts: string[] = [];
  const bytes: [number, Uint8Array][] = [];
  candidates.forEach((c, i) => {
    parts.push(c.kind, c.path, c.absolute);
    if (c.bytes) bytes.push([i, c.bytes]);
  });
  return { count: candidates.length, packed: `${parts.join("\0")}\0`, bytes };
}

/** The candidate at an index of a packed list (see `pack`). */
function unpacker(start: Start): (index: number) => Candidate {
  const starts = new Int32Array(start.count + 1);
  let at = 0;
  for (let i = 0; i < start.count; i++) {
    starts[i] = at;
    for (let field = 0; field < 3; field++) at = start.packed.indexOf("\0", at) + 1;
  }
  starts[start.count] = at;
  const bytes = new Map(start.bytes.map(([i, raw]) => [i, Buffer.from(raw)]));
  return (index) => {
    const from = starts[index] as number;
    const [kind, path, absolute] = start.packed.slice(from, (starts[index + 1] as number) - 1).split("\0");
    const raw = bytes.get(index);
    return {
      kind: kind as Candidate["kind"],
      path: path as string,
      absolute: absolute as string,
      ...(raw && { bytes: raw }),
    };
  };
}

type WorkerMessage =
  | { run: number; outcomes: FileOutcome[] }
  | { done: true; stats: typeof pathStats }
  | { error: string };

const MARK = "base-image-guard:reader";

/** The bundle that is running, when there is one a worker can start. */
function bundleScript(): URL | undefined {
  const url = new URL(import.meta.url);
  return url.protocol === "file:" && url.pathname.endsWith(".js") ? url : undefined;
}

export function* readInOrder(
  candidates: (Candidate | undefined)[],
  options: ReadOptions,
  jobs: number,
): Generator<FileOutcome> {
  const script = bundleScript();
  const workers = candidates.length >= MIN_FILES_FOR_WORKERS && script ? Math.max(0, jobs - 1) : 0;
  if (workers === 0) {
    pathStats.readers = 1;
    for (let i = 0; i < candidates.length; i++) {
      const candidate = candidates[i] as Candidate;
      candidates[i] = undefined;
      yield readSource(candidate, options);
    }
    return;
  }
  pathStats.readers = workers + 1;
  const runs = Math.ceil(candidates.length / RUN);
  // [0]: the next run to claim; [1]: raised by a worker after each message; [2]: the run the
  // calling thread yields now; [3]: how many runs may be read ahead of it.
  const shared = new Int32Array(new SharedArrayBuffer(16));
  Atomics.store(shared, 3, AHEAD_PER_THREAD * (workers + 1));
  const { maxFileSize, buildArgs, copyFrom, workflows, ci, devcontainers } = options;
  const start: Start = {
    ...pack(candidates as Candidate[]),
    settings: {
      maxFileSize,
      buildArgs,
      copyFrom,
      workflows,
      ci,
      devcontainers,
      roots: options.layout.roots,
      builders: options.layout.builders,
    },
  };
  const count = candidates.length;
  const candidateAt = (i: number) => candidates[i] as Candidate;
  const ports: MessagePort[] = [];
  const threads: Worker[] = [];
  for (let i = 0; i < workers; i++) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(script as URL, {
      workerData: { [MARK]: true, port: port2, shared },
      // A reader holds one run at a time: a small heap keeps the run within its memory budget.
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 48 },
      transferList: [port2],
    });
    worker.unref();
    // A reader that dies (out of memory, say) only leaves its run to the calling thread.
    worker.on("error", () => {});
    port1.postMessage(start);
    ports.push(port1);
    threads.push(worker);
  }
  const done = new Set<number>();
  /** Runs before this one are yielded; a late copy of one is dropped. */
  let consumed = 0;
  const ready = new Map<number, FileOutcome[]>();
  const take = (): boolean => {
    let got = false;
    ports.forEach((port, i) => {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        got = true;
        const message = m.message as WorkerMessage;
        if ("error" in message) throw new Error(`a reading thread failed: ${message.error}`);
        if ("done" in message) {
          done.add(i);
          addStats(message.stats);
        } else if (message.run >= consumed) ready.set(message.run, message.outcomes);
      }
    });
    return got;
  };
  try {
    for (let run = 0; run < runs; run++) {
      let outcomes = ready.get(run);
      let waited = Date.now();
      while (!outcomes) {
        const seen = Atomics.load(shared, 1);
        if (take()) waited = Date.now();
        outcomes = ready.get(run);
        if (outcomes) break;
        // Claimed by a worker that has not sent it yet: read another run meanwhile, or wait.
        const claimed = claim(shared, runs);
        if (claimed >= 0) {
          ready.set(claimed, readRun(candidateAt, count, claimed, options));
          outcomes = ready.get(run);
          continue;
        }
        if (Date.now() - waited > OVERDUE_MS) {
          outcomes = readRun(candidateAt, count, run, options);
          break;
        }
        Atomics.wait(shared, 1, seen, 50);
      }
      ready.delete(run);
      consumed = run + 1;
      Atomics.store(shared, 2, run + 1);
      Atomics.notify(shared, 2);
      const first = run * RUN;
      for (let i = 0; i < outcomes.length; i++) {
        candidates[first + i] = undefined;
        yield outcomes[i] as FileOutcome;
      }
    }
    // Every run is read; the workers' path counts arrive with their last message.
    for (let waited = Date.now(); done.size < ports.length && Date.now() - waited < 500; ) {
      const seen = Atomics.load(shared, 1);
      if (!take()) Atomics.wait(shared, 1, seen, 50);
    }
  } finally {
    for (const port of ports) port.close();
    for (const thread of threads) void thread.terminate();
  }
}

/**
 * The next run to read, or -1 when every run is claimed or the readers are as far ahead of the
 * calling thread as they may be (results waiting in memory are bounded, issue 24: RSS).
 */
function claim(shared: Int32Array, runs: number): number {
  for (;;) {
    const next = Atomics.load(shared, 0);
    if (next >= runs || next >= Atomics.load(shared, 2) + Atomics.load(shared, 3)) return -1;
    if (Atomics.compareExchange(shared, 0, next, next + 1) === next) return next;
  }
}

function readRun(
  candidateAt: (index: number) => Candidate,
  count: number,
  run: number,
  options: ReadOptions,
): FileOutcome[] {
  const outcomes: FileOutcome[] = [];
  const end = Math.min(count, (run + 1) * RUN);
  for (let i = run * RUN; i < end; i++) outcomes.push(readSource(candidateAt(i), options));
  return outcomes;
}

function addStats(stats: typeof pathStats): void {
  for (const kind of ["yaml", "dockerfile"] as const) {
    const into = pathStats[kind] as Record<string, number>;
    for (const [key, count] of Object.entries(stats[kind])) into[key] = (into[key] ?? 0) + count;
  }
}

/** In a worker started by `readInOrder`: read the runs it claims until none is left. */
function serve(port: MessagePort, shared: Int32Array): void {
  const send = (message: WorkerMessage) => {
    port.postMessage(message);
    Atomics.add(shared, 1, 1);
    Atomics.notify(shared, 1);
  };
  port.once("message", (start: Start) => {
    try {
      const { roots, builders, ...rest } = start.settings;
      const options: ReadOptions = { ...rest, layout: new Layout(roots, builders) };
      const candidateAt = unpacker(start);
      const runs = Math.ceil(start.count / RUN);
      while (Atomics.load(shared, 0) < runs) {
        const consumed = Atomics.load(shared, 2);
        const run = claim(shared, runs);
        if (run >= 0) send({ run, outcomes: readRun(candidateAt, start.count, run, options) });
        else Atomics.wait(shared, 2, consumed, 100);
      }
      send({ done: true, stats: pathStats });
    } catch (error) {
      send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    } finally {
      port.close();
    }
  });
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[MARK]) {
  const { port, shared } = workerData as { port: MessagePort; shared: Int32Array };
  serve(port, shared);
}
