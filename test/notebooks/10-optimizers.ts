/**
 * Chapter 10's own checks: every optimizer's path recomputed here from its update rule, one
 * scalar at a time (never copied from the notebook's output), and compared with the paths the
 * notebook drew; the first-step sizes and Adam's uncorrected peak from their closed forms;
 * the figures by title; and each exercise's check against plausible wrong answers.
 */
import { expect, it } from "vitest";
import { accepts, chapterRun, expectRejected, maxAbsDiff } from "../harness/chapter";
import type { ChapterChecks } from "../harness/suite";

type Pt = number[];
const gradValley = (w: Pt): Pt => [w[0] / 10, 2 * w[1]];
const gradSaddle = (w: Pt): Pt => [2 * w[0], -2 * w[1]];
const EPS = 1e-7;

/** One optimizer, coordinate by coordinate, in tf.train's form. */
function run(kind: string, h: Record<string, number>, grad: (w: Pt) => Pt, from: Pt, steps: number): Pt[] {
  const path = [from];
  const a = [0, 0], b = [0, 0];
  if (kind === "adagrad") { a[0] = a[1] = 0.1; }
  for (let t = 1; t <= steps; t++) {
    const w = path[t - 1], g = grad(w), next: Pt = [];
    for (let i = 0; i < 2; i++) {
      if (kind === "sgd") next.push(w[i] - h.eta * g[i]);
      else if (kind === "momentum" || kind === "nesterov") {
        a[i] = h.mu * a[i] + g[i];
        next.push(w[i] - h.eta * (kind === "nesterov" ? g[i] + h.mu * a[i] : a[i]));
      } else if (kind === "adagrad") {
        a[i] += g[i] ** 2;
        next.push(w[i] - h.eta * g[i] / Math.sqrt(a[i] + EPS));
      } else if (kind === "rmsprop") {
        a[i] = 0.9 * a[i] + 0.1 * g[i] ** 2;
        next.push(w[i] - h.eta * g[i] / Math.sqrt(a[i] + EPS));
      } else {
        a[i] = 0.9 * a[i] + 0.1 * g[i];
        b[i] = 0.999 * b[i] + 0.001 * g[i] ** 2;
        next.push(w[i] - h.eta * (a[i] / (1 - 0.9 ** t)) / (Math.sqrt(b[i] / (1 - 0.999 ** t)) + EPS));
      }
    }
    path.push(next);
  }
  return path;
}

