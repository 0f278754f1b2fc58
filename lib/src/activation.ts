import type { Matrix } from "./matrix";

/**
 * An activation function g and its derivative g′ (chapter 03).
 * `fn` and `derivative` work on one number; `f` and `prime` apply them to every element
 * of a matrix, which is how a layer uses them: A = g(Z), and backward needs g′(Z).
 * `backward` is what a layer calls: given dA = ∂L/∂A it returns dZ = ∂L/∂Z. For an
 * element-wise g that is dA ⊙ g′(Z); softmax, which mixes a row, supplies its own.
 */
export interface Activation {
  readonly name: string;
  fn(z: number): number;
  derivative(z: number): number;
  f(Z: Matrix): Matrix;
  prime(Z: Matrix): Matrix;
  backward(Z: Matrix, A: Matrix, dA: Matrix): Matrix;
}
