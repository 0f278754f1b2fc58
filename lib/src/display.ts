/**
 * Rich output for notebooks. Inside the TypeScript kernel a value is shown through the
 * kernel's display channel, as one bundle holding several forms of the same thing
 * (HTML, a JSON form for front ends that know it, plain text); each front end picks the
 * richest form it can draw. Outside a kernel (a plain Node script) the text form is printed.
 */
import { randomBytes } from "node:crypto";
import * as path from "node:path";

/** One display: MIME type → content, e.g. { "text/html": "<b>hi</b>", "text/plain": "hi" }. */
export type MimeBundle = Record<string, unknown> & { "text/plain": string };

type WriteDisplayData = (
  data: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: Record<string, unknown> },
  update: boolean,
) => void;

function kernelChannel(): WriteDisplayData | null {
  try {
    // Resolved at call time: the kernel sets this hook before running each cell.
    const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData?: WriteDisplayData | null };
    const write = jupyter.lastWriteDisplayData ?? null;
    if (write) queueKernelSends();
    return write;
  } catch {
    return null;
  }
}

let sendsQueued = false;

/**
 * The kernel sends each message with zeromq's send() and does not wait for it, but a zeromq
 * socket allows one send in progress at a time: when one has not finished (a large figure,
 * a busy machine), the next fails with "Socket is busy writing" (EBUSY) and the kernel dies.
 * Live displays send often, so the first time one is shown this makes the kernel's sending
 * sockets (Publisher: output; Router: replies) wait for their previous send, in order.
 */
export function queueKernelSends(): boolean {
  if (sendsQueued) return true;
  try {
    const paths = [path.dirname(require.resolve("tslab/package.json"))];
    const zmq = require(require.resolve("zeromq", { paths })) as Record<string, { prototype: object } | undefined>;
    for (const name of ["Publisher", "Router"]) {
      const proto = zmq[name]?.prototype as { send?: (msg: unknown) => Promise<void> } | undefined;
      const send = proto?.send;
      if (!proto || typeof send !== "function" || Object.prototype.hasOwnProperty.call(proto, "send")) continue;
      const previous = new WeakMap<object, Promise<void>>();
      Object.defineProperty(proto, "send", {
        configurable: true,
        writable: true,
        value(this: object, msg: unknown): Promise<void> {
          const next = (previous.get(this) ?? Promise.resolve()).then(() => send.call(this, msg));
          previous.set(this, next.catch(() => undefined));
          return next;
        },
      });
    }
    sendsQueued = true;
  } catch {
    // No kernel's zeromq here (a plain Node script): nothing to queue.
  }
  return sendsQueued;
}

/** Shows `bundle` as the output of the running cell. */
export function display(bundle: MimeBundle): void {
  emit(bundle, {}, false);
}

/** Writes a display through the kernel, or prints its text outside one; true in a kernel. */
function emit(bundle: MimeBundle, transient: Record<string, unknown>, update: boolean): boolean {
  const write = kernelChannel();
  if (write) write({ data: bundle, metadata: {}, transient }, update);
  else console.log(bundle["text/plain"]);
  return write !== null;
}

/** True inside the TypeScript kernel, where displays are drawn rather than printed. */
export function inKernel(): boolean {
  return kernelChannel() !== null;
}

/** One output that each `show` replaces in place (see `liveDisplay`). */
export interface LiveDisplay {
  show(bundle: MimeBundle): void;
}

/**
 * An output that redraws in place: the first `show` creates it, every later one replaces it
 * (Jupyter's update_display_data, matched by a display id), with every form of the bundle,
 * so a saved notebook keeps the last picture in all of them. Outside a kernel each `show`
 * prints its text form.
 *
 * Jupyter sends the updates when the cell gives the event loop a turn, so a training loop
 * that should be watched live awaits one between frames (`await new Promise(setImmediate)`).
 */
export function liveDisplay(): LiveDisplay {
  const id = randomBytes(8).toString("hex");
  let shown = false;
  return {
    show(bundle: MimeBundle): void {
      if (emit(bundle, { display_id: id }, shown)) shown = true;
    },
  };
}
