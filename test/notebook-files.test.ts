/**
 * The committed notebooks: clean (no outputs, numbered cell ids, sorted keys, the course's
 * kernel), so diffs stay readable; and the course map's sections in each chapter.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { allNotebooks, cleanNotebook, serialize } from "../scripts/notebooks.mjs";

const notebooks = allNotebooks();

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

    const chapter = /^(\d\d)-/.exec(name)?.[1];
    if (chapter && chapter !== "00") {
      it(`${name} reads in the course's order: Background, numbered topics, Exercises, FAQ, Summary with a glossary`, () => {
        const headings = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "markdown")
          .flatMap((c: { source: string[] }) => c.source.join("").split("\n"))
          .filter((l: string) => /^## /.test(l)).map((l: string) => l.slice(3).trim());
        const at = (s: string) => headings.findIndex((h: string) => h.startsWith(s));
        const sections = ["Background", "Exercises", "FAQ", "Summary"].map(at);
        expect(sections.every((i) => i >= 0), `sections found: ${headings.join(" | ")}`).toBe(true);
        expect(sections).toEqual([...sections].sort((a, b) => a - b));
        // Every heading between Background and Exercises is a numbered topic of this chapter:
        // "## 3.2 The sigmoid", numbered 1, 2, 3, … in order.
        const topics = headings.slice(sections[0] + 1, sections[1]);
        expect(topics.length, "at least two topics between Background and Exercises").toBeGreaterThanOrEqual(2);
        const n = Number(chapter);
        topics.forEach((t: string, k: number) => expect(t).toMatch(new RegExp(`^${n}\\.${k + 1} \\S`)));
        expect(text).toMatch(/中文/);
      });
    }
  }
});

describe("the course index", () => {
  const index = notebooks.find((f: string) => path.basename(f) === "index.ipynb");
  const chapters = notebooks.map((f: string) => path.basename(f)).filter((n: string) => /^\d\d-/.test(n));

  it("exists", () => expect(index).toBeDefined());

  it("links every chapter, in course order, and links nothing that is missing", () => {
    const text = readFileSync(index!, "utf8");
    const links = [...text.matchAll(/\]\(([^)]+\.ipynb)\)/g)].map((m) => m[1]);
    expect(links).toEqual(chapters);
  });
});
