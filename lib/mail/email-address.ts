import "server-only";
import { z } from "zod";

/** Emails are compared and stored lower-cased and trimmed. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid email address." }).max(254));
