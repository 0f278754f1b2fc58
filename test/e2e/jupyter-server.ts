/**
 * A Jupyter Notebook server for browser tests: this checkout's kernel, a fresh token, a free
 * port on 127.0.0.1, serving a folder the test chooses (so the tests never write outputs
 * into the committed notebooks). Also the waits every Jupyter test needs, each on Jupyter's
 * own state (its REST API) with a generous ceiling, never on a fixed time.
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

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WaitOptions {
  /** Give up after this long; generous, since a busy machine starts Jupyter and kernels slowly. */
  ceilingMs?: number;
  pollMs?: number;
}

/**
 * Resolves once the server at `url` answers /api/status. Fails at once when `exited()` says
 * the server process is gone, and after the ceiling with the server's log.
 */
export async function waitForJupyter(url: (p: string) => string, exited: () => boolean, log: () => string,
  { ceilingMs = 180_000, pollMs = 250 }: WaitOptions = {}): Promise<void> {
  const deadline = Date.now() + ceilingMs;
  for (;;) {
    try {
      if ((await fetch(url("/api/status"))).ok) return;
    } catch { /* not listening yet */ }
    if (exited()) throw new Error(`Jupyter exited before it answered:\n${log()}`);
    if (Date.now() > deadline) throw new Error(`Jupyter did not answer within ${ceilingMs / 1000} s:\n${log()}`);
    await pause(pollMs);
  }
}

interface Session { path?: string; notebook?: { path?: string }; kernel?: { id: string; execution_state?: string } }

/**
 * Resolves once the kernel of the session open on `notebookPath` (relative to the server's
 * folder) reports execution_state "idle": it has started and is ready for cells. Fails at
 * once if it dies, and after the ceiling with the last state seen.
 */
export async function waitForKernelIdle(url: (p: string) => string, notebookPath: string,
  { ceilingMs = 300_000, pollMs = 500 }: WaitOptions = {}): Promise<void> {
  const deadline = Date.now() + ceilingMs;
  let last = "no session yet";
  for (;;) {
    try {
      const sessions = (await (await fetch(url("/api/sessions"))).json()) as Session[];
      const s = sessions.find((x) => (x.path ?? x.notebook?.path) === notebookPath);
      if (s?.kernel) {
        last = s.kernel.execution_state ?? "unknown";
        if (last === "idle") return;
        if (last === "dead") throw new Error(`the kernel for ${notebookPath} died while starting`);
      }
    } catch (e) {
      if ((e as Error).message.includes("died")) throw e;
      last = `no answer from Jupyter (${(e as Error).message})`;
    }
    if (Date.now() > deadline) {
      throw new Error(`the kernel for ${notebookPath} did not become idle within ${ceilingMs / 1000} s; last state: ${last}`);
    }
    await pause(pollMs);
  }
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
  try {
    await waitForJupyter(url, () => child.exitCode !== null, () => log);
  } catch (e) {
    child.kill();
    throw e;
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
