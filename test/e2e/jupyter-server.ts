/**
 * A Jupyter Notebook server for browser tests: this checkout's kernel, a fresh token, a free
 * port on 127.0.0.1, serving a folder the test chooses (so the tests never write outputs
 * into the committed notebooks).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { jupyterEnv } from "../../scripts/setup.mjs";

export interface JupyterServer {
  url: (path: string) => string;
  stop: () => Promise<void>;
  log: () => string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export async function startJupyter(dir: string): Promise<JupyterServer> {
  const port = await freePort();
  const token = randomBytes(12).toString("hex");
  const args = ["notebook", "--no-browser", `--port=${port}`, "--ip=127.0.0.1", `--NotebookApp.token=${token}`,
    `--notebook-dir=${dir}`, "--NotebookApp.open_browser=False"];
  if (process.getuid?.() === 0) args.push("--allow-root");
  const child: ChildProcess = spawn("jupyter", args, { env: jupyterEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout?.on("data", (d) => { log += d; });
  child.stderr?.on("data", (d) => { log += d; });
  const url = (p: string) => `http://127.0.0.1:${port}${p}${p.includes("?") ? "&" : "?"}token=${token}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(url("/api/status"));
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`Jupyter did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    log: () => log,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.on("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    }),
  };
}
