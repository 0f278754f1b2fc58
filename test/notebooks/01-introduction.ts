/**
 * Chapter 01's own checks: what the chapter tells the reader to expect, recomputed here from
 * the formulas and the facts (never copied from the notebook's output), and the exercise
 * checks fed plausible wrong answers.
 */
import { expect, it } from "vitest";
import type { ChapterChecks } from "../harness/suite";
import { chapterRun, expectRejected } from "../harness/chapter";

type Rule = { w: number; b: number };
type Event = { year: number; label: string };
type Gap = { from: string; to: string; years: number };
type Yearly = { year: number; top5: number };
type Drops = { absolute: { year: number; drop: number }; relative: { year: number; drop: number } };
type PlotlyFigure = {
  data: { name?: string; x?: (number | string)[]; y?: (number | string)[]; type?: string }[];
  layout: {
    title?: { text?: string };
    yaxis?: { type?: string };
    shapes?: { type: string; x0: number; x1: number; y0: number; y1: number }[];
  };
};

/** Least squares by the normal equations [Σx² Σx; Σx m]·[w; b] = [Σxy; Σy], solved by Cramer's rule. */
function normalEquations(x: number[], y: number[]): Rule {
  const m = x.length;
  const sx = x.reduce((s, v) => s + v, 0), sy = y.reduce((s, v) => s + v, 0);
  const sxx = x.reduce((s, v) => s + v * v, 0), sxy = x.reduce((s, v, i) => s + v * y[i], 0);
  const det = sxx * m - sx * sx;
  return { w: (sxy * m - sx * sy) / det, b: (sxx * sy - sx * sxy) / det };
}

/** Dense: n_in·n_out + n_out; convolution: k_h·k_w·(c_in/groups)·c_out + c_out. */
const dense = (nIn: number, nOut: number) => nIn * nOut + nOut;
const conv = (k: number, cIn: number, cOut: number, groups = 1) => k * k * (cIn / groups) * cOut + cOut;
// AlexNet's layers as its 2012 paper describes them (kernel, input channels, filters, groups).
const ALEXNET_CONV: [number, number, number, number][] = [[11, 3, 96, 1], [5, 96, 256, 2], [3, 256, 384, 1], [3, 384, 384, 2], [3, 384, 256, 2]];
const ALEXNET_DENSE = dense(6 * 6 * 256, 4096) + dense(4096, 4096) + dense(4096, 1000);

const expectCheckError = expectRejected;

