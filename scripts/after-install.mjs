#!/usr/bin/env node
/**
 * npm's `prepare` step, run at the end of every `npm install` (and `npm ci`): build the
 * library, so that `import … from "byhand"` works in any Jupyter front end right after
 * install; register this checkout's kernel in ./.jupyter; and note which package files
 * node_modules was installed from, so `npm start` knows not to install again.
 */
import { buildLibrary, recordInstall, registerKernel } from "./setup.mjs";

buildLibrary();
registerKernel();
recordInstall();
