/**
 * The CI script on a machine that lacks Jupyter and Chromium: as root it installs them with
 * apt-get; otherwise it says that it needs root and which packages, and stops before trying.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
const bin = mkdtempSync(path.join(tmpdir(), "ci-path-"));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

const which = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).stdout.trim();

describe(".ci/run", () => {
  it("without root, names the packages it needs and stops before apt-get", () => {
    // A PATH with what the script's first lines use, no Jupyter or Chromium, an `id` that
    // answers as an ordinary user, and an apt-get that records being called.
    for (const cmd of ["dirname"]) symlinkSync(which(cmd), path.join(bin, cmd));
    const script = (name: string, body: string) => {
      writeFileSync(path.join(bin, name), `#!${which("sh")}\n${body}\n`);
      chmodSync(path.join(bin, name), 0o755);
    };
    script("id", "echo 1000");
    script("apt-get", `touch "${path.join(bin, "apt-get-ran")}"`);
    const r = spawnSync(which("bash"), [path.join(root, ".ci", "run")], { env: { PATH: bin, HOME: bin }, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("CI needs jupyter-notebook jupyter-nbconvert python3-nbclient");
    expect(r.stderr).toContain("chromium");
    expect(r.stderr).toContain("installing them with apt-get needs root");
    expect(r.stderr).toMatch(/sudo apt-get install jupyter-notebook .*chromium/);
    expect(existsSync(path.join(bin, "apt-get-ran"))).toBe(false);
  });
});
