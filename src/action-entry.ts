/** dist/index.js, the file action.yml runs: the Action, started (a reading thread runs the same file). */
import { isMainThread } from "node:worker_threads";
import { run } from "./action.js";

if (isMainThread) await run();
