#!/usr/bin/env node
/**
 * npm run build: compiles the library (lib/src → lib/dist) and its fast kernels
 * (lib/assembly/kernels.ts → lib/wasm/kernels.wasm), each only when its sources changed.
 */
import { buildLibrary } from "./setup.mjs";

buildLibrary();
