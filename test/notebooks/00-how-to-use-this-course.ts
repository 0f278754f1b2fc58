/**
 * Chapter 00's own checks: what the chapter tells the reader to expect, recomputed here
 * independently (never copied from the notebook's output), and each exercise's check fed
 * plausible wrong answers, which it must reject with a hint.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import type { ChapterChecks } from "../harness/suite";

type PlotlyFigure = {
  data: { name?: string; x?: number[]; y?: number[] }[];
  layout: { title?: { text?: string }; xaxis?: { title?: { text?: string } }; yaxis?: { title?: { text?: string } } };
};
type MatrixLike = { rows: number; cols: number; data: Float64Array; shape: [number, number] };
type Shape = [number, number];
type FigureLike = { data: Record<string, unknown>[]; layout: Record<string, unknown> };

const libSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "lib", "src");

/** mulberry32 as Tommy Ettinger published it, written independently of the library's Random. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Asserts that `body` throws a CheckError whose message matches `message`. */
function rejects(body: () => void, message: RegExp): void {
  let thrown: unknown;
  try {
    body();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, "the check accepted a wrong answer").toBeInstanceOf(Error);
  expect((thrown as Error).name).toBe("CheckError");
  expect((thrown as Error).message).toMatch(message);
  expect((thrown as Error).message).toMatch(/Hint: \S/);
}

/** Every chapter number a library file's text names: "chapter 05", "chapters 05 and 12", "chapters 04–13". */
function chaptersNamed(text: string): Set<number> {
  const out = new Set<number>();
  for (const m of text.matchAll(/[Cc]hapters? (\d\d(?:(?:, | and |–)\d\d)*)/g)) {
    const range = /^(\d\d)–(\d\d)$/.exec(m[1]);
    if (range) for (let c = Number(range[1]); c <= Number(range[2]); c++) out.add(c);
    else for (const n of m[1].match(/\d\d/g) ?? []) out.add(Number(n));
  }
  return out;
}

