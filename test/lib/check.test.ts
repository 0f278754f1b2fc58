/**
 * Notebook checks: a pass prints one line starting with ✓, a failure throws a CheckError
 * that says what was expected and what came, and NaN never passes.
 */
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { check, CheckError, checkClose, checkEqual, exercise, exerciseResults } from "../../lib/src/check";
import { Matrix } from "../../lib/src/matrix";

let log: MockInstance<typeof console.log>;
beforeEach(() => {
  log = vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => {
  log.mockRestore();
});

/** The error `f` throws (the test fails if it throws none). */
function thrown(f: () => void): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error, but none was thrown");
}

describe("check", () => {
  it("prints ✓ and the claim when it holds", () => {
    check("the sum is 3", 1 + 2 === 3);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith("✓ the sum is 3");
  });

  it("throws a CheckError naming the claim, with the hint, when it does not hold", () => {
    const e = thrown(() => check("the sum is 4", 1 + 2 === 4, "Add again."));
    expect(e).toBeInstanceOf(CheckError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("CheckError");
    expect(e.message).toBe("the sum is 4: not true. Hint: Add again.");
    expect(thrown(() => check("x", false)).message).toBe("x: not true.");
    expect(log).not.toHaveBeenCalled();
  });
});

describe("checkClose", () => {
  it("passes within the tolerance and prints ✓ with the largest difference", () => {
    // |0.1 + 0.2 − 0.3| = 5.55e-17 ≤ 1e-12
    checkClose("0.1 + 0.2", 0.1 + 0.2, 0.3, 1e-12);
    expect(log).toHaveBeenCalledTimes(1);
    const line = log.mock.calls[0][0] as string;
    expect(line.startsWith("✓ 0.1 + 0.2")).toBe(true);
    expect(line).toContain("largest difference 5.55e-17");
    expect(line).toContain("tolerance 1e-12");
  });

  it("passes at exactly the tolerance (|a − e| ≤ tol)", () => {
    checkClose("edge", 1.5, 1, 0.5);
    expect(log).toHaveBeenCalledWith("✓ edge (largest difference 5.00e-1, tolerance 0.5)");
  });

  it("compares arrays, typed arrays and matrices element by element", () => {
    checkClose("array", [1, 2, 3], [1, 2, 3.0005], 1e-3);
    checkClose("typed", new Float32Array([0.5, 0.25]), [0.5, 0.25], 0);
    checkClose("matrix", Matrix.from([[1, 2], [3, 4]]), Matrix.from([[1, 2], [3, 4.01]]), 0.02);
    expect(log).toHaveBeenCalledTimes(3);
  });

  it("fails with a CheckError giving expected, actual, position and the difference", () => {
    // Largest difference at element 1: |2.5 − 2| = 0.5.
    const e = thrown(() => checkClose("weights", [1, 2.5, 3.1], [1, 2, 3], 0.2));
    expect(e).toBeInstanceOf(CheckError);
    expect(e.message).toBe(
      "weights: expected 2 ± 0.2, got 2.5 (at element 1).",
    );
    expect(log).not.toHaveBeenCalled();
  });

  it("for a single number the message has no element position", () => {
    const e = thrown(() => checkClose("loss", 0.7, 0.69, 1e-3));
    expect(e.message).toBe("loss: expected 0.69 ± 0.001, got 0.7.");
    expect(e.message).not.toContain("element");
  });

  it("NaN never passes, whatever the tolerance, and the message shows it", () => {
    const e1 = thrown(() => checkClose("nan", NaN, 1, 1e9));
    expect(e1).toBeInstanceOf(CheckError);
    expect(e1.message).toContain("expected 1 ± 1000000000, got NaN");
    // Even after a larger finite difference, the NaN is what is reported.
    const e2 = thrown(() => checkClose("nan in array", [100, NaN], [0, 2], Infinity));
    expect(e2.message).toContain("expected 2 ± Infinity, got NaN (at element 1)");
    // NaN against NaN is not "equal".
    expect(() => checkClose("both", [NaN], [NaN], 1)).toThrow(CheckError);
    expect(log).not.toHaveBeenCalled();
  });

  it("fails when the lengths differ", () => {
    const e = thrown(() => checkClose("len", [1, 2], [1, 2, 3], 1));
    expect(e).toBeInstanceOf(CheckError);
    expect(e.message).toBe("len: expected 3 numbers, got 2.");
  });
});

describe("hints", () => {
  it("checkClose ends its failure message with the hint", () => {
    const e = thrown(() => checkClose("σ′(0)", 0.5, 0.25, 1e-9, "σ′(z) = σ(z)·(1 − σ(z))."));
    expect(e.message).toBe("σ′(0): expected 0.25 ± 1e-9, got 0.5. Hint: σ′(z) = σ(z)·(1 − σ(z)).");
  });

  it("checkClose refuses something that is not numbers, naming what came", () => {
    const e = thrown(() => checkClose("w", undefined as unknown as number[], [1], 0));
    expect(e).toBeInstanceOf(CheckError);
    expect(e.message).toContain("w: expected a number, an array of numbers or a Matrix, got undefined");
  });
});

describe("checkEqual", () => {
  it("passes on equal values and fails with both shown, and the hint", () => {
    checkEqual("gates", [0, 1, 1, 0], [0, 1, 1, 0]);
    expect(log).toHaveBeenCalledWith("✓ gates");
    const e = thrown(() => checkEqual("gates", [0, 1, 1, 1], [0, 1, 1, 0], "XOR of 1 and 1 is 0."));
    expect(e.message).toBe("gates: expected [0,1,1,0], got [0,1,1,1]. Hint: XOR of 1 and 1 is 0.");
  });
});

describe("exercise", () => {
  let err: MockInstance<typeof console.error>;
  beforeEach(() => {
    err = vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => err.mockRestore());

  it("prints ✓ when every check passes", () => {
    expect(exercise("3.1", () => check("ok", true))).toBeUndefined();
    expect(exerciseResults().at(-1)).toEqual({ name: "3.1", passed: true, message: "" });
    expect(log).toHaveBeenLastCalledWith("✓ Exercise 3.1: all checks pass.");
    expect(err).not.toHaveBeenCalled();
  });

  it("reports a failed check with ✗ on stderr and its hint, without throwing", () => {
    exercise("3.1", () => checkClose("f(0)", 1, 0, 0, "Look at z = 0."));
    expect(exerciseResults().at(-1)?.passed).toBe(false);
    expect(err).toHaveBeenCalledWith("✗ Exercise 3.1: f(0): expected 0 ± 0, got 1. Hint: Look at z = 0.");
  });

  it("reports a stub answer as not done yet", () => {
    const stub = (): number => { throw new Error("not implemented"); };
    exercise("3.2", () => checkClose("f", stub(), 1, 0));
    expect(exerciseResults().at(-1)).toMatchObject({ name: "3.2", passed: false, message: expect.stringMatching(/^not done yet/) });
  });

  it("names any other error the answer throws", () => {
    exercise("3.3", () => { throw new RangeError("bad index"); });
    expect(exerciseResults().at(-1)?.message).toBe("the answer threw RangeError: bad index");
    // The list is a copy: changing it changes nothing recorded.
    exerciseResults().length = 0;
    expect(exerciseResults().length).toBeGreaterThan(0);
  });
});
