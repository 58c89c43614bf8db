import crypto from "node:crypto";

/**
 * A software WebAuthn authenticator: real key pairs from node:crypto, real
 * authenticator data, client data and signatures, as a platform
 * authenticator and the browser together would produce them for
 * navigator.credentials.get(). Not a mock: @simplewebauthn/server verifies
 * what it makes (tests/unit/governance/software-authenticator.test.ts).
 */
export type SoftwareKeyType = "ES256" | "EdDSA" | "RS256";

function cborHead(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

function cborInt(n: number): Buffer {
  return n >= 0 ? cborHead(0, n) : cborHead(1, -1 - n);
}

function cborBytes(b: Buffer): Buffer {
  return Buffer.concat([cborHead(2, b.length), b]);
}

/** A COSE_Key map with integer labels, encoded as CBOR. */
export function encodeCoseKey(entries: [number, number | Buffer][]): Uint8Array {
  const parts = [cborHead(5, entries.length)];
  for (const [k, v] of entries) parts.push(cborInt(k), typeof v === "number" ? cborInt(v) : cborBytes(v));
  return new Uint8Array(Buffer.concat(parts));
}

export class SoftwareAuthenticator {
  readonly credentialId = crypto.randomBytes(16).toString("base64url");
  readonly privateKey: crypto.KeyObject;
  readonly publicKey: crypto.KeyObject;
  counter = 0;

  constructor(readonly rp: { rpId: string; origin: string }, readonly type: SoftwareKeyType = "ES256") {
    const pair =
      type === "ES256" ? crypto.generateKeyPairSync("ec", { namedCurve: "P-256" })
      : type === "EdDSA" ? crypto.generateKeyPairSync("ed25519")
      : crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  /** The credential's public key in COSE form, as registration stores it. */
  coseKey(): Uint8Array {
    const jwk = this.publicKey.export({ format: "jwk" });
    const b = (s: string | undefined) => Buffer.from(s ?? "", "base64url");
    if (this.type === "ES256") return encodeCoseKey([[1, 2], [3, -7], [-1, 1], [-2, b(jwk.x)], [-3, b(jwk.y)]]);
    if (this.type === "EdDSA") return encodeCoseKey([[1, 1], [3, -8], [-1, 6], [-2, b(jwk.x)]]);
    return encodeCoseKey([[1, 3], [3, -257], [-1, b(jwk.n)], [-2, b(jwk.e)]]);
  }

  /**
   * An assertion over `challenge` (base64url). Options let a test make a
   * dishonest one: another origin or RP id, no user verification.
   */
  getAssertion(challenge: string, opts: { origin?: string; rpId?: string; userVerified?: boolean; type?: string } = {}) {
    this.counter += 1;
    const flags = 0x01 | (opts.userVerified === false ? 0 : 0x04);
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    const authenticatorData = Buffer.concat([crypto.createHash("sha256").update(opts.rpId ?? this.rp.rpId).digest(), Buffer.from([flags]), counter]);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: opts.type ?? "webauthn.get", challenge, origin: opts.origin ?? this.rp.origin, crossOrigin: false }));
    const signed = Buffer.concat([authenticatorData, crypto.createHash("sha256").update(clientDataJSON).digest()]);
    const signature = this.type === "EdDSA" ? crypto.sign(null, signed, this.privateKey) : crypto.sign("sha256", signed, this.privateKey);
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key" as const,
      response: {
        clientDataJSON: clientDataJSON.toString("base64url"),
        authenticatorData: authenticatorData.toString("base64url"),
        signature: signature.toString("base64url"),
      },
      clientExtensionResults: {},
    };
  }
}
