/**
 * The end-to-end tests need Jupyter and Chromium. On a learner's machine without them they
 * are skipped with a note saying how to install them; under CI (CI=true) they are required,
 * so a CI machine that lacks them fails instead of skipping.
 */
import { haveJupyter } from "../../scripts/setup.mjs";
import { findChromium } from "./browser";

export function e2eMissing(): string | null {
  const missing = [haveJupyter() ? null : "Jupyter (apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient)",
    findChromium() ? null : "Chromium (apt-get install chromium)"].filter(Boolean);
  if (!missing.length) return null;
  const note = `end-to-end tests need ${missing.join(" and ")}`;
  if (process.env.CI === "true" || process.env.CI === "1") throw new Error(`CI: ${note}`);
  console.warn(`Skipping: ${note}.`);
  return note;
}
