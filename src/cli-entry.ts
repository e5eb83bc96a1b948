#!/usr/bin/env node
/** dist/cli.js, the `base-image-guard` command: the CLI, started with the process's arguments. */
import { main } from "./cli.js";

process.exitCode = await main(process.argv.slice(2));
