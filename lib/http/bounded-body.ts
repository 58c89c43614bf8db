import "server-only";
import { AppError } from "@/lib/errors/app-error";

const bodiless = new Set(["GET", "HEAD", "OPTIONS"]);

function tooLarge(maxBytes: number): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", {
    reason: "BODY_TOO_LARGE",
    userMessage: `The request body is larger than this endpoint takes (${maxBytes} bytes).`,
  });
}

/**
 * Refuses a request whose body is larger than `maxBytes` (413, the API's
 * error shape) before the handler reads any of it: four unauthenticated
 * 100 MB bodies once took the server from 450 to 1,086 MB. A declared
 * Content-Length over the bound is refused unread; otherwise a clone of the
 * body is counted as it streams and dropped at the first byte past the bound,
 * so at most `maxBytes` plus one chunk is ever held. The request itself stays
 * unread (and keeps its type: next-auth needs Next's request object) for the
 * handler.
 */
export async function assertBodyWithin(req: Request, maxBytes: number): Promise<void> {
  if (bodiless.has(req.method) || !req.body) return;
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  const reader = req.clone().body?.getReader();
  if (!reader) return;
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    total += value.byteLength;
    if (total > maxBytes) {
      // Both halves of the tee are cancelled (either alone waits for the other), which stops the upload itself.
      await Promise.all([reader.cancel(), req.body.cancel()]);
      throw tooLarge(maxBytes);
    }
  }
}
