/** dist/index.js, the file action.yml runs: the Action, started. */
import { run } from "./action.js";

await run();
