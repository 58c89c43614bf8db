import type { SoftAuthenticator } from "../../support/soft-authenticator";
import { openCheckout, payCheckout, PortalClient, requestToken } from "./portal-client";
import { defined } from "../../support/defined";

/**
 * A bounded load through the balancer, as host backends and people make it:
 * token requests, checkouts (each under its own Idempotency-Key, paid with the
 * simulated test card) and passkey sign-ins, from a few concurrent workers.
 * A checkout or payment that fails (a connection cut by a dying instance or
 * database, a 503) is retried with the same key until the deadline, which is
 * safe because both are idempotent; each request's outcome is recorded with
 * its time, so a test can tell what happened before and after a fault.
 */
export type Outcome = {
  kind: "token" | "checkout" | "payment" | "sign-in";
  at: number;
  ok: boolean;
  status: number | string;
};
export type AcknowledgedCheckout = { key: string; orderId: string; paid: boolean };

export type LoadOptions = {
  url: string;
  client: { id: string; secret: string };
  theaterOrgId: string;
  signIns: SoftAuthenticator[];
  workers: { tokens: number; checkouts: number; signIns: number };
  /** Stops starting new work at this time (ms since epoch); retries of started writes go on until `retryUntil`. */
  until: number;
  retryUntil: number;
  /** Upper bound on checkouts per worker. */
  maxCheckoutsPerWorker?: number;
};

export type LoadResult = { outcomes: Outcome[]; acknowledged: AcknowledgedCheckout[]; unacknowledged: string[] };

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function attempt(
  kind: Outcome["kind"],
  outcomes: Outcome[],
  call: () => Promise<Response>,
  okStatus: number[],
): Promise<Response | undefined> {
  try {
    const res = await call();
    outcomes.push({ kind, at: Date.now(), ok: okStatus.includes(res.status), status: res.status });
    return res;
  } catch (e) {
    outcomes.push({
      kind,
      at: Date.now(),
      ok: false,
      status: e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e),
    });
    return undefined;
  }
}

async function tokenWorker(o: LoadOptions, outcomes: Outcome[]) {
  while (Date.now() < o.until) {
    const res = await attempt("token", outcomes, () => requestToken(o.url, o.client), [200]);
    await res?.arrayBuffer();
    if (!res?.ok) await pause(100);
  }
}

/** Retries `call` (same key, same body) until it answers one of `okStatus`, or the deadline passes. */
async function untilAcknowledged(
  kind: Outcome["kind"],
  o: LoadOptions,
  outcomes: Outcome[],
  call: () => Promise<Response>,
  okStatus: number[],
): Promise<Response | undefined> {
  while (Date.now() < o.retryUntil) {
    const res = await attempt(kind, outcomes, call, okStatus);
    if (res && okStatus.includes(res.status)) return res;
    // A client error other than a refused token will not get better by retrying.
    if (res && res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 429)
      throw new Error(`${kind} refused: ${res.status} ${await res.text()}`);
    await res?.arrayBuffer();
    await pause(200);
  }
  return undefined;
}

async function checkoutWorker(worker: number, o: LoadOptions, outcomes: Outcome[], result: LoadResult) {
  let token: string | undefined;
  const freshToken = async () => {
    const res = await untilAcknowledged("token", o, outcomes, () => requestToken(o.url, o.client), [200]);
    token = res ? ((await res.json()) as { access_token: string }).access_token : undefined;
  };
  for (let i = 0; Date.now() < o.until && i < (o.maxCheckoutsPerWorker ?? Infinity); i++) {
    const key = `load-${worker}-${i}-${Date.now().toString(36)}`;
    let opened: Response | undefined;
    while (!opened && Date.now() < o.retryUntil) {
      if (!token) await freshToken();
      if (!token) break;
      opened = await untilAcknowledged(
        "checkout",
        o,
        outcomes,
        () => openCheckout(o.url, defined(token), key, o.theaterOrgId),
        [201, 401],
      );
      if (opened?.status === 401) {
        token = undefined;
        opened = undefined;
      }
    }
    if (!opened) {
      result.unacknowledged.push(key);
      continue;
    }
    const orderId = ((await opened.json()) as { id: string }).id;
    const paid = await untilAcknowledged("payment", o, outcomes, () => payCheckout(o.url, orderId), [303]);
    result.acknowledged.push({ key, orderId, paid: paid !== undefined });
  }
}

async function signInWorker(worker: number, o: LoadOptions, outcomes: Outcome[]) {
  for (let i = 0; Date.now() < o.until; i++) {
    const browser = new PortalClient(o.url);
    const authenticator = o.signIns[(worker + i) % o.signIns.length];
    const res = await attempt("sign-in", outcomes, () => browser.signInWithPasskey(authenticator), [200]);
    await res?.arrayBuffer();
    if (!res?.ok) await pause(100);
  }
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const outcomes: Outcome[] = [];
  const result: LoadResult = { outcomes, acknowledged: [], unacknowledged: [] };
  const n = (count: number) => Array.from({ length: count }, (_, i) => i);
  await Promise.all([
    ...n(o.workers.tokens).map(() => tokenWorker(o, outcomes)),
    ...n(o.workers.checkouts).map((w) => checkoutWorker(w, o, outcomes, result)),
    ...n(o.workers.signIns).map((w) => signInWorker(w, o, outcomes)),
  ]);
  return result;
}

/** Requests per kind that answered as expected, and the failures, for a report. */
export function summarize(outcomes: Outcome[]) {
  const byKind: Record<string, { ok: number; failed: number }> = {};
  for (const o of outcomes) {
    byKind[o.kind] ??= { ok: 0, failed: 0 };
    byKind[o.kind][o.ok ? "ok" : "failed"]++;
  }
  return byKind;
}

/**
 * From a fault to the first write (checkout or payment) that succeeded after
 * the last one that failed: when writes were served again for good. A write
 * answered just after the fault but committed before it does not count.
 */
export function recoveryMs(outcomes: Outcome[], faultAt: number): number | undefined {
  const writes = outcomes
    .filter((o) => (o.kind === "checkout" || o.kind === "payment") && o.at >= faultAt)
    .sort((a, b) => a.at - b.at);
  const lastFailure = writes.filter((o) => !o.ok).at(-1)?.at ?? faultAt;
  const firstSuccess = writes.find((o) => o.ok && o.at > lastFailure);
  return firstSuccess ? firstSuccess.at - faultAt : undefined;
}
