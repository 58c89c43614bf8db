/**
 * Next.js calls register() once when a server process starts, before it
 * serves. Next compiles this file for the Edge runtime too, where it stands
 * for "edge" in NEXT_RUNTIME: written as below, the import is dropped from
 * that build, so none of the Node.js-only code behind it is compiled for the
 * Edge (with an early return instead, the build warned about every Node.js
 * API it reached: "Ecmascript file had an error", issue 17). Guildhall runs
 * nowhere but Node.js.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await (await import("./instrumentation-node")).registerNodeServer();
}
