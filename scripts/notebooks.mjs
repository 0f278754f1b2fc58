#!/usr/bin/env node
/**
 * Notebook file tools.
 *   node scripts/notebooks.mjs clean [files…]        strip outputs, number cells, normalise JSON
 *   node scripts/notebooks.mjs check [files…]        exit 1 if any notebook is not clean
 *   node scripts/notebooks.mjs from-text IN.ts OUT.ipynb
 *   node scripts/notebooks.mjs to-text IN.ipynb OUT.ts
 * With no files, clean/check take every notebook under notebooks/.
 *
 * The text form is one file with cells separated by lines that start with `// %%`:
 *   // %% [markdown]            a Markdown cell; the lines after it are the Markdown
 *   // %%                       a code cell
 *   // %% {"tags": ["raises-exception"], "byhand": {"error": "ShapeError"}}
 *                               a code cell with this metadata
 */
import { existsSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { runAsCommand } from "./command.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const KERNELSPEC = { display_name: "TypeScript", language: "typescript", name: "tslab" };
export const LANGUAGE_INFO = {
  codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
  file_extension: ".ts",
  mimetype: "text/typescript",
  name: "typescript",
  version: "3.7.2",
};

/**
 * Every notebook under `dir` (default notebooks/), sorted.
 * @returns {string[]}
 */
export function allNotebooks(dir = path.join(root, "notebooks")) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.name.startsWith(".") || e.name === "node_modules" ? [] :
    e.isDirectory() ? allNotebooks(path.join(dir, e.name)) :
    e.name.endsWith(".ipynb") ? [path.join(dir, e.name)] : []).sort();
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  }
  return value;
}

/**
 * The notebooks a command works on: the files given, else every notebook under notebooks/.
 * Finding none is an error (a wrong folder must not pass as "nothing to do").
 */
export function notebooksToProcess(args, command) {
  const files = args.length ? args.map((f) => path.resolve(f)) : allNotebooks();
  if (!files.length) {
    throw new Error(`${command}: found no notebooks in ${path.join(root, "notebooks")}`);
  }
  return files;
}

/** Splits a source string into Jupyter's list-of-lines form. */
export function sourceLines(text) {
  return text.length ? text.split(/(?<=\n)/) : [];
}

/** A cell's source as one string (Jupyter stores it as a list of lines or as a string). */
export function cellText(cell) {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/**
 * Where a cell starts in the slides (Jupyter's `slideshow.slide_type`), for cells that do not
 * say: a "#" or "##" heading opens a new slide, every other cell a slide below it (one cell
 * per slide, so a section reads top to bottom). Set a cell's own type to change its place.
 */
export function defaultSlideType(cell) {
  return cell.cell_type === "markdown" && /^#{1,2}\s/.test(cellText(cell)) ? "slide" : "subslide";
}

/**
 * The committed form: no outputs or counts, ids c01…, the kernel named, every cell's slide
 * type set, keys sorted, 1-space indent.
 */
export function cleanNotebook(nb) {
  const width = String(nb.cells.length).length < 2 ? 2 : String(nb.cells.length).length;
  const cells = nb.cells.map((cell, i) => {
    const src = cellText(cell);
    const out = {
      cell_type: cell.cell_type,
      id: `c${String(i + 1).padStart(width, "0")}`,
      metadata: cell.metadata ?? {},
      source: sourceLines(src.replace(/\s+$/, "")),
    };
    if (cell.cell_type === "code") Object.assign(out, { execution_count: null, outputs: [] });
    for (const k of ["collapsed", "scrolled", "execution"]) delete out.metadata[k];
    if (!out.metadata.slideshow?.slide_type) {
      out.metadata = { ...out.metadata, slideshow: { ...out.metadata.slideshow, slide_type: defaultSlideType(cell) } };
    }
    return out;
  });
  const metadata = { ...nb.metadata, kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO };
  return sortKeys({ cells, metadata, nbformat: 4, nbformat_minor: 5 });
}

export function serialize(nb) {
  return JSON.stringify(nb, null, 1) + "\n";
}

export function fromText(text) {
  const cells = [];
  let current = null;
  for (const line of text.split("\n")) {
    const m = /^\/\/ %%(.*)$/.exec(line);
    if (m) {
      const rest = m[1].trim();
      current = rest.startsWith("[markdown]")
        ? { cell_type: "markdown", metadata: {}, source: [] }
        : { cell_type: "code", metadata: rest ? JSON.parse(rest) : {}, source: [] };
      cells.push(current);
    } else if (current) {
      current.source.push(line);
    } else if (line.trim()) {
      throw new Error(`from-text: text before the first "// %%" line: ${line}`);
    }
  }
  for (const c of cells) c.source = c.source.join("\n").replace(/^\n+/, "");
  return cleanNotebook({ cells, metadata: {} });
}

export function toText(nb) {
  return nb.cells.map((c) => {
    const src = cellText(c);
    const meta = Object.keys(c.metadata ?? {}).length ? " " + JSON.stringify(c.metadata) : "";
    return (c.cell_type === "markdown" ? "// %% [markdown]" : "// %%" + meta) + "\n" + src + "\n";
  }).join("\n");
}

function main(argv) {
  const [cmd, ...args] = argv;
  const files = () => notebooksToProcess(args, `notebooks.mjs ${cmd}`);
  if (cmd === "clean") {
    for (const f of files()) writeFileSync(f, serialize(cleanNotebook(JSON.parse(readFileSync(f, "utf8")))));
  } else if (cmd === "check") {
    const dirty = files().filter((f) => readFileSync(f, "utf8") !== serialize(cleanNotebook(JSON.parse(readFileSync(f, "utf8")))));
    if (dirty.length) {
      console.error(`Not clean (run: npm run clean-notebooks):\n  ${dirty.map((f) => path.relative(root, f)).join("\n  ")}`);
      process.exit(1);
    }
  } else if (cmd === "from-text") {
    writeFileSync(args[1], serialize(fromText(readFileSync(args[0], "utf8"))));
  } else if (cmd === "to-text") {
    writeFileSync(args[1], toText(JSON.parse(readFileSync(args[0], "utf8"))));
  } else {
    console.error("usage: notebooks.mjs clean|check [files…] | from-text IN.ts OUT.ipynb | to-text IN.ipynb OUT.ts");
    process.exit(2);
  }
}

runAsCommand(import.meta.url, main);
