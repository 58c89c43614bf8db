import { z } from "zod";
import { SIGNATURE_TYPE, parseVerifierKey } from "@/lib/merkle/signed-note";

const loopback = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A host's witness, as declared: its cosigner key (a C2SP vkey of type 0x04,
 * Ed25519 cosignature) and its submission prefix (https; plain http only on
 * loopback, for witnesses run in tests and on a laptop), without query,
 * fragment or credentials. Checkpoints are POSTed to `<url>/add-checkpoint`.
 */
export const witnessDeclarationSchema = z.object({
  verifierKey: z
    .string()
    .trim()
    .max(500)
    .refine((v) => {
      try {
        return parseVerifierKey(v).type === SIGNATURE_TYPE.cosignatureV1;
      } catch {
        return false;
      }
    }, "a C2SP verifier key of an Ed25519 cosigner (name+keyid+base64 of 0x04 and the key)"),
  url: z
    .string()
    .trim()
    .max(500)
    .refine((v) => {
      try {
        const url = new URL(v);
        if (url.search || url.hash || url.username || url.password) return false;
        return url.protocol === "https:" || (url.protocol === "http:" && loopback.has(url.hostname));
      } catch {
        return false;
      }
    }, "an https URL (plain http on loopback only), without query, fragment or credentials")
    .transform((v) => v.replace(/\/+$/, "")),
});

export type WitnessDeclaration = z.infer<typeof witnessDeclarationSchema>;
