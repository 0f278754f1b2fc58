/**
 * The waits the Jupyter tests use end on Jupyter's own state, not after a fixed time: here
 * against a stand-in server that answers Jupyter's REST API with states the test chooses.
 */
import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { waitForJupyter, waitForKernelIdle } from "./jupyter-server";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** A stand-in Jupyter: each request to /api/sessions (or /api/status) gets the next answer. */
async function fakeJupyter(answers: { status?: number; sessions?: unknown }[]) {
  let requests = 0;
  const server = createServer((req, res) => {
    const a = answers[Math.min(requests++, answers.length - 1)];
    res.writeHead(a.status ?? 200, { "content-type": "application/json" });
    res.end(JSON.stringify(req.url?.startsWith("/api/sessions") ? a.sessions ?? [] : {}));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as { port: number };
  return { url: (p: string) => `http://127.0.0.1:${port}${p}`, requests: () => requests };
}

const session = (state: string) => [{ path: "ch.ipynb", notebook: { path: "ch.ipynb" }, kernel: { id: "k", execution_state: state } }];

describe("waiting on Jupyter", () => {
  it("waits for the kernel through 'no session yet' and 'starting' until it reports idle", async () => {
    const jp = await fakeJupyter([{ sessions: [] }, { sessions: session("starting") }, { sessions: session("starting") },
      { sessions: session("busy") }, { sessions: session("idle") }]);
    await waitForKernelIdle(jp.url, "ch.ipynb", { pollMs: 10 });
    expect(jp.requests()).toBe(5);
  });

  it("fails at once, saying so, when the kernel dies", async () => {
    const jp = await fakeJupyter([{ sessions: session("starting") }, { sessions: session("dead") }]);
    await expect(waitForKernelIdle(jp.url, "ch.ipynb", { pollMs: 10, ceilingMs: 60_000 }))
      .rejects.toThrow("the kernel for ch.ipynb died while starting");
    expect(jp.requests()).toBe(2);
  });

  it("gives up at the ceiling with the last state it saw", async () => {
    const jp = await fakeJupyter([{ sessions: session("starting") }]);
    await expect(waitForKernelIdle(jp.url, "ch.ipynb", { pollMs: 10, ceilingMs: 200 }))
      .rejects.toThrow("the kernel for ch.ipynb did not become idle within 0.2 s; last state: starting");
  });

  it("waits for the server to answer /api/status, and stops at once if it exited", async () => {
    const jp = await fakeJupyter([{ status: 503 }, { status: 503 }, { status: 200 }]);
    await waitForJupyter(jp.url, () => false, () => "", { pollMs: 10 });
    expect(jp.requests()).toBe(3);
    const down = await fakeJupyter([{ status: 503 }]);
    await expect(waitForJupyter(down.url, () => true, () => "the log", { pollMs: 10 }))
      .rejects.toThrow("Jupyter exited before it answered:\nthe log");
  });
});
