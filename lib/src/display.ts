/**
 * Rich output for notebooks. Inside the TypeScript kernel a value is shown through the
 * kernel's display channel, as one bundle holding several forms of the same thing
 * (HTML, a JSON form for front ends that know it, plain text); each front end picks the
 * richest form it can draw. Outside a kernel (a plain Node script) the text form is printed.
 */

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
    return jupyter.lastWriteDisplayData ?? null;
  } catch {
    return null;
  }
}

/** Shows `bundle` as the output of the running cell. */
export function display(bundle: MimeBundle): void {
  const write = kernelChannel();
  if (write) write({ data: bundle, metadata: {}, transient: {} }, false);
  else console.log(bundle["text/plain"]);
}
