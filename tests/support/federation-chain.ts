import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWK, type JWTPayload } from "jose";

/**
 * A trust chain validator written in the tests from OpenID Federation 1.0
 * §10.2 (no maintained JavaScript library implements the final
 * specification), so the portal's statements are checked by code that does
 * not share the portal's:
 *  - every statement is typed entity-statement+jwt, carries iss, sub, iat,
 *    exp and jwks, was issued in the past and has not expired;
 *  - ES[0] is the subject's Entity Configuration (iss == sub), signed with a
 *    key of its own jwks;
 *  - for each j, ES[j].iss == ES[j+1].sub and ES[j] is signed with a key of
 *    ES[j+1].jwks;
 *  - the last is the anchor's Entity Configuration, issued by the expected
 *    anchor and signed with the anchor key the verifier pinned;
 *  - the subordinate statement's metadata policy (the operators the anchor
 *    uses: default, one_of, subset_of, essential) resolves the subject's
 *    metadata, and broken metadata is an error.
 */
export class ChainError extends Error {}

const TYP = "entity-statement+jwt";

// Imported key sets by their JSON: a resolver holding cached statements imports each key once, not per check.
const keySets = new Map<string, ReturnType<typeof createLocalJWKSet>>();
function keySetOf(jwks: { keys: JWK[] }): ReturnType<typeof createLocalJWKSet> {
  const id = JSON.stringify(jwks);
  let set = keySets.get(id);
  if (!set) {
    if (keySets.size > 1000) keySets.clear();
    set = createLocalJWKSet(jwks);
    keySets.set(id, set);
  }
  return set;
}

/**
 * Checks one statement's claims and its signature under `jwks`. `verified` holds the statements (by index) whose
 * signature this resolution already checked under the same key set: an entity configuration's self-signature and
 * its superior's statement of its keys usually name the same keys, and one signature check of the same bytes
 * under the same keys is enough.
 */
async function verifyWith(
  chain: string[],
  index: number,
  claims: JWTPayload,
  jwks: { keys: JWK[] },
  now: Date,
  what: string,
  verified: Set<string>,
): Promise<void> {
  const jwt = chain[index];
  if (decodeProtectedHeader(jwt).typ !== TYP) throw new ChainError(`${what}: typ is not ${TYP}`);
  for (const c of ["iss", "sub", "iat", "exp", "jwks"]) if (!(c in claims)) throw new ChainError(`${what}: no ${c}`);
  if ((claims.iat as number) > now.getTime() / 1000 + 60) throw new ChainError(`${what}: issued in the future`);
  if ((claims.exp as number) <= now.getTime() / 1000) throw new ChainError(`${what}: expired`);
  const done = `${index}\n${JSON.stringify(jwks)}`;
  if (verified.has(done)) return;
  try {
    await jwtVerify(jwt, keySetOf(jwks), { currentDate: now });
  } catch {
    throw new ChainError(`${what}: signature does not verify with the superior's keys`);
  }
  verified.add(done);
}

type Policy = Record<string, { subset_of?: string[]; one_of?: string[]; essential?: boolean; default?: string[] }>;

export function resolveMetadata(metadata: Record<string, unknown>, policy: Policy): Record<string, unknown> {
  const out = { ...metadata };
  for (const [name, p] of Object.entries(policy)) {
    const isScope = name === "scope";
    if (out[name] === undefined && p.default) out[name] = isScope ? p.default.join(" ") : p.default;
    if (out[name] !== undefined && p.one_of && !p.one_of.includes(out[name] as string))
      throw new ChainError(`policy: ${name} not one of ${p.one_of}`);
    if (out[name] !== undefined && p.subset_of) {
      const values = isScope ? String(out[name]).split(" ") : (out[name] as string[]);
      const kept = values.filter((v) => p.subset_of?.includes(v));
      out[name] = isScope ? kept.join(" ") : kept;
    }
    if (p.essential && out[name] === undefined) throw new ChainError(`policy: ${name} is essential`);
  }
  const redirects = out.redirect_uris as string[] | undefined;
  if (redirects && redirects.length === 0) throw new ChainError("policy: no redirect URI left");
  return out;
}

export async function validateTrustChain(
  chain: string[],
  anchor: { entityId: string; jwks: { keys: JWK[] } },
  now = new Date(),
): Promise<{ subject: string; metadata: Record<string, Record<string, unknown>>; exp: number }> {
  if (chain.length < 2) throw new ChainError("a chain has at least the subject and the anchor");
  const claims: JWTPayload[] = chain.map((jwt) => decodeJwt(jwt));
  const verified = new Set<string>();
  if (claims[0].iss !== claims[0].sub) throw new ChainError("ES[0] is not an entity configuration");
  await verifyWith(chain, 0, claims[0], claims[0].jwks as { keys: JWK[] }, now, "ES[0] self-signature", verified);
  for (let j = 0; j < chain.length - 1; j++) {
    if (claims[j].iss !== claims[j + 1].sub) throw new ChainError(`ES[${j}].iss != ES[${j + 1}].sub`);
    await verifyWith(chain, j, claims[j], claims[j + 1].jwks as { keys: JWK[] }, now, `ES[${j}]`, verified);
  }
  const last = chain.length - 1;
  if (claims[last].iss !== anchor.entityId) throw new ChainError("the chain ends at another trust anchor");
  await verifyWith(chain, last, claims[last], anchor.jwks, now, "trust anchor configuration", verified);
  const statement = claims[1] as JWTPayload & { metadata_policy?: Record<string, Policy> };
  const metadata: Record<string, Record<string, unknown>> = {};
  for (const [type, value] of Object.entries((claims[0].metadata ?? {}) as Record<string, Record<string, unknown>>)) {
    const policy = statement.metadata_policy?.[type];
    metadata[type] = policy ? resolveMetadata(value, policy) : value;
  }
  return { subject: String(claims[0].sub), metadata, exp: Math.min(...claims.map((c) => c.exp as number)) };
}
