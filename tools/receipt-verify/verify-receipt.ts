import crypto from "node:crypto";

/** The receipt's JOSE `typ`; any other JWS is refused, so no other Guildhall signature passes as a receipt. */
export const RECEIPT_TYP = "guildhall-receipt+jws";

export type Jwk = { kty: string; crv?: string; x?: string; y?: string; kid?: string; alg?: string; use?: string };
export type ReceiptClaims = {
  v: 1;
  iss: string;
  jti: string;
  iat: number;
  sub?: string;
  order: string;
  kind: "ticket" | "license";
  item: Record<string, unknown>;
  theater: { id: string; slug: string; name: string };
  price: { amountMinor: number; currency: string; feeMinor: number };
  split: {
    policyId: string;
    policyVersion: number;
    entryId: string;
    parts: { payee: string; orgId: string | null; amountMinor: number }[];
  };
  paidAt: string;
  log: { origin: string; index: number; action: "order.paid" };
};

const algForKey = (jwk: Jwk) =>
  jwk.kty === "OKP" && jwk.crv === "Ed25519" ? "EdDSA" : jwk.kty === "EC" && jwk.crv === "P-256" ? "ES256" : null;

/**
 * Checks one receipt against a receipt key set, with nothing but node:crypto.
 * Checks, in order: three base64url parts; the header's typ is a receipt's and
 * its alg is EdDSA or ES256; its kid names a key of the set whose type fits
 * the alg (and whose `use`, if given, is sig); the signature verifies; the
 * payload is version 1 with every field of docs/RECEIPTS.md, and its split
 * parts add up to the price less the processor's fee. Throws with the reason.
 */
export function verifyReceipt(jws: string, keys: { keys: Jwk[] }): ReceiptClaims {
  const parts = jws.trim().split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) throw new Error("not a compact JWS");
  const header = parseJson(parts[0], "header") as { alg?: string; kid?: string; typ?: string; crit?: unknown };
  if (header.typ !== RECEIPT_TYP) throw new Error(`typ is ${JSON.stringify(header.typ)}, not ${RECEIPT_TYP}`);
  if (header.crit !== undefined) throw new Error("unknown critical header parameters");
  if (header.alg !== "EdDSA" && header.alg !== "ES256") throw new Error(`alg ${header.alg} is not EdDSA or ES256`);
  const jwk = keys.keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`kid ${header.kid} is not in the receipt key set: signed by an unknown key`);
  if (algForKey(jwk) !== header.alg || (jwk.alg && jwk.alg !== header.alg) || (jwk.use && jwk.use !== "sig"))
    throw new Error(`key ${jwk.kid} does not fit alg ${header.alg}`);
  const publicKey = crypto.createPublicKey({ key: { ...jwk }, format: "jwk" });
  const signingInput = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2], "base64url");
  const valid =
    header.alg === "EdDSA"
      ? crypto.verify(null, signingInput, publicKey, signature)
      : crypto.verify("sha256", signingInput, { key: publicKey, dsaEncoding: "ieee-p1363" }, signature);
  if (!valid) throw new Error("the signature does not verify: the receipt was changed or signed by another key");
  return checkClaims(parseJson(parts[1], "payload"));
}

function parseJson(part: string, what: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    throw new Error(`the ${what} is not JSON`);
  }
}

function checkClaims(value: unknown): ReceiptClaims {
  const c = value as ReceiptClaims;
  const isInt = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  const problems: string[] = [];
  if (c?.v !== 1) problems.push(`version ${JSON.stringify(c?.v)} is not 1`);
  for (const key of ["iss", "jti", "order", "paidAt"] as const)
    if (typeof c?.[key] !== "string") problems.push(`${key} is missing`);
  if (c?.kind !== "ticket" && c?.kind !== "license") problems.push("kind is not ticket or license");
  if (!isInt(c?.price?.amountMinor) || !isInt(c?.price?.feeMinor) || typeof c?.price?.currency !== "string")
    problems.push("price is malformed");
  if (!Array.isArray(c?.split?.parts) || !c.split.parts.every((p) => isInt(p.amountMinor)))
    problems.push("split is malformed");
  if (!isInt(c?.log?.index) || c?.log?.action !== "order.paid") problems.push("log is malformed");
  if (problems.length === 0) {
    const sum = c.split.parts.reduce((s, p) => s + p.amountMinor, 0);
    if (sum !== c.price.amountMinor - c.price.feeMinor)
      problems.push(`split parts sum to ${sum}, not the net ${c.price.amountMinor - c.price.feeMinor}`);
  }
  if (problems.length > 0) throw new Error(`the receipt's payload: ${problems.join("; ")}`);
  return c;
}

/**
 * Holds a verified receipt to the public log entry it names: the entry (from
 * an inclusion proof already checked against a signed checkpoint) must be the
 * `order.paid` event of the receipt's order at the receipt's index, with the
 * same amount, fee, currency and ledger entry.
 */
export function checkReceiptAgainstEntry(claims: ReceiptClaims, index: number, entryText: string): void {
  const entry = JSON.parse(entryText) as {
    action?: string;
    subject?: { type?: string; id?: string };
    data?: { amountMinor?: number; feeMinor?: number; currency?: string; entryId?: string };
  };
  const problems: string[] = [];
  if (index !== claims.log.index)
    problems.push(`the proof is of entry ${index}, the receipt names ${claims.log.index}`);
  if (entry.action !== "order.paid") problems.push(`the entry is ${entry.action}, not order.paid`);
  if (entry.subject?.type !== "order" || entry.subject.id !== claims.order)
    problems.push(`the entry is about ${entry.subject?.type} ${entry.subject?.id}, not order ${claims.order}`);
  if (entry.data?.amountMinor !== claims.price.amountMinor) problems.push("the amount differs from the log's");
  if (entry.data?.feeMinor !== claims.price.feeMinor) problems.push("the fee differs from the log's");
  if (entry.data?.currency !== claims.price.currency) problems.push("the currency differs from the log's");
  if (entry.data?.entryId !== claims.split.entryId) problems.push("the ledger entry differs from the log's");
  if (problems.length > 0) throw new Error(`the receipt does not match its log entry: ${problems.join("; ")}`);
}
