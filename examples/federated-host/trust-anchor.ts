import { createHash } from "node:crypto";
import {
  calculateJwkThumbprint,
  compactVerify,
  createLocalJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  type JWK,
} from "jose";

/**
 * What a backend trusts before anything else: the trust anchor's federation
 * key, pinned by its RFC 7638 thumbprint (from the operator, or from the
 * `_guildhall.<domain>` TXT records of `npm run cli -- federation dns-zone`).
 * Everything else (the anchor's Entity Configuration with its OpenID
 * Provider metadata, the signed service configuration, trust marks) is
 * checked against keys that chain to that pin.
 */
export type AnchorPin = {
  anchor: string;
  jkts: string[];
  bootstrap?: { version: number; sha256: string; url: string };
};

/** The pins in the DNS zone fragment's TXT records (`v=guildhall1 anchor=… kid=… jkt=…`, `v=guildhall1 config=N sha256=… url=…`). */
export function pinFromDnsZone(zone: string): AnchorPin {
  const records = [...zone.matchAll(/IN\s+TXT\s+((?:"[^"]*"\s*)+)/g)].map((m) =>
    [...m[1].matchAll(/"([^"]*)"/g)].map((p) => p[1]).join(""),
  );
  const fields = (r: string) => Object.fromEntries(r.split(" ").map((kv) => kv.split("=", 2) as [string, string]));
  let anchor = "";
  const jkts: string[] = [];
  let bootstrap: AnchorPin["bootstrap"];
  for (const record of records) {
    const f = fields(record);
    if (f.v !== "guildhall1") continue;
    if (f.anchor && f.jkt) {
      anchor = f.anchor;
      jkts.push(f.jkt);
    }
    if (f.config && f.sha256 && f.url) bootstrap = { version: Number(f.config), sha256: f.sha256, url: f.url };
  }
  if (!anchor || jkts.length === 0) throw new Error("the zone names no trust anchor key");
  return { anchor, jkts, bootstrap };
}

export type AnchorView = {
  anchor: string;
  jwks: { keys: JWK[] };
  serviceConfigurationUri: string;
  op: Record<string, unknown>;
  trustMarkStatusEndpoint: string;
};

async function fetchText(url: string, accept?: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000), headers: accept ? { accept } : {} });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.text();
}

/**
 * The anchor's Entity Configuration, self-signed with a key whose
 * thumbprint is pinned (a key not pinned is ignored, so a compromised server
 * cannot introduce its own), with iss = sub = the anchor.
 */
export async function loadAnchor(pin: AnchorPin): Promise<AnchorView> {
  const jwt = await fetchText(`${pin.anchor}/.well-known/openid-federation`);
  const claimed = JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8")) as { jwks: { keys: JWK[] } };
  const pinned: JWK[] = [];
  for (const k of claimed.jwks?.keys ?? [])
    if (pin.jkts.includes(await calculateJwkThumbprint(k, "sha256"))) pinned.push(k);
  if (pinned.length === 0) throw new Error("the anchor's configuration carries none of the pinned keys");
  const { payload } = await jwtVerify(jwt, createLocalJWKSet({ keys: pinned }), {
    typ: "entity-statement+jwt",
    issuer: pin.anchor,
    subject: pin.anchor,
  });
  const metadata = payload.metadata as Record<string, Record<string, unknown>>;
  const fe = metadata.federation_entity;
  return {
    anchor: pin.anchor,
    // Later statements are checked against the pinned keys only.
    jwks: { keys: pinned },
    serviceConfigurationUri: String(fe.guildhall_service_configuration_uri),
    trustMarkStatusEndpoint: String(fe.federation_trust_mark_status_endpoint),
    op: metadata.openid_provider,
  };
}

export type ServiceConfiguration = {
  version: number;
  iss: string;
  quorum: { type: string; hostsRequired: number };
  hosts: { hostOrgId: string; entityId: string; jwks: { keys: JWK[] }; endpoints: { name: string; url: string }[] }[];
  digest: string;
};

/**
 * A signed service configuration: a compact JWS of the typ Guildhall uses,
 * signed by a pinned anchor key, issued by the anchor; its digest is the
 * SHA-256 of the payload bytes, which the DNS `config` record pins for the
 * first one. A version older than one seen before is refused (no rollback).
 */
export async function fetchServiceConfiguration(
  view: AnchorView,
  p: { url?: string; expectSha256?: string; notBefore?: number } = {},
): Promise<ServiceConfiguration> {
  const jws = await fetchText(p.url ?? view.serviceConfigurationUri);
  if (decodeProtectedHeader(jws).typ !== "guildhall-service-configuration+jws")
    throw new Error("not a service configuration");
  const { payload } = await compactVerify(jws, createLocalJWKSet(view.jwks));
  const digest = createHash("sha256").update(payload).digest("hex");
  if (p.expectSha256 && digest !== p.expectSha256) throw new Error("the configuration is not the one DNS names");
  const config = JSON.parse(new TextDecoder().decode(payload)) as ServiceConfiguration;
  if (config.iss !== view.anchor) throw new Error("the configuration was issued by another anchor");
  if (p.notBefore !== undefined && config.version < p.notBefore)
    throw new Error("an older configuration than seen before");
  return { ...config, digest };
}
