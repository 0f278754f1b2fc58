import type { Plugin } from "vite";

/**
 * Lets vitest take notebooks as test files: each `.ipynb` it is asked to load becomes
 * `notebookSuite(<that file>)`. A new notebook is therefore tested with no test change,
 * and (with the forks pool) in a process of its own, as tslab needs.
 */
export function notebookTests(suiteModule: string): Plugin {
  return {
    name: "notebook-tests",
    enforce: "pre",
    load(id) {
      const file = id.split("?")[0];
      if (!file.endsWith(".ipynb")) return null;
      return `import { notebookSuite } from ${JSON.stringify(suiteModule)};\n` +
        `notebookSuite(${JSON.stringify(file)});\n`;
    },
  };
}
