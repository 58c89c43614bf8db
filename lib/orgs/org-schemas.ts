import "server-only";
import { z } from "zod";

/** Slugs appear in URLs and certificates: lower-case letters, digits and single hyphens. */
export const orgSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, "The slug needs at least 3 characters.")
  .max(40, "The slug has at most 40 characters.")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lower-case letters, digits and single hyphens.");

export const orgNameSchema = z
  .string()
  .trim()
  .min(2, "The name needs at least 2 characters.")
  .max(100, "The name has at most 100 characters.");

export const orgKindSchema = z.enum(["THEATER", "HOST"]);
export const orgStatusSchema = z.enum(["ACTIVE", "PENDING", "SUSPENDED"]);
export const globalRoleSchema = z.enum(["ORG_ADMIN", "MEMBER", "COMMITTER", "FINANCE"]);
export const membershipRoleSchema = z.enum(["THEATER_ADMIN", "HOST_OPERATOR"]);
export const idSchema = z.string().trim().min(1).max(100);
