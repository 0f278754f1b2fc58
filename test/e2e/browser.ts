/**
 * Headless Chromium for the end-to-end tests, driven by playwright-core. The browser is the
 * system's (Debian's `chromium`); nothing is downloaded. Network-facing features are off,
 * since the pages under test must work offline.
 */
import { spawnSync } from "node:child_process";
import { chromium, type Browser } from "playwright-core";

export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, "chromium", "chromium-browser", "google-chrome"];
  for (const c of candidates) {
    if (!c) continue;
    const r = spawnSync("sh", ["-c", `command -v "${c}"`], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error("Chromium not found: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.");
  return chromium.launch({
    executablePath,
    timeout: 180_000, // a ceiling: launch returns as soon as the browser is up, which a busy machine slows

    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-dev-shm-usage"],
  });
}
