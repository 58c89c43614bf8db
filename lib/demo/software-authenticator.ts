import crypto from "node:crypto";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { base64url } from "jose";

/**
 * A software passkey authenticator: real key pairs (node:crypto: ES256, EdDSA
 * or RS256) and signatures, and real CBOR, producing exactly the JSON
 * @simplewebauthn/browser hands to the server. It is an authenticator, not a
 * mock of our code: the server verifies its output with @simplewebauthn/server
 * (auth) or lib/governance/verifier (ballots). The demo seed signs the demo's
 * closed vote with it (lib/demo/seed-demo-closed-vote.ts); tests and benches
 * use it through tests/support/soft-authenticator.ts. Not `server-only`: the
 * tests run it without the react-server condition.
 */
type CborValue = number | string | Uint8Array | CborValue[] | Map<number | string, CborValue>;

function cborHead(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

/** A tiny CBOR encoder: integers, byte and text strings, arrays and maps, enough for COSE keys and attestation objects. */
export function cbor(value: CborValue): Buffer {
  if (typeof value === "number") return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([cborHead(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([cborHead(2, value.length), Buffer.from(value)]);
  if (Array.isArray(value)) return Buffer.concat([cborHead(4, value.length), ...value.map(cbor)]);
  const parts: Buffer[] = [cborHead(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const sha256 = (data: Buffer | string) => crypto.createHash("sha256").update(data).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export type SoftKeyType = "ES256" | "EdDSA" | "RS256";

export type SoftCredential = {
  id: Buffer;
  keyType: SoftKeyType;
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
  rpId: string;
  userHandle?: string;
  signCount: number;
};

function generateKeyPair(keyType: SoftKeyType): { privateKey: crypto.KeyObject; publicKey: crypto.KeyObject } {
  if (keyType === "ES256") return crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  if (keyType === "EdDSA") return crypto.generateKeyPairSync("ed25519");
  return crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];
  /** Set false to act like an authenticator that skips user verification. */
  userVerified = true;

  /** `keyType` is the algorithm of the credentials this authenticator makes. */
  constructor(
    readonly origin: string,
    readonly keyType: SoftKeyType = "ES256",
  ) {}

  /** The credential's public key as a COSE_Key, the form registration stores. */
  coseKey(credential: Pick<SoftCredential, "keyType" | "publicKey">): Buffer {
    const jwk = credential.publicKey.export({ format: "jwk" });
    const b = (s: string | undefined) => Buffer.from(s ?? "", "base64url");
    // kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y.
    if (credential.keyType === "ES256")
      return cbor(
        new Map<number, CborValue>([
          [1, 2],
          [3, -7],
          [-1, 1],
          [-2, b(jwk.x)],
          [-3, b(jwk.y)],
        ]),
      );
    // kty OKP (1), alg EdDSA (-8), crv Ed25519 (6), x.
    if (credential.keyType === "EdDSA")
      return cbor(
        new Map<number, CborValue>([
          [1, 1],
          [3, -8],
          [-1, 6],
          [-2, b(jwk.x)],
        ]),
      );
    // kty RSA (3), alg RS256 (-257), n, e.
    return cbor(
      new Map<number, CborValue>([
        [1, 3],
        [3, -257],
        [-1, b(jwk.n)],
        [-2, b(jwk.e)],
      ]),
    );
  }

  /**
   * A discoverable credential made without a registration ceremony, for tests
   * and benches that store the passkey row (credential id + coseKey) themselves.
   */
  createCredential(rpId: string, userHandle?: string): SoftCredential {
    const credential: SoftCredential = {
      id: crypto.randomBytes(16),
      keyType: this.keyType,
      ...generateKeyPair(this.keyType),
      rpId,
      userHandle,
      signCount: 0,
    };
    this.credentials.push(credential);
    return credential;
  }

  private flags(extra = 0, userVerified = this.userVerified): number {
    return FLAG_UP | (userVerified ? FLAG_UV : 0) | extra;
  }

  private clientData(type: string, challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** navigator.credentials.create() with a discoverable credential and "none" attestation. */
  register(
    options: PublicKeyCredentialCreationOptionsJSON,
    opts: { origin?: string; reuse?: SoftCredential } = {},
  ): RegistrationResponseJSON {
    const rpId = options.rp.id;
    if (!rpId) throw new Error("the registration options name no relying party id");
    // `reuse` presents an existing credential again, like an authenticator that ignores excludeCredentials.
    const credential = opts.reuse ?? this.createCredential(rpId, options.user.id);
    const id = credential.id;
    const counter = Buffer.alloc(4);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([this.flags(FLAG_AT)]),
      counter,
      Buffer.alloc(16),
      idLength,
      id,
      this.coseKey(credential),
    ]);
    const attestationObject = cbor(
      new Map<string, CborValue>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]),
    );
    return {
      id: base64url.encode(id),
      rawId: base64url.encode(id),
      type: "public-key",
      response: {
        clientDataJSON: base64url.encode(this.clientData("webauthn.create", options.challenge, opts.origin)),
        attestationObject: base64url.encode(attestationObject),
        transports: ["internal"],
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  /**
   * navigator.credentials.get(): the named credential, else the first one for
   * the RP answers (allowCredentials is not consulted). The other options let a
   * test make a dishonest assertion: another origin or RP id hash, no user
   * verification, another client data type.
   */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    opts: { credential?: SoftCredential; origin?: string; rpId?: string; userVerified?: boolean; type?: string } = {},
  ): AuthenticationResponseJSON {
    const credential = opts.credential ?? this.credentials.find((c) => c.rpId === options.rpId);
    if (!credential) throw new Error("no credential for this relying party");
    credential.signCount += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(credential.signCount);
    const authenticatorData = Buffer.concat([
      sha256(opts.rpId ?? credential.rpId),
      Buffer.from([this.flags(0, opts.userVerified)]),
      counter,
    ]);
    const clientDataJSON = this.clientData(opts.type ?? "webauthn.get", options.challenge, opts.origin);
    const signed = Buffer.concat([authenticatorData, sha256(clientDataJSON)]);
    // Ed25519 hashes internally: node:crypto takes no digest name for it.
    const signature = crypto.sign(credential.keyType === "EdDSA" ? null : "sha256", signed, credential.privateKey);
    return {
      id: base64url.encode(credential.id),
      rawId: base64url.encode(credential.id),
      type: "public-key",
      response: {
        clientDataJSON: base64url.encode(clientDataJSON),
        authenticatorData: base64url.encode(authenticatorData),
        signature: base64url.encode(signature),
        ...(credential.userHandle === undefined ? {} : { userHandle: credential.userHandle }),
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }
}
