#!/usr/bin/env node
// Installs missing packages, builds the library and registers the kernel (see setup.mjs).
import { prepare } from "./setup.mjs";

prepare();
