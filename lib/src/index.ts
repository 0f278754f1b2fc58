/**
 * byhand: the course's neural-network library, built by hand.
 * Each module names the chapter it belongs to; read them beside the notebooks.
 */
export * from "./errors";
export * from "./matrix";
export * from "./random";
export * from "./activations";
export * from "./initializers";
export * from "./neuron";
export * from "./layer";
export * from "./dense";
export * from "./gradcheck";
export * from "./check";
export * from "./display";
export * from "./plot";
export * from "./tf";
