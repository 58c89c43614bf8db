import http from "node:http";
import type { AddressInfo } from "node:net";
import { importSPKI, jwtVerify } from "jose";

/**
 * A local stand-in for the App Store Server API, for the endpoints Guildhall
 * calls through Apple's library: transaction history (v2), notification
 * history, subscription statuses, and consumption information. It checks the library's bearer token
 * as Apple does (ES256, signed by the configured key, audience
 * appstoreconnect-v1, issuer and bundle id) and answers with what a test put
 * in it: signed transactions and signed notifications made with the tests'
 * own certificate chain. Every answer closes its connection: a kept-alive
 * socket the server drops after its idle timeout, just as fetch reuses it,
 * fails the next call with ECONNRESET (the library's own client, node-fetch,
 * keeps no connection alive either).
 */
export type AppleApiDouble = {
  base: string;
  keyPath: string;
  keyId: string;
  issuerId: string;
  /** Signed transactions per original transaction id, served in pages of `pageSize`. */
  histories: Map<string, string[]>;
  /** Signed notification payloads served by notification history. */
  notifications: string[];
  consumptionRequests: { transactionId: string; body: unknown }[];
  /** Get All Subscription Statuses: per original transaction id, its status (1 active … 5 revoked) and signed info. */
  statuses: Map<string, { status: number; signedTransactionInfo: string; signedRenewalInfo?: string }>;
  pageSize: number;
  close(): Promise<void>;
};

export async function startAppleApiDouble(opts: { bundleId: string; keyPath: string; publicKeyPem: string }) {
  const publicKey = await importSPKI(opts.publicKeyPem, "ES256");
  const double: Omit<AppleApiDouble, "base" | "close"> = {
    keyPath: opts.keyPath,
    keyId: "TESTKEY123",
    issuerId: "57246542-96fe-1a63-e053-0824d011072a",
    histories: new Map(),
    notifications: [],
    consumptionRequests: [],
    statuses: new Map(),
    pageSize: 2,
  };
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json", connection: "close" });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://double");
    try {
      const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
      const { payload } = await jwtVerify(token, publicKey, {
        audience: "appstoreconnect-v1",
        issuer: double.issuerId,
      });
      if (payload.bid !== opts.bundleId) return json(res, 401, { errorCode: 4010000, errorMessage: "bad bundle" });
    } catch {
      return json(res, 401, { errorCode: 4010000, errorMessage: "unauthenticated" });
    }
    const history = url.pathname.match(/^\/inApps\/v2\/history\/([^/]+)$/);
    if (req.method === "GET" && history) {
      const all = double.histories.get(history[1]) ?? [];
      const from = Number(url.searchParams.get("revision") ?? 0);
      const page = all.slice(from, from + double.pageSize);
      const next = from + page.length;
      return json(res, 200, {
        signedTransactions: page,
        revision: String(next),
        hasMore: next < all.length,
        bundleId: opts.bundleId,
        environment: "Sandbox",
      });
    }
    if (req.method === "POST" && url.pathname === "/inApps/v1/notifications/history") {
      const from = Number(url.searchParams.get("paginationToken") ?? 0);
      const page = double.notifications.slice(from, from + double.pageSize);
      const next = from + page.length;
      return json(res, 200, {
        notificationHistory: page.map((signedPayload) => ({ signedPayload })),
        hasMore: next < double.notifications.length,
        paginationToken: String(next),
      });
    }
    const statuses = url.pathname.match(/^\/inApps\/v1\/subscriptions\/([^/]+)$/);
    if (req.method === "GET" && statuses) {
      const last = double.statuses.get(statuses[1]);
      // Apple answers 404 TransactionIdNotFoundError for a transaction it does not know.
      if (!last) return json(res, 404, { errorCode: 4040010, errorMessage: "Transaction id not found." });
      return json(res, 200, {
        environment: "Sandbox",
        bundleId: opts.bundleId,
        data: [
          {
            subscriptionGroupIdentifier: "21000000",
            lastTransactions: [{ originalTransactionId: statuses[1], ...last }],
          },
        ],
      });
    }
    const consumption = url.pathname.match(/^\/inApps\/v[12]\/transactions\/consumption\/([^/]+)$/);
    if (req.method === "PUT" && consumption) {
      double.consumptionRequests.push({
        transactionId: consumption[1],
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
      });
      res.writeHead(202, { connection: "close" }).end();
      return;
    }
    json(res, 404, { errorCode: 4040010, errorMessage: "not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(double, {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as AppleApiDouble;
}
