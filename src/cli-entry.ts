#!/usr/bin/env node
/** dist/cli.js, the `base-image-guard` command: the CLI, started with the process's arguments (a reading thread runs the same file). */
import { isMainThread } from "node:worker_threads";
import { main } from "./cli.js";

if (isMainThread) process.exitCode = await main(process.argv.slice(2));
