import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";

/**
 * The fields every PublicKeyCredential JSON has, from startRegistration() and
 * startAuthentication() alike; each ceremony adds its own `response` shape.
 */
export function passkeyResponseSchema<R extends z.ZodType>(response: R) {
  return z.object({
    id: z.string().min(1).max(1024),
    rawId: z.string().min(1).max(1024),
    type: z.literal("public-key"),
    response,
    clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
    authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  });
}

/** Parses what @simplewebauthn/browser returned, sent as a JSON string: not JSON is BAD_REQUEST, a wrong shape the ZodError. */
export function parsePasskeyResponse<S extends z.ZodType>(json: string, schema: S): z.output<S> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new AppError("BAD_REQUEST", { userMessage: "The passkey response is not valid JSON." });
  }
  return schema.parse(parsed);
}
