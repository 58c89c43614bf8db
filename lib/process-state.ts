/**
 * The state that must be one per process, and the globalThis key of each, in
 * one place: what the protocol fast lane shares with the route bundles, the
 * composition the portal was started with, the audit page's last checked
 * head, and the log's published checkpoint and served files. Next may load a module more than once in one process
 * (instrumentation and the route bundles each get a copy; the protocol fast
 * lane runs in the instrumentation copy), so module variables would be
 * duplicated: a second database pool, a second key cache, a composition
 * installed in one copy and missing in the other. A slot lives on globalThis
 * under its name, so every copy sees the same value.
 */
const slotNames = {
  databaseEngine: "guildhallEngine",
  peerAddressTag: "guildhallPeerTag",
  invalidationFeed: "guildhallInvalidationFeed",
  oidcKeys: "guildhallOidcKeys",
  outboxEffects: "guildhallOutboxEffects",
  orderFulfillers: "guildhallOrderFulfillers",
  sessionEndHooks: "guildhallSessionEndHooks",
  credentialRevokers: "guildhallCredentialRevokers",
  claimSources: "guildhallClaimSources",
  clientRegistrars: "guildhallClientRegistrars",
  lifecycle: "guildhallLifecycle",
  metrics: "guildhallMetrics",
  backgroundTasks: "guildhallBackgroundTasks",
  auditCheckpoint: "guildhallAuditCheckpoint",
  publishedCheckpoint: "guildhallPublishedCheckpoint",
  servedLogFiles: "guildhallServedLogFiles",
} as const;

export type ProcessSlotName = keyof typeof slotNames;

export type ProcessSlot<T> = { get(): T | undefined; set(value: T | undefined): void; getOrInit(create: () => T): T };

const store = globalThis as unknown as Record<string, unknown>;

/** The slot of one kind of per-process state; the caller names the type of what it keeps there. */
export function processSlot<T>(name: ProcessSlotName): ProcessSlot<T> {
  const key = slotNames[name];
  return {
    get: () => store[key] as T | undefined,
    set: (value) => {
      store[key] = value;
    },
    getOrInit: (create) => {
      if (store[key] === undefined) store[key] = create();
      return store[key] as T;
    },
  };
}

/** A slot's value, or a loud failure naming what should have put it there. */
export function requireSlot<T>(slot: ProcessSlot<T>, missing: string): T {
  const value = slot.get();
  if (value === undefined) throw new Error(missing);
  return value;
}
