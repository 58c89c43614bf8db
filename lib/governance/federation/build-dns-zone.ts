import "server-only";
import { calculateJwkThumbprint, type JWK } from "jose";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { getActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import { getServiceConfiguration } from "@/lib/governance/federation/publish-service-configuration";

export const SERVICE_CONFIGURATION_PATH = "/.well-known/guildhall/service-configuration";

const domainPattern = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A TXT record's text as zone-file character-strings: quoted, at most 255 bytes each (RFC 1035 §3.3). */
function txt(text: string): string {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += 255) parts.push(`"${text.slice(i, i + 255)}"`);
  return parts.join(" ");
}

/**
 * The trust anchor and the current service configuration as DNS TXT records
 * under `_guildhall.<domain>`, so a backend can bootstrap from DNS (DNSSEC
 * signed, ideally) and cross-check the key it was given:
 *  - one `anchor` record per published federation key: the entity id, the
 *    key id and its RFC 7638 SHA-256 thumbprint (`jkt`);
 *  - one `config` record: the current version, the SHA-256 of its payload's
 *    canonical JSON (the same digest the audit chain records) and its URL.
 * Retired keys stay listed while they are published, so a backend holding a
 * version signed before a rotation still finds its key pinned.
 */
export async function buildDnsZone(opts: { domain?: string; ttlSeconds?: number } = {}) {
  const domain = (opts.domain ?? new URL(env().publicUrl).hostname).toLowerCase().replace(/\.$/, "");
  if (!domainPattern.test(domain))
    throw new AppError("VALIDATION_FAILED", { userMessage: `${domain} is not a DNS name.`, reason: "BAD_DOMAIN" });
  const ttl = opts.ttlSeconds ?? 300;
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > 86_400)
    throw new AppError("VALIDATION_FAILED", { userMessage: "The TTL is 60 to 86400 seconds.", reason: "BAD_TTL" });
  await getActiveSigningKey("federation");
  const [{ keys }, config] = await Promise.all([getPublicJwks(["federation"]), getServiceConfiguration()]);
  const owner = `_guildhall.${domain}.`;
  const anchor = env().publicUrl;
  const records = [
    ...(await Promise.all(
      keys.map(async (k: JWK) => ({
        kind: "anchor" as const,
        text: `v=guildhall1 anchor=${anchor} kid=${k.kid} jkt=${await calculateJwkThumbprint(k, "sha256")}`,
      })),
    )),
    {
      kind: "config" as const,
      text: `v=guildhall1 config=${config.version} sha256=${config.digest} url=${anchor}${SERVICE_CONFIGURATION_PATH}/${config.version}`,
    },
  ];
  const zone = [
    `; Guildhall trust anchor ${anchor}: federation keys and service configuration version ${config.version}`,
    ...records.map((r) => `${owner}\t${ttl}\tIN\tTXT\t${txt(r.text)}`),
    "",
  ].join("\n");
  return { domain, owner, ttlSeconds: ttl, version: config.version, digest: config.digest, records, zone };
}
