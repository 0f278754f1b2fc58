/**
 * The committed notebooks: clean (no outputs, numbered cell ids, sorted keys, the course's
 * kernel), so diffs stay readable; and the course map's sections in each chapter.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { allNotebooks, cleanNotebook, serialize } from "../scripts/notebooks.mjs";

const notebooks = allNotebooks();
const SECTIONS = ["Background", "Concepts", "Math", "Code", "Exercises", "FAQ", "Summary"];

describe("committed notebooks", () => {
  it("exist", () => {
    expect(notebooks.length).toBeGreaterThan(0);
  });

  for (const file of notebooks) {
    const name = path.basename(file);
    const text = readFileSync(file, "utf8");
    const nb = JSON.parse(text);

    it(`${name} is committed clean (run npm run clean-notebooks)`, () => {
      expect(text).toBe(serialize(cleanNotebook(nb)));
      expect(nb.metadata.kernelspec).toEqual({ display_name: "TypeScript", language: "typescript", name: "tslab" });
    });

    if (/^\d\d-/.test(name) && !name.startsWith("00-")) {
      it(`${name} has the course's sections in order, and a glossary`, () => {
        const headings = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "markdown")
          .flatMap((c: { source: string[] }) => c.source.join("").split("\n"))
          .filter((l: string) => /^## /.test(l)).map((l: string) => l.slice(3).trim());
        const found = SECTIONS.map((s) => headings.findIndex((h: string) => h.startsWith(s)));
        expect(found.every((i) => i >= 0), `missing sections: ${SECTIONS.filter((_, k) => found[k] < 0)}`).toBe(true);
        expect(found).toEqual([...found].sort((a, b) => a - b));
        expect(text).toMatch(/中文/);
      });
    }
  }
});
