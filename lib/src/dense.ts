import type { Activation } from "./activation";
import { type ActivationName, getActivation, relu } from "./activations";
import { fastKernels } from "./backend";
import { mostlyZeros } from "./kernels";
import { assertShape, ValueError } from "./errors";
import { getInitializer, type Initializer, type InitializerName } from "./initializers";
import { Param, type Layer, type Regularizer } from "./layer";
import { Matrix } from "./matrix";
import { defaultRandom, type Random } from "./random";

export interface DenseOptions {
  /** Number of neurons, the columns of A. */
  units: number;
  /** Columns of X; if left out, set by the model from the previous layer or by the first forward(). */
  inputDim?: number;
  /** Keras's spelling of inputDim: inputShape [n] means inputDim n. */
  inputShape?: [number];
  /** g, by Keras name or as an Activation. Default "linear" (none), as in Keras. */
  activation?: ActivationName | Activation;
  useBias?: boolean;
  /** How W is drawn. Default "glorotUniform", as Keras in Python (tfjs's dense draws "glorotNormal"). */
  kernelInitializer?: InitializerName | Initializer;
  biasInitializer?: InitializerName | Initializer;
  kernelRegularizer?: Regularizer;
  /** Start from these values instead of drawing them, e.g. to copy a tfjs model's weights. */
  weights?: { W: Matrix; b?: Matrix };
  /** The random source for the initializers; default the library-wide one (see setSeed). */
  rng?: Random;
  name?: string;
}

let denseCount = 0;

/**
 * Fully connected layer (chapter 04, eq. 4.2):
 *   Z = X·W + b     X: [m, nIn]  W: [nIn, units]  b: [1, units]
 *   A = g(Z)        A: [m, units]
 * Our W is what Keras and TensorFlow.js call the layer's `kernel`; b is its `bias`.
 */
export class Dense implements Layer {
  readonly name: string;
  readonly units: number;
  readonly g: Activation;
  W: Param | null = null;
  b: Param | null = null;
  private readonly options: DenseOptions;
  private cache: { X: Matrix; Z: Matrix; A: Matrix } | null = null; // kept by forward() for backward()

  constructor(options: DenseOptions) {
    if (!Number.isInteger(options.units) || options.units < 1) {
      throw new ValueError(`Dense: expected units to be a whole number ≥ 1, got ${options.units}.`);
    }
    this.options = options;
    this.units = options.units;
    this.name = options.name ?? `dense_${++denseCount}`;
    this.g = getActivation(options.activation ?? "linear");
    if (options.weights) this.setWeights(options.weights.W, options.weights.b);
    else if (options.inputDim !== undefined || options.inputShape !== undefined) {
      this.build(options.inputDim ?? options.inputShape![0]);
    }
  }

  get outputDim(): number {
    return this.units;
  }

  get inputDim(): number | null {
    return this.W ? this.W.peek().rows : null;
  }

  build(inputDim: number): void {
    if (this.W) return;
    if (!Number.isInteger(inputDim) || inputDim < 1) {
      throw new ValueError(`Dense.build: expected inputDim to be a whole number ≥ 1, got ${inputDim}.`);
    }
    const rng = this.options.rng ?? defaultRandom();
    const kernelInit = getInitializer(this.options.kernelInitializer ?? "glorotUniform");
    this.W = new Param("W", kernelInit(inputDim, this.units, rng), this.options.kernelRegularizer ?? null);
    if (this.options.useBias !== false) {
      const biasInit = getInitializer(this.options.biasInitializer ?? "zeros");
      this.b = new Param("b", biasInit(1, this.units, rng));
    }
  }

  /** Replaces W (and b) with copies of the given values, checking their shapes. */
  setWeights(W: Matrix, b?: Matrix): void {
    assertShape(`${this.name}.setWeights`, "W", W.shape, ["nIn", this.units],
      `W has one column per unit (units = ${this.units}).`);
    W.assertFinite(`${this.name}.setWeights`, "W");
    this.W = new Param("W", W.map((v) => v), this.options.kernelRegularizer ?? null);
    if (this.options.useBias !== false) {
      const bias = b ?? Matrix.zeros(1, this.units);
      assertShape(`${this.name}.setWeights`, "b", bias.shape, [1, this.units], "b has one entry per unit.");
      bias.assertFinite(`${this.name}.setWeights`, "b");
      this.b = new Param("b", bias.map((v) => v));
    }
    this.cache = null;
  }

  forward(X: Matrix): Matrix {
    if (!this.W) this.build(X.cols);
    const W = this.W!.peek();
    assertShape(`${this.name}.forward`, "X", X.shape, ["m", W.rows],
      `Each row of X is one example, so X needs ${W.rows} columns (inputDim).`);
    X.assertFinite(`${this.name}.forward`, "X");
    const fast = fastKernels();
    if (fast && this.b && X.rows > 0) {
      // The fast path adds b and, for ReLU, applies g as the product's last pass: the same
      // numbers as the three lines below, with one trip in and out of WebAssembly.
      const out = fast.denseForward(X.data, W.data, this.b.peek().data, X.rows, W.rows, this.units,
        mostlyZeros(X.data), this.g === relu);
      if (out.A) {
        // ReLU: backward needs g′(Z) = 1 where Z > 0, else 0; Z > 0 exactly where A > 0, so A
        // stands in for Z (one [m, units] array fewer: a forward over 10,000 images saves 5 MB).
        const A = Matrix.wrap(X.rows, this.units, out.A);
        this.cache = { X, Z: A, A };
        return A;
      }
      const Z = Matrix.wrap(X.rows, this.units, out.Z!);
      const A = this.g.f(Z);
      this.cache = { X, Z, A };
      return A;
    }
    const XW = X.matmul(W);
    const Z = this.b ? XW.addRow(this.b.peek()) : XW;
    const A = this.g.f(Z);
    this.cache = { X, Z, A };
    return A;
  }

  /**
   * Chapter 07, eq. 7.4:
   *   dZ = dA ⊙ g′(Z)    dW = Xᵀ·dZ    db = Σᵢ dZᵢ    dX = dZ·Wᵀ
   * plus ∂R/∂W in dW when W has a regularizer. With { inputGradient: false } it skips dX,
   * which the first layer of a model does not need (for MNIST, dX would be [32, 784]).
   */
  backward(dA: Matrix): Matrix;
  backward(dA: Matrix, options: { inputGradient: false }): null;
  backward(dA: Matrix, options?: { inputGradient?: boolean }): Matrix | null {
    if (!this.cache || !this.W) {
      throw new Error(`${this.name}.backward: call forward() first; backward needs the X and Z it keeps.`);
    }
    const { X, Z, A } = this.cache;
    assertShape(`${this.name}.backward`, "dA", dA.shape, [X.rows, this.units],
      "dA = ∂L/∂A has the shape of the layer's output A.");
    dA.assertFinite(`${this.name}.backward`, "dA");
    const dZ = this.g.backward(Z, A, dA);
    const dW = X.transposeMatmul(dZ); // Xᵀ·dZ, without building Xᵀ
    this.W.grad = this.W.regularizer ? dW.add(this.W.regularizer.grad(this.W.peek())) : dW;
    if (this.b) this.b.grad = dZ.sumRows();
    return options?.inputGradient === false ? null : dZ.matmulTranspose(this.W.peek()); // dZ·Wᵀ
  }

  params(): Param[] {
    return [this.W, this.b].filter((p): p is Param => p !== null);
  }

  countParams(): number {
    return this.params().reduce((n, p) => n + p.peek().size, 0);
  }
}
