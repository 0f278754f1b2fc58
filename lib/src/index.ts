/**
 * byhand: the course's neural-network library, built by hand.
 * Each module names the chapter it belongs to; read them beside the notebooks.
 * Imports flow one way: matrix → activations / losses → layers → model → training;
 * data and plotting stand aside.
 */
export * from "./errors";
export * from "./matrix";
export { setBackend, getBackend } from "./backend";
export type { LibraryBackend } from "./backend";
export * from "./random";
export * from "./activation";
export * from "./activations";
export * from "./softmax";
export * from "./initializers";
export * from "./neuron";
export * from "./layer";
export * from "./dense";
export * from "./losses";
export * from "./metrics";
export * from "./regularizers";
export * from "./optimizers/optimizer";
export * from "./optimizers/optimizers";
export * from "./optimizers/sgd";
export * from "./optimizers/momentum";
export * from "./optimizers/adagrad";
export * from "./optimizers/rmsprop";
export * from "./optimizers/adam";
export * from "./sequential";
export * from "./progress";
export * from "./gradcheck";
export * from "./value";
export * from "./check";
export * from "./display";
export * from "./plot";
export * from "./tf";
export { Standardizer } from "./data/standardize";
export { trainTestSplit, validationSplit } from "./data/split";
export type { TrainTestSplitOptions, TrainTestSplit, ValidationSplit } from "./data/split";
export { oneHot, argmaxRows, fromOneHot } from "./data/onehot";
export { minibatches } from "./data/batches";
export type { Minibatch, MinibatchOptions } from "./data/batches";
export { makeLine, makeXor, makeXorCloud, makeMoons, makeCircles, makeSpirals } from "./data/synthetic";
export type { Dataset, LineOptions } from "./data/synthetic";
export { parseIdx, readIdx } from "./data/idx";
export type { IdxData } from "./data/idx";
export { loadMnist, mnistXy, mnistDir, MNIST_FILES } from "./data/mnist";
export type { Mnist, MnistSet } from "./data/mnist";
export type { Seeded } from "./data/seeded";