const checks: ChapterChecks = (run) => {
  const locals = () => run().locals as Record<string, unknown>;
  const stdout = () => run().cells.map((c) => c.stdout).join("\n");
  const figures = (): PlotlyFigure[] =>
    run().cells.flatMap((c) => c.displays)
      .map((d) => d["application/vnd.plotly.v1+json"] as PlotlyFigure | undefined)
      .filter((f): f is PlotlyFigure => f !== undefined);
  const figureTitled = (title: string) => {
    const found = figures().find((f) => f.layout.title?.text === title);
    expect(found, `a figure titled "${title}"`).toBeDefined();
    return found!;
  };
  const markdown = () => {
    const nb = JSON.parse(readFileSync(run().file, "utf8")) as { cells: { cell_type: string; source: string[] }[] };
    return nb.cells.filter((c) => c.cell_type === "markdown").map((c) => c.source.join("")).join("\n");
  };

  it("shows the library's ShapeError for [1, 2]·[1, 2]: 2 columns on the left, 1 row on the right", () => {
    expect(stdout()).toContain(
      "ShapeError: Matrix.matmul: cannot multiply [1, 2] by [1, 2]. " +
        "The columns of the left matrix (2) must equal the rows of the right one (1).");
  });

  it("prints a Matrix with its shape first", () => {
    const { M } = locals() as { M: MatrixLike };
    expect(M.shape).toEqual([2, 3]);
    expect(Array.from(M.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(stdout()).toMatch(/Matrix \[2, 3\]\n {2}\[1, 2, 3\]\n {2}\[4, 5, 6\]/);
  });

  it("draws the two random walks from seeds 1 and 2, the same as mulberry32 gives on any machine", () => {
    const { walk1, walk2, walkSteps } = locals() as { walk1: number[]; walk2: number[]; walkSteps: number[] };
    for (const [seed, walk] of [[1, walk1], [2, walk2]] as const) {
      const next = mulberry32(seed);
      const expected = [0];
      for (let t = 1; t <= 100; t++) expected.push(expected[t - 1] + (next() < 0.5 ? -1 : 1));
      expect(walk).toEqual(expected);
    }
    expect(walk1).not.toEqual(walk2);
    expect(walkSteps).toEqual(Array.from({ length: 101 }, (_, t) => t));
    const fig = figureTitled("Two seeded random walks");
    expect(fig.data.map((t) => t.name)).toEqual(["seed 1", "seed 2"]);
    expect(fig.data[0].y).toEqual(walk1);
    expect(fig.layout.xaxis?.title?.text).toBe("step");
  });

  it("display sends HTML and the plain text the tests read", () => {
    const cell = run().cells.find((c) => c.source.includes("display({"));
    expect(cell).toBeDefined();
    expect(cell!.displays).toHaveLength(1);
    expect(cell!.displays[0]["text/plain"]).toBe("by hand → byhand library → TensorFlow.js → check ✓");
    expect(String(cell!.displays[0]["text/html"])).toContain("<b>TensorFlow.js</b>");
  });

  it("0.1 + 0.2 differs from 0.3 by 2⁻⁵⁴ ≈ 5.55e-17, as printed", () => {
    const gap = Math.abs(0.1 + 0.2 - 0.3);
    expect(gap).toBe(2 ** -54);
    expect(stdout()).toContain(`largest difference ${gap.toExponential(2)}`);
    expect(gap.toExponential(2)).toBe("5.55e-17");
  });

  it("exercise() reports ✓ for each worked solution, and the demo shows both kinds of ✗", () => {
    for (const name of ["0.1 The mean", "0.2 Seeded dice", "0.3 A chart with titles"]) {
      expect(stdout()).toContain(`✓ Exercise ${name}: all checks pass.`);
    }
    expect(stdout()).toContain(
      "✗ Exercise 0.1 The mean (forgot to divide): mean([1, 2, 3, 4]): expected 2.5 ± 1e-12, got 10.");
    expect(stdout()).toMatch(/✗ Exercise 0\.1 The mean \(placeholder\): not done yet/);
    expect(run().cells.every((c) => c.stderr === "")).toBe(true);
  });

  it("TensorFlow.js stores 0.1 as the float32 0.100000001490116…, 1.49e-9 above it", () => {
    const { tenthInFloat32 } = locals() as { tenthInFloat32: number };
    // The float32 nearest 0.1 is 13421773·2⁻²⁷ (24 significant bits): 0.100000001490116119384765625.
    const float32 = 13421773 * 2 ** -27;
    expect(new Float32Array([0.1])[0]).toBe(float32);
    expect(tenthInFloat32).toBe(float32);
    expect(float32 - 0.1).toBeCloseTo(1.49e-9, 11); // printed to three digits
    expect(stdout()).toContain("difference from 0.1: 1.49e-9");
    expect(stdout()).toMatch(/TensorFlow\.js \d+\.\d+\.\d+, backend: (tensorflow|wasm|cpu)/);
  });

  it("A·B by byhand is the triple-loop product, and TensorFlow.js agrees within float32's 1e-5 but not exactly", () => {
    const { A, B, AB, ABtf } = locals() as { A: MatrixLike; B: MatrixLike; AB: MatrixLike; ABtf: number[] };
    expect(A.shape).toEqual([3, 4]);
    expect(B.shape).toEqual([4, 2]);
    const loops: number[] = [];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += A.data[i * 4 + k] * B.data[k * 2 + j];
        loops.push(s);
      }
    }
    const gap = (x: ArrayLike<number>) => Math.max(...loops.map((v, n) => Math.abs(v - x[n])));
    expect(gap(AB.data)).toBeLessThan(1e-12); // float64 both ways: only the order of the sums differs
    expect(ABtf).toHaveLength(6);
    expect(gap(ABtf)).toBeLessThan(1e-5); // the chapter's float32 tolerance for numbers near 1
    expect(gap(ABtf)).toBeGreaterThan(0); // float32 really rounds
  });

  it("the library table names files that exist, each chapter's row a file that names that chapter", () => {
    const table = markdown().split("\n").filter((l) => /^\| (\d\d|every chapter) /.test(l));
    expect(table.length).toBeGreaterThanOrEqual(12);
    for (const row of table) {
      const files = [...row.matchAll(/`([\w/]+\.ts)`/g)].map((m) => m[1]);
      expect(files.length, row).toBeGreaterThan(0);
      for (const f of files) expect(existsSync(path.join(libSrc, f)), `lib/src/${f} (${row})`).toBe(true);
      const chapter = /^\| (\d\d) /.exec(row)?.[1];
      if (chapter) {
        const named = files.some((f) => chaptersNamed(readFileSync(path.join(libSrc, f), "utf8")).has(Number(chapter)));
        expect(named, `a file in the row for chapter ${chapter} names that chapter`).toBe(true);
      }
    }
  });

  it("Exercise 0.1 rejects a sum without division and a fixed divisor of 4, with a hint", () => {
    const { checkEx0_1, mean } = locals() as {
      checkEx0_1: (f: (xs: readonly number[]) => number) => void; mean: (xs: readonly number[]) => number;
    };
    rejects(() => checkEx0_1((xs) => xs.reduce((s, x) => s + x, 0)), /divide the sum by how many/);
    rejects(() => checkEx0_1((xs) => xs.reduce((s, x) => s + x, 0) / 4), /mean\(\[5\]\).*divide by xs\.length/);
    rejects(() => checkEx0_1((xs) => xs.reduce((s, x) => s + x, 0) / (xs.length - 1)), /expected 2\.5/);
    expect(() => checkEx0_1(mean)).not.toThrow();
  });

  it("Exercise 0.2's dice are mulberry32's, and its check rejects Math.random, faces 0–5, an ignored seed, a missing 6 and a source remade each roll", () => {
    const { checkEx0_2, rollDice } = locals() as {
      checkEx0_2: (f: (seed: number, n: number) => number[]) => void; rollDice: (seed: number, n: number) => number[];
    };
    // The worked solution is 1 + ⌊6u⌋ for mulberry32's u, as the statement says.
    const next = mulberry32(1);
    expect(rollDice(1, 20)).toEqual(Array.from({ length: 20 }, () => 1 + Math.floor(6 * next())));
    expect(() => checkEx0_2(rollDice)).not.toThrow();
    const dice = (draw: (rng: () => number) => number) => (seed: number, n: number) => {
      const rng = mulberry32(seed);
      return Array.from({ length: n }, () => draw(rng));
    };
    rejects(() => checkEx0_2((_seed, n) => Array.from({ length: n }, () => 1 + Math.floor(6 * Math.random()))),
      /again.*not Math\.random/);
    rejects(() => checkEx0_2(dice((rng) => Math.floor(6 * rng()))), /1 to 6.*add 1/);
    rejects(() => checkEx0_2((_seed, n) => dice((rng) => 1 + Math.floor(6 * rng()))(0, n)),
      /seeds 1 and 2.*new Random\(seed\)/);
    rejects(() => checkEx0_2(dice((rng) => 1 + Math.floor(5 * rng()))), /each face.*1 \+ rng\.int\(6\)/);
    rejects(() => checkEx0_2((seed, n) => Array.from({ length: n }, () => 1 + Math.floor(6 * mulberry32(seed)()))),
      /(each face|seeds 1 and 2)/);
  });

  it("Exercise 0.3 rejects a chart without titles, wrong y values and hard-coded squares, with a hint", () => {
    const { checkEx0_3, squaresFigure, figure } = locals() as {
      checkEx0_3: (f: (xs: number[]) => FigureLike) => void;
      squaresFigure: (xs: number[]) => FigureLike;
      figure: (traces: Record<string, unknown>[], layout?: Record<string, unknown>) => FigureLike;
    };
    const titled = { title: "Squares", xaxis: { title: "x" }, yaxis: { title: "x²" } };
    rejects(() => checkEx0_3((xs) => figure([{ x: xs, y: xs.map((x) => x * x) }])), /title.*Give figure a layout/);
    rejects(() => checkEx0_3((xs) => figure([{ x: xs, y: xs.map((x) => x * x) }], { title: "Squares" })),
      /axes.*Give each axis a title/);
    rejects(() => checkEx0_3((xs) => figure([{ x: xs, y: xs.map((x) => 2 * x) }], titled)), /the trace's y.*xs\.map/);
    rejects(() => checkEx0_3((xs) => figure([{ x: xs, y: [4, 1, 0, 1, 4] }], titled)),
      /for other points.*Compute it from xs/);
    rejects(() => checkEx0_3((xs) => figure([{ x: xs, y: xs }, { x: xs, y: xs.map((x) => x * x) }], titled)),
      /number of traces.*one trace/);
    expect(() => checkEx0_3(squaresFigure)).not.toThrow();
    const fig = figureTitled("The squares");
    expect(fig.data[0].y).toEqual([4, 1, 0, 1, 4]);
  });
};

export default checks;
