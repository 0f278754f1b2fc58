import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { notebookTests } from "./test/harness/plugin";

const suite = fileURLToPath(new URL("./test/harness/suite.ts", import.meta.url));

export default defineConfig({
  plugins: [notebookTests(suite)],
  test: {
    // tslab's executor moves the process into the notebook's folder and keeps global state,
    // so every test file (every notebook) gets a process of its own.
    pool: "forks",
    exclude: ["**/node_modules/**", "**/.ipynb_checkpoints/**"],
    // Builds lib/ first: notebooks import the built library, which must match lib/src.
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    // The library's tests run twice: on the default fast path (WebAssembly), and on the
    // readable reference code, so every tfjs cross-check holds for both (BYHAND_BACKEND,
    // read by lib/src/backend.ts). Everything else runs once, in "fast". Each project names
    // its own files: an `include` here at the top would be added to both projects' lists.
    projects: [
      { extends: true, test: { name: "fast", include: ["test/**/*.test.ts", "notebooks/**/*.ipynb"] } },
      { extends: true, test: { name: "reference", include: ["test/lib/**/*.test.ts"], env: { BYHAND_BACKEND: "reference" } } },
    ],
  },
});