const checks: ChapterChecks = (run) => {
  const shared = chapterRun(run);
  const { locals, stdout } = shared;
  const figures = () => shared.figures() as unknown as PlotlyFigure[];
  const figureTitled = (pattern: RegExp) => shared.figureTitled(pattern) as unknown as PlotlyFigure;

  it("draws AI ⊃ ML ⊃ DL as nested ellipses, each method inside its own set and no deeper", () => {
    const fig = figureTitled(/^AI ⊃ machine learning ⊃ deep learning$/);
    const ellipses = fig.layout.shapes!.filter((s) => s.type === "circle");
    expect(ellipses).toHaveLength(3);
    const inside = (k: number, x: number, y: number) => {
      const e = ellipses[k];
      const cx = (e.x0 + e.x1) / 2, cy = (e.y0 + e.y1) / 2, rx = (e.x1 - e.x0) / 2, ry = (e.y1 - e.y0) / 2;
      return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
    };
    // Shapes are AI, ML, DL in that order; traces likewise; depth = number of ellipses containing the point.
    fig.data.forEach((trace, depth) => {
      trace.x!.forEach((x, i) => {
        const y = trace.y![i] as number;
        const containing = [0, 1, 2].filter((k) => inside(k, x as number, y)).length;
        expect(containing, `${trace.name} point ${i}`).toBe(depth + 1);
      });
    });
    expect(fig.data.reduce((n, t) => n + t.x!.length, 0)).toBe(11);
  });

  it("learns F ≈ 1.8211·C + 31.379 by least squares; the network and TensorFlow.js agree", () => {
    const { celsius, fahrenheit, learnedRule, networkRule, tfRule, mseOf } = locals() as {
      celsius: number[]; fahrenheit: number[]; learnedRule: Rule; networkRule: Rule; tfRule: Rule; mseOf: (r: Rule) => number;
    };
    expect(celsius).toHaveLength(30);
    expect(celsius[0]).toBe(-10);
    expect(celsius[29]).toBeCloseTo(40, 12);
    const ref = normalEquations(celsius, fahrenheit);
    // Two algebraically equal formulas in float64: they agree to rounding (1e-10).
    expect(Math.abs(learnedRule.w - ref.w)).toBeLessThan(1e-10);
    expect(Math.abs(learnedRule.b - ref.b)).toBeLessThan(1e-9);
    expect(ref.w).toBeCloseTo(1.8211, 4); // the numbers the text prints
    expect(ref.b).toBeCloseTo(31.379, 3);
    expect(Math.abs(networkRule.w - ref.w)).toBeLessThan(1e-9);
    expect(Math.abs(networkRule.b - ref.b)).toBeLessThan(1e-9);
    // TensorFlow.js computes in float32: relative 1e-5.
    expect(Math.abs(tfRule.w / ref.w - 1)).toBeLessThan(1e-5);
    expect(Math.abs(tfRule.b / ref.b - 1)).toBeLessThan(1e-5);
    // The learned line has the smaller squared error on the data it was fitted to.
    const mse = (r: Rule) => celsius.reduce((s, c, i) => s + (r.w * c + r.b - fahrenheit[i]) ** 2, 0) / 30;
    expect(mse(ref)).toBeLessThan(mse({ w: 1.8, b: 32 }));
    expect(mseOf({ w: 1.8, b: 32 })).toBeCloseTo(mse({ w: 1.8, b: 32 }), 12);
    expect(stdout()).toMatch(/rule by hand 2\.706 °F², learned 2\.514 °F²/);
    figureTitled(/^A rule written by hand and a rule learned from 30 readings$/);
  });

  it("runs the perceptron rule on two points to w = [−1, 1], b = 0, by hand and by the library", () => {
    const { byHandTwo, libraryTwo } = locals() as {
      byHandTwo: { w: number[]; b: number; mistakes: number[] }; libraryTwo: { w: number[]; b: number };
    };
    // Independently: zero start, step(0) = 1, w ← w + (y − ŷ)x.
    let w = [0, 0], b = 0;
    const mistakes: number[] = [];
    for (let e = 0; e < 3; e++) {
      let wrong = 0;
      for (const [x, y] of [[[1, 2], 1], [[2, 1], 0]] as [number[], number][]) {
        const err = y - (w[0] * x[0] + w[1] * x[1] + b >= 0 ? 1 : 0);
        if (err) { w = [w[0] + err * x[0], w[1] + err * x[1]]; b += err; wrong++; }
      }
      mistakes.push(wrong);
    }
    expect(byHandTwo).toEqual({ w, b, mistakes });
    expect(byHandTwo).toEqual({ w: [-1, 1], b: 0, mistakes: [1, 1, 0] });
    expect({ w: libraryTwo.w, b: libraryTwo.b }).toEqual({ w, b });
    figureTitled(/^The perceptron rule on two points$/);
  });

  it("a perceptron never gets XOR right; a 2-4-1 network trained by backpropagation does", () => {
    const { xorWrongAfterEpoch, xorNetOutputs, xorNetHistory } = locals() as {
      xorWrongAfterEpoch: number[]; xorNetOutputs: number[]; xorNetHistory: { history: { loss: number[] } };
    };
    expect(xorWrongAfterEpoch).toHaveLength(50);
    expect(Math.min(...xorWrongAfterEpoch)).toBeGreaterThan(0);
    [0, 1, 1, 0].forEach((t, i) => expect(Math.abs(xorNetOutputs[i] - t)).toBeLessThan(0.05));
    const loss = xorNetHistory.history.loss;
    expect(loss).toHaveLength(3000);
    expect(loss.at(-1)!).toBeLessThan(loss[0] / 100);
    figureTitled(/^A 2-4-1 sigmoid network learning XOR/);
  });

  it("keeps the history in one table: the six milestones, their gaps, and the timeline drawn from it", () => {
    const { timeline, milestoneGaps } = locals() as {
      timeline: (Event & { milestone: boolean; who: string; what: string; weightLayers?: number })[]; milestoneGaps: number[];
    };
    const years = timeline.filter((e) => e.milestone).map((e) => e.year);
    expect(years).toEqual([1943, 1958, 1969, 1986, 2006, 2012]);
    expect(milestoneGaps).toEqual([15, 11, 17, 20, 6]);
    const pick = (year: number) => timeline.find((e) => e.year === year)!;
    expect(pick(1943).who).toMatch(/McCulloch.*Pitts/);
    expect(pick(1958).who).toMatch(/Rosenblatt/);
    expect(pick(1969).who).toMatch(/Minsky.*Papert/);
    expect(pick(1970).who).toMatch(/Linnainmaa/);
    expect(pick(1974).who).toMatch(/Werbos/);
    expect(pick(1986).who).toMatch(/^David Rumelhart, Geoffrey Hinton, Ronald Williams$/);
    expect(pick(2006).who).toMatch(/Hinton.*Osindero.*Teh/);
    expect(pick(2012).who).toMatch(/Krizhevsky.*Sutskever.*Hinton/);
    // The papers' titles and the numbers in them, as published.
    expect(pick(1943).what).toMatch(/A Logical Calculus of the Ideas Immanent in Nervous Activity/);
    expect(pick(1986).what).toMatch(/Learning representations by back-propagating errors.*Nature/);
    expect(pick(1989).what).toMatch(/Backpropagation Applied to Handwritten Zip Code Recognition/);
    expect(pick(1998).what).toMatch(/Gradient-Based Learning Applied to Document Recognition/);
    expect(pick(2006).what).toMatch(/A Fast Learning Algorithm for Deep Belief Nets/);
    expect(pick(2012).what).toMatch(/15\.3 % against 26\.2 %/);
    expect(pick(2017).what).toMatch(/Attention Is All You Need/);
    expect(Object.fromEntries(timeline.filter((e) => e.weightLayers !== undefined).map((e) => [e.year, e.weightLayers])))
      .toEqual({ 1943: 0, 1958: 1, 1971: 8, 1989: 4, 1998: 7, 2006: 3, 2012: 8 });
    const fig = figureTitled(/^Neural networks, 1943–2017/);
    expect(fig.data.reduce((n, t) => n + t.x!.length, 0)).toBe(timeline.length);
  });

  it("checks source 004's names and claims, and the 1986 and 2006 errata, against the table", () => {
    const out = stdout();
    expect(out).toMatch(/5 of 5 Chinese names in source 004 differ from the standard ones/);
    const { source004People } = locals() as {
      source004People: { person: string; source004Writes: string; standardName: string; source004Says: string; fact: string }[];
    };
    const person = (name: string) => source004People.find((p) => p.person === name)!;
    // Source 004, §1 as written, and the standard mainland transliterations.
    expect(person("Warren McCulloch")).toMatchObject({ source004Writes: "伯努利·伯努利", standardName: "沃伦·麦卡洛克" });
    expect(person("Geoffrey Hinton")).toMatchObject({ source004Writes: "格雷厄姆·海伦", standardName: "杰弗里·辛顿", source004Says: "American scientist" });
    expect(person("Geoffrey Hinton").fact).toMatch(/born in London, British-Canadian/);
    expect(person("Alex Krizhevsky")).toMatchObject({ standardName: "亚历克斯·克里泽夫斯基", source004Says: "Google scientist" });
    expect(person("Alex Krizhevsky").fact).toMatch(/2012 a graduate student at the University of Toronto; at Google from 2013/);
    expect(out).toMatch(/first author of the 1986 paper: David Rumelhart/);
    expect(out).toMatch(/the earliest is 16 years before 1986/); // 1986 − 1970
    const { timeline } = locals() as { timeline: { year: number; weightLayers?: number }[] };
    const deep = timeline.filter((e) => e.year < 2006 && (e.weightLayers ?? 0) >= 3).map((e) => e.year);
    expect(deep).toEqual([1971, 1989, 1998]);
    expect(out).toMatch(/networks with 3 or more layers of learned weights before 2006: 3/);
    figureTitled(/^A deep belief net, trained one layer at a time \(2006\)$/);
  });

  it("puts AlexNet 10.9 points below the runner-up, and shows the ILSVRC winners by year", () => {
    const { alexNetGap, ilsvrcWinners } = locals() as { alexNetGap: number; ilsvrcWinners: Yearly[] };
    expect(alexNetGap).toBeCloseTo(26.2 - 15.3, 9);
    expect(ilsvrcWinners.find((r) => r.year === 2012)!.top5).toBe(15.3);
    expect(ilsvrcWinners.find((r) => r.top5 < 5.1)!.year).toBe(2015);
    const fig = figureTitled(/^ImageNet classification: the winning top-5 error by year$/);
    expect(fig.data[0].y).toEqual(ilsvrcWinners.map((r) => r.top5));
  });

  it("counts 55,050 parameters in 784-64-64-10 by formula, library and TensorFlow.js", () => {
    const { mlpParamsByHand, mlpParamsLibrary, mlpParamsTf } = locals() as Record<string, number>;
    const expected = dense(784, 64) + dense(64, 64) + dense(64, 10);
    expect(expected).toBe(55050);
    expect([mlpParamsByHand, mlpParamsLibrary, mlpParamsTf]).toEqual([expected, expected, expected]);
    expect(stdout()).toMatch(/each of the 64 units has 784 weights \+ 1 bias = 785 parameters/);
    figureTitled(/^The 784-64-64-10 network/);
  });

  it("counts AlexNet: 62,378,344 on one GPU (formula and TensorFlow.js), 60,965,224 as the paper split it", () => {
    const { alexNetByFormula, alexNetTfParams } = locals() as Record<string, number>;
    const oneGpu = ALEXNET_CONV.reduce((s, [k, cIn, cOut]) => s + conv(k, cIn, cOut), 0) + ALEXNET_DENSE;
    const twoGpu = ALEXNET_CONV.reduce((s, [k, cIn, cOut, g]) => s + conv(k, cIn, cOut, g), 0) + ALEXNET_DENSE;
    expect(alexNetByFormula).toBe(oneGpu);
    expect(alexNetTfParams).toBe(oneGpu);
    expect(oneGpu).toBe(62378344);
    expect(twoGpu).toBe(60965224);
    expect(stdout()).toMatch(/AlexNet as the paper built it: 60,965,224 parameters/);
    const scale = figureTitled(/^How many numbers each network learns$/);
    expect(scale.layout.yaxis?.type).toBe("log");
    expect(scale.data[0].y!.slice(0, 4)).toEqual([dense(1, 1), dense(2, 3) + dense(3, 1), dense(2, 10) + dense(10, 1), 55050]);
  });

  it("lists the sources' tools with what became of them, and checks the Keras-backend claim", () => {
    const { tools } = locals() as { tools: { tool: string; first: number; ended: number }[] };
    const ended = Object.fromEntries(tools.map((t) => [t.tool, t.ended]));
    expect(ended).toMatchObject({ Theano: 2017, CNTK: 2019, TensorFlow: 0, Keras: 0, PyTorch: 0 });
    const out = stdout();
    expect(out).toMatch(/Keras 2\.0\.5–2\.3 \(2017–2019\): runs on TensorFlow, Theano, CNTK; the source's list matches/);
    expect(out).toMatch(/Keras 2\.4–2\.15 \(2020–2023\): runs on TensorFlow; the source's list wrongly includes Theano, CNTK\n/);
    expect(out).toMatch(/Keras 3 \(2023–\): runs on JAX, TensorFlow, PyTorch; the source's list lacks JAX, PyTorch and wrongly includes Theano, CNTK/);
    expect(out).toMatch(/claimed backends whose development has ended: Theano \(2017\), CNTK \(2019\)/);
    expect(out).toMatch(/TensorFlow\.js: 41 parameters; library: 41 parameters/); // 2·10 + 10 + 10·1 + 1
  });

  it("the notebook's own answers pass every exercise", () => {
    for (const k of ["1.1", "1.2", "1.3", "1.4"]) {
      expect(stdout(), `exercise ${k}`).toContain(`✓ Exercise ${k} `);
    }
  });

  it("Exercise 1.1 rejects counts without biases, with biases per input, and of units", () => {
    const check = locals().checkEx1_1 as (f: (sizes: readonly number[]) => number) => void;
    const pairs = (s: readonly number[]) => s.slice(1).map((n, l) => [s[l], n]);
    const hint = /n_in·n_out weights and n_out biases/;
    expectCheckError(() => check((s) => pairs(s).reduce((t, [a, b]) => t + a * b, 0)), hint);
    expectCheckError(() => check((s) => pairs(s).reduce((t, [a, b]) => t + a * b + a, 0)), hint);
    expectCheckError(() => check((s) => s.reduce((t, n) => t + n, 0)), hint);
    // Right on the visible cases, wrong on a single size: only the hidden test catches it.
    expectCheckError(() => check((s) => (s.length < 2 ? 1 : pairs(s).reduce((t, [a, b]) => t + a * b + b, 0))), /no layers/);
  });

  it("Exercise 1.2 rejects unsorted scans, the shortest gap, swapped ends, and sorting in place", () => {
    const check = locals().checkEx1_2 as (f: (events: readonly Event[]) => Gap) => void;
    const hint = /Sort a copy of the events by year/;
    const longest = (sorted: readonly Event[], better: (a: number, b: number) => boolean, swap = false): Gap => {
      let best: Gap | null = null;
      for (let i = 0; i + 1 < sorted.length; i++) {
        const years = sorted[i + 1].year - sorted[i].year;
        const [from, to] = swap ? [sorted[i + 1].label, sorted[i].label] : [sorted[i].label, sorted[i + 1].label];
        if (!best || better(years, best.years)) best = { from, to, years };
      }
      return best!;
    };
    const sortedCopy = (e: readonly Event[]) => [...e].sort((a, b) => a.year - b.year);
    expectCheckError(() => check((e) => longest(e, (a, b) => a > b)), hint);
    expectCheckError(() => check((e) => longest(sortedCopy(e), (a, b) => a < b)), hint);
    expectCheckError(() => check((e) => longest(sortedCopy(e), (a, b) => a > b, true)), hint);
    expectCheckError(() => check((e) => longest((e as Event[]).sort((a, b) => a.year - b.year), (a, b) => a > b)), /Sort a copy/);
    // Later gap on a tie: passes the visible test, fails the hidden one.
    expectCheckError(() => check((e) => longest(sortedCopy(e), (a, b) => a >= b)), /first one on a tie/);
  });

  it("Exercise 1.3 rejects ignoring groups, forgetting the bias, and dividing by groups twice", () => {
    const check = locals().checkEx1_3 as (f: (kh: number, kw: number, cIn: number, cOut: number, g: number) => number) => void;
    const hint = /k_h·k_w·\(c_in\/groups\) weights and one bias/;
    expectCheckError(() => check((kh, kw, cIn, cOut) => kh * kw * cIn * cOut + cOut), hint);
    expectCheckError(() => check((kh, kw, cIn, cOut, g) => kh * kw * (cIn / g) * cOut), hint);
    expectCheckError(() => check((kh, kw, cIn, cOut, g) => kh * kw * (cIn / g) * (cOut / g) + cOut), hint);
  });

  it("Exercise 1.4 rejects drops relative to the new error, credit to the earlier year, and unsorted rows", () => {
    const check = locals().checkEx1_4 as (f: (r: readonly Yearly[]) => Drops) => void;
    const hint = /divides it by error\(t − 1\)/;
    const drops = (rows: readonly Yearly[], opts: { sort?: boolean; relTo?: "old" | "new"; credit?: "this" | "prev" }): Drops => {
      const r = opts.sort === false ? rows : [...rows].sort((a, b) => a.year - b.year);
      let absolute = { year: NaN, drop: -Infinity }, relative = { year: NaN, drop: -Infinity };
      for (let i = 1; i < r.length; i++) {
        const drop = r[i - 1].top5 - r[i].top5;
        const rel = drop / (opts.relTo === "new" ? r[i].top5 : r[i - 1].top5);
        const year = opts.credit === "prev" ? r[i - 1].year : r[i].year;
        if (drop > absolute.drop) absolute = { year, drop };
        if (rel > relative.drop) relative = { year, drop: rel };
      }
      return { absolute, relative };
    };
    expectCheckError(() => check((r) => drops(r, { relTo: "new" })), hint);
    expectCheckError(() => check((r) => drops(r, { credit: "prev" })), hint);
    // Correct on the sorted ILSVRC table; only the hidden shuffled test catches it.
    expectCheckError(() => check((r) => drops(r, { sort: false })), /Sort by year/);
  });
};

export default checks;
