import "server-only";
import { z } from "zod";

/** A person's display name: what other members see next to their votes and roles. */
export const displayNameSchema = z
  .string()
  .trim()
  .min(1, "Enter your name.")
  .max(100, "Keep the name under 100 characters.");

/** A passkey's label, chosen by its owner to tell their passkeys apart. */
export const passkeyNameSchema = z
  .string()
  .trim()
  .min(1, "Give the passkey a name.")
  .max(60, "Keep the name under 60 characters.");
