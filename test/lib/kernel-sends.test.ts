/**
 * queueKernelSends: the kernel's zeromq sockets allow one send in progress at a time, and
 * the kernel does not wait for its sends. A Router with a send high-water mark of 1 shows the
 * failure (control), then the same burst after queueKernelSends arrives whole and in order.
 * The control runs first: the queue, once installed, stays for the life of the process.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { queueKernelSends } from "../../lib/src/display";

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const zmq = require(require.resolve("zeromq", { paths: [path.dirname(require.resolve("tslab/package.json"))] })) as any;

/** A Router with room for one queued message (mandatory: it waits rather than drop), a Dealer connected to it, and the Router's id for it. */
async function pair(endpoint: string) {
  const router = new zmq.Router({ sendHighWaterMark: 1, mandatory: true });
  const dealer = new zmq.Dealer({ receiveHighWaterMark: 1 });
  await router.bind(endpoint);
  dealer.connect(endpoint);
  await dealer.send("hello");
  const [id] = await router.receive();
  return { router, dealer, id };
}

/** Sends `n` messages without waiting, as the kernel does; the settled outcomes and what arrived. */
async function burst(endpoint: string, n: number) {
  const { router, dealer, id } = await pair(endpoint);
  const payload = Buffer.alloc(256 * 1024, 7);
  const sends: Promise<void>[] = [];
  for (let k = 0; k < n; k++) {
    try {
      sends.push(router.send([id, String(k), payload]));
    } catch (e) {
      sends.push(Promise.reject(e)); // zeromq throws EBUSY synchronously, inside the caller
    }
  }
  const received: string[] = [];
  const receiving = (async () => {
    for (let k = 0; k < n; k++) received.push(String((await dealer.receive())[0]));
  })();
  const outcomes = await Promise.allSettled(sends);
  await Promise.race([receiving, new Promise((r) => setTimeout(r, 5_000).unref())]);
  router.close();
  dealer.close();
  return { outcomes, received };
}

describe("queueKernelSends", () => {
  it("control: without it, a second send while one is in progress fails with EBUSY", async () => {
    const { outcomes } = await burst("inproc://control", 20);
    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(failures.length).toBeGreaterThan(0);
    expect(String(failures[0].reason)).toMatch(/busy writing/);
  });

  it("with it, every send of the burst goes out, in order", async () => {
    expect(queueKernelSends()).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(zmq.Router.prototype, "send")).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(zmq.Publisher.prototype, "send")).toBe(true);
    const { outcomes, received } = await burst("inproc://queued", 20);
    expect(outcomes.every((o) => o.status === "fulfilled")).toBe(true);
    expect(received).toEqual(Array.from({ length: 20 }, (_, k) => String(k)));
  });
});
