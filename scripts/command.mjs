/**
 * Runs `main(args)` when the module at `moduleUrl` is the script node was started with (not
 * when a test imports it): an error ends the process with its message and exit code 1.
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export function runAsCommand(moduleUrl, main) {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .catch((e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
