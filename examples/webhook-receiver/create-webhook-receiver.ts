import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  createWebhookVerifier,
  importWebhookKey,
  WebhookVerificationError,
  type VerifiedWebhook,
} from "./verify-webhook";

const MAX_BODY_BYTES = 256 * 1024;

/**
 * A small webhook endpoint a host or theater can start from: it fetches
 * Guildhall's webhook keys once at start (pin them: a key that appears later
 * is not trusted until the receiver is restarted, or checked out of band),
 * verifies every request (verify-webhook.ts), hands each new event to
 * `onEvent` once, answers 200 to a duplicate without processing it again, and
 * 400 with `{ code }` to anything it refuses, logging the refusal.
 */
export async function startWebhookReceiver(opts: {
  guildhall: string;
  subscriptionId: string;
  port?: number;
  toleranceSeconds?: number;
  onEvent: (event: VerifiedWebhook["event"], id: string) => Promise<void> | void;
  log?: (line: Record<string, unknown>) => void;
}) {
  const res = await fetch(`${opts.guildhall}/.well-known/guildhall/webhook-keys`);
  if (!res.ok) throw new Error(`webhook keys: ${res.status}`);
  const { keys } = (await res.json()) as { keys: { whpk: string }[] };
  const verifyWebhook = createWebhookVerifier({
    keys: keys.map((k) => importWebhookKey(k.whpk)),
    subscriptionId: opts.subscriptionId,
    toleranceSeconds: opts.toleranceSeconds,
  });
  const log = opts.log ?? ((line) => console.log(JSON.stringify(line)));

  const server = http.createServer(async (req, reply) => {
    const answer = (status: number, body: Record<string, unknown>) => {
      reply.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (req.method !== "POST") return answer(405, { code: "METHOD_NOT_ALLOWED" });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return answer(413, { code: "TOO_LARGE" });
      chunks.push(chunk);
    }
    try {
      const headers = Object.fromEntries(
        ["webhook-id", "webhook-timestamp", "webhook-signature"].map((h) => [h, req.headers[h] as string | undefined]),
      );
      const verified = verifyWebhook(headers, Buffer.concat(chunks));
      if (verified.duplicate) {
        log({ msg: "webhook replay ignored", id: verified.id });
        return answer(200, { duplicate: true });
      }
      await opts.onEvent(verified.event, verified.id);
      return answer(200, { ok: true });
    } catch (e) {
      if (!(e instanceof WebhookVerificationError)) throw e;
      log({ msg: "webhook refused", code: e.code, id: req.headers["webhook-id"] ?? null });
      return answer(400, { code: e.code });
    }
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