const checks: ChapterChecks = (nb) => {
  const c = chapterRun(nb);

  it("10.1–10.5: each hand-written path matches an independent scalar run of tf.train's rule", () => {
    const L = c.locals();
    const start = [-7, 2];
    // Same float64 arithmetic in a different order: agreement to 1e-12.
    expect(maxAbsDiff(L.sgdHand.flat(), run("sgd", { eta: 0.9 }, gradValley, start, 20).flat())).toBeLessThan(1e-12);
    expect(maxAbsDiff(L.momentumHand.flat(), run("momentum", { eta: 0.1, mu: 0.9 }, gradValley, start, 30).flat())).toBeLessThan(1e-12);
    expect(maxAbsDiff(L.nesterovHand.flat(), run("nesterov", { eta: 0.1, mu: 0.9 }, gradValley, start, 30).flat())).toBeLessThan(1e-12);
    expect(maxAbsDiff(L.adagradHand.flat(), run("adagrad", { eta: 1.5 }, gradValley, start, 30).flat())).toBeLessThan(1e-12);
    expect(maxAbsDiff(L.rmspropHand.flat(), run("rmsprop", { eta: 0.2 }, gradValley, start, 30).flat())).toBeLessThan(1e-12);
    expect(maxAbsDiff(L.adamHand.flat(), run("adam", { eta: 0.3 }, gradValley, start, 30).flat())).toBeLessThan(1e-12);
    // SGD at η = 0.9 multiplies y by 1 − 2η = −0.8 each step (closed form).
    expect(Math.abs(L.sgdHand[20][1] - 2 * (-0.8) ** 20)).toBeLessThan(1e-12);
    for (const t of [/^SGD on the narrow valley/, /^Momentum and Nesterov/, /^AdaGrad/, /^RMSProp/, /^Adam with and without/]) c.figureTitled(t);
  });

  it("10.2: Nesterov's look-ahead points are tf.train's Nesterov path; DLFS's update order is not", () => {
    const L = c.locals();
    // Nesterov's own rule, folded velocity, gradient at u = w + μv'; recomputed here.
    const mu = 0.9, eta = 0.1;
    let w = [-7, 2], v = [0, 0];
    const u: Pt[] = [[-7, 2]];
    for (let t = 1; t <= 30; t++) {
      const g = gradValley([w[0] + mu * v[0], w[1] + mu * v[1]]);
      v = [mu * v[0] - eta * g[0], mu * v[1] - eta * g[1]];
      w = [w[0] + v[0], w[1] + v[1]];
      u.push([w[0] + mu * v[0], w[1] + mu * v[1]]);
    }
    expect(maxAbsDiff(u.flat(), run("nesterov", { eta, mu }, gradValley, [-7, 2], 30).flat())).toBeLessThan(1e-12);
    expect(maxAbsDiff(L.nesterovLookahead.flat(), u.flat())).toBeLessThan(1e-12);
    // DLFS's class adds μ²v' − (1 + μ)ηg with the updated v': a visibly different path.
    expect(L.dlfsNesterovGap).toBeGreaterThan(0.3);
    expect(L.dlfsNesterovGap).toBeLessThan(0.4);
    expect(c.stdout()).toMatch(/DLFS's Nesterov order: largest distance from tf\.train's path in 30 steps 0\.37/);
  });

  it("10.5: one step with a large ε tells the placements apart, and tf.train sides with the text", () => {
    const L = c.locals();
    const byName = Object.fromEntries((L.epsCases as ({ name: string } & Record<string, number>)[]).map((e) => [e.name, e]));
    // Closed forms: RMSProp s = (1 − ρ)c², Adam m̂ = c, v̂ = c², AdaGrad G = G₀ + c², η = 1.
    const rms = byName["RMSProp"], adam = byName["Adam"], ada0 = byName["AdaGrad, G₀ = 0"], ada1 = byName["AdaGrad, G₀ = 0.1"];
    expect(Math.abs(rms.tf / (0.1 / Math.sqrt(0.001 + 0.01)) - 1)).toBeLessThan(1e-4);
    expect(Math.abs(rms.tf / (0.1 / (Math.sqrt(0.001) + 0.01)) - 1)).toBeGreaterThan(0.5);
    expect(Math.abs(adam.tf / (0.1 / (0.1 + 0.01)) - 1)).toBeLessThan(1e-4);
    expect(Math.abs(adam.tf / (0.1 / Math.sqrt(0.02)) - 1)).toBeGreaterThan(0.2);
    expect(Math.abs(ada0.tf / (1e-4 / Math.sqrt(1e-8 + EPS)) - 1)).toBeLessThan(1e-4);
    expect(Math.abs(ada0.tf / (1e-4 / (1e-4 + EPS)) - 1)).toBeGreaterThan(0.5);
    expect(Math.abs(ada1.tf / (1e-4 / Math.sqrt(0.1 + 1e-8 + EPS)) - 1)).toBeLessThan(1e-4);
    // the text's ratios between the two placements: 2.5, 1.3, 3.3
    expect((0.1 / (Math.sqrt(0.001) + 0.01)) / (0.1 / Math.sqrt(0.011))).toBeCloseTo(2.5, 1);
    expect((0.1 / 0.11) / (0.1 / Math.sqrt(0.02))).toBeCloseTo(1.3, 1);
    expect((1e-4 / (1e-4 + EPS)) / (1e-4 / Math.sqrt(1.1e-7))).toBeCloseTo(3.3, 1);
  });

  it("first steps: AdaGrad with G₀ = 0.1, RMSProp ≈ 3.16η, Adam = η (closed forms)", () => {
    const L = c.locals();
    expect(maxAbsDiff(L.adagradFirst, [1.5 * 0.7 / Math.sqrt(0.1 + 0.49 + EPS), -1.5 * 4 / Math.sqrt(16.1 + EPS)])).toBeLessThan(1e-12);
    expect(maxAbsDiff(L.rmspropFirst, [1 / Math.sqrt(0.1 + EPS / 0.49), -1 / Math.sqrt(0.1 + EPS / 16)])).toBeLessThan(1e-9);
    expect(c.stdout()).toMatch(/first step \/ η: \(1\.0000, -1\.0000\)/);
  });

  it("10.5: Adam's uncorrected step peaks where (1 − 0.9ᵗ)/√(1 − 0.999ᵗ) does", () => {
    const L = c.locals();
    const r = Array.from({ length: 200 }, (_, k) => (1 - 0.9 ** (k + 1)) / Math.sqrt(1 - 0.999 ** (k + 1)));
    const peak = Math.max(...r);
    expect(L.adamPeakT).toBe(r.indexOf(peak) + 1);
    expect(L.adamPeakT).toBe(12);
    // The notebook's step adds ε = 1e-7 to √v ≈ 0.11 at t = 12: a relative change of about 1e-6.
    expect(Math.abs(L.adamPeak - peak)).toBeLessThan(1e-5);
    c.figureTitled(/^Adam's step size under a constant gradient/);
  });

  it("erratum, source 004 §4: 1000 Adam steps at η = 0.001 move each weight by at most about 1; no 36", () => {
    const L = c.locals();
    L.seedAfter.forEach((a: number, i: number) => expect(Math.abs(a - L.seedBefore[i])).toBeLessThanOrEqual(1.05));
    expect(L.seedPrediction).toBeLessThan(29); // the least-squares line's value at 6 is 29, and 36 farther still
  });

  it("10.6: the race on both surfaces, recomputed", () => {
    const L = c.locals();
    const kinds: [string, Record<string, number>][] = [["sgd", { eta: 0.9 }], ["momentum", { eta: 0.1, mu: 0.9 }],
      ["nesterov", { eta: 0.1, mu: 0.9 }], ["adagrad", { eta: 1.5 }], ["rmsprop", { eta: 0.2 }], ["adam", { eta: 0.3 }]];
    kinds.forEach(([k, h], i) => {
      const w = run(k, h, gradValley, [-7, 2], 40)[40];
      expect(Math.abs(L.valleyFinal[i] - (w[0] ** 2 / 20 + w[1] ** 2))).toBeLessThan(1e-12);
    });
    const saddleKinds: [string, Record<string, number>][] = [["sgd", { eta: 0.05 }], ["momentum", { eta: 0.01, mu: 0.9 }],
      ["nesterov", { eta: 0.01, mu: 0.9 }], ["adagrad", { eta: 0.1 }], ["rmsprop", { eta: 0.02 }], ["adam", { eta: 0.05 }]];
    const escape = saddleKinds.map(([k, h]) => run(k, h, gradSaddle, [-1.5, 1e-3], 80).findIndex((w) => Math.abs(w[1]) > 1));
    expect(L.saddleEscape).toEqual(escape);
    // SGD multiplies y by 1 + 2η = 1.1 a step: ln 1000 / ln 1.1 ≈ 72.5, so 73 steps (the text's closed form).
    expect(escape[0]).toBe(Math.ceil(Math.log(1000) / Math.log(1.1)));
    // The text: SGD and momentum about 70 steps, the adaptive three 20 to 30.
    escape.slice(0, 3).forEach((e) => expect(e).toBeGreaterThan(60));
    escape.slice(3).forEach((e) => { expect(e).toBeGreaterThanOrEqual(20); expect(e).toBeLessThanOrEqual(30); });
    c.figureTitled(/^Six optimizers on the narrow valley: step 40$/);
    c.figureTitled(/^Six optimizers at a saddle/);
    c.figureTitled(/^Escaping the saddle: \|y\| at each step/);
  });

  it("10.7: the network race — every optimizer lowers the loss, Adam ends far below SGD", () => {
    const L = c.locals();
    (L.netLosses as number[][]).forEach((l) => { expect(l).toHaveLength(60); expect(l[59]).toBeLessThan(l[0]); });
    expect(L.netLosses[5][59]).toBeLessThan(L.netLosses[0][59] / 3);
    expect(c.stdout()).toMatch(/✓ weights after one epoch, adam/);
    c.figureTitled(/^Six optimizers on the same network: epoch 60$/);
    c.figureTitled(/^Final training loss after 60 epochs/);
    c.figureTitled(/^Two moons: the Adam-trained network/);
  });

  it("exercise 10.1 rejects wrong momentum steps with a hint", () => {
    const { checkEx10_1, momentumStep } = c.locals();
    accepts(() => checkEx10_1(momentumStep));
    // folded η into v (textbook form returns v' = −ηv)
    expectRejected(() => checkEx10_1((w: number, g: number, v: number, eta: number, mu: number) => { const n = mu * v - eta * g; return [w + n, n]; }), /v ← μ·v \+ g/);
    // steps with the old velocity
    expectRejected(() => checkEx10_1((w: number, g: number, v: number, eta: number, mu: number) => [w - eta * (v + g), mu * v + g]), /step uses the new v/);
  });

  it("exercise 10.2 rejects wrong uncorrected step sizes with a hint", () => {
    const { checkEx10_2, uncorrectedStep } = c.locals();
    accepts(() => checkEx10_2(uncorrectedStep));
    expectRejected(() => checkEx10_2(() => 1), /\(1 − β₁\)\/√\(1 − β₂\)/);
    // right at t = 1 only
    expectRejected(() => checkEx10_2((b1: number, b2: number) => (1 - b1) / Math.sqrt(1 - b2)), /geometric sum/);
  });

  it("exercise 10.3 rejects wrong RMSProp runs with a hint", () => {
    const { checkEx10_3, rmspropRun } = c.locals();
    accepts(() => checkEx10_3(rmspropRun));
    // ε outside the root, as many textbooks write it: already a 2e-7 difference on step one
    const outside = (grad: (w: number[]) => number[], w0: number[], eta: number, rho: number, eps: number, steps: number) => {
      let w = w0.slice(), s = w0.map(() => 0);
      for (let t = 0; t < steps; t++) {
        const g = grad(w);
        s = s.map((si, i) => rho * si + (1 - rho) * g[i] ** 2);
        w = w.map((wi, i) => wi - (eta * g[i]) / (Math.sqrt(s[i]) + eps));
      }
      return w;
    };
    expectRejected(() => checkEx10_3(outside), /√\(s \+ ε\)/);
    // forgets s between steps: right for one step only
    const forgetful = (grad: (w: number[]) => number[], w0: number[], eta: number, rho: number, eps: number, steps: number) => {
      let w = w0.slice();
      for (let t = 0; t < steps; t++) {
        const g = grad(w);
        w = w.map((wi, i) => wi - (eta * g[i]) / Math.sqrt((1 - rho) * g[i] ** 2 + eps));
      }
      return w;
    };
    expectRejected(() => checkEx10_3(forgetful), /Keep s between steps/);
  });

  it("exercise 10.4 rejects wrong divergence tests with a hint", () => {
    const { checkEx10_4, momentumDiverges } = c.locals();
    accepts(() => checkEx10_4(momentumDiverges));
    // ignores momentum: uses SGD's bound ηa < 2
    expectRejected(() => checkEx10_4((a: number, eta: number) => eta * a >= 2), /2\(1 \+ μ\) = 3\.8/);
    // never diverges with momentum
    expectRejected(() => checkEx10_4((a: number, eta: number, mu: number) => mu === 0 && eta * a >= 2), /past the bound/);
  });
};

export default checks;
