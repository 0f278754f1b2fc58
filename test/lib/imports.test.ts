/**
 * The library's imports flow one way (STYLE.md): no module imports, even for a type alone,
 * a module that imports it back. Interfaces live in files of their own (activation.ts,
 * optimizers/optimizer.ts, layer.ts), so an implementation never imports its registry.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../../lib/src/", import.meta.url));

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sources(file) : file.endsWith(".ts") ? [file] : [];
  });
}

/** The library files `file` imports, by relative path, values and types alike. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^(?:import|export)\b[^;]*?from "(\.{1,2}\/[^"]+)"/gms)].map((m) => {
    const target = path.join(path.dirname(file), m[1]);
    return target.endsWith(".ts") ? target : `${target}.ts`;
  });
}

/** Each cycle found by a depth-first walk, as "a.ts → b.ts → a.ts" relative to lib/src. */
function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (file: string) => {
    const at = stack.indexOf(file);
    if (at >= 0) {
      found.push([...stack.slice(at), file].map((f) => path.relative(src, f)).join(" → "));
      return;
    }
    if (done.has(file)) return;
    stack.push(file);
    for (const next of graph.get(file) ?? []) visit(next);
    stack.pop();
    done.add(file);
  };
  for (const file of graph.keys()) visit(file);
  return found;
}

describe("imports", () => {
  const files = sources(src);
  const graph = new Map(files.map((f) => [f, importsOf(f)]));

  it("every relative import names a file of the library", () => {
    const missing = [...graph.entries()].flatMap(([f, targets]) =>
      targets.filter((t) => !graph.has(t)).map((t) => `${path.relative(src, f)} imports ${path.relative(src, t)}`));
    expect(missing).toEqual([]);
    expect(files.length).toBeGreaterThan(20);
  });

  it("form no cycle, type-only imports included", () => {
    expect(cycles(graph)).toEqual([]);
  });
});
