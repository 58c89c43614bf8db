import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeValidationIssue } from "@/lib/errors/describe-validation-issue";

function messages(schema: z.ZodType, input: unknown): string[] {
  const r = schema.safeParse(input);
  if (r.success) throw new Error("expected a failure");
  return r.error.issues.map(describeValidationIssue);
}

describe("validation errors in words", () => {
  it("names the field in words and says what to do, never zod's own text", () => {
    const schema = z.object({
      name: z.string().min(1),
      email: z.email(),
      theaterBps: z.number().int().max(10000),
      orgFixedMinor: z.number().int().min(0),
      kind: z.enum(["THEATER", "HOST"]),
      redirectUris: z.array(z.url()).min(1),
    });
    expect(
      messages(schema, { name: "", email: "bob", theaterBps: 1.5, orgFixedMinor: -1, kind: "X", redirectUris: [] }),
    ).toEqual([
      "Name can't be empty.",
      "Email must be an email address, like name@example.org.",
      "Theater must be a whole number.",
      "Org fixed must be at least 0.",
      "Kind must be one of: THEATER, HOST.",
      "Choose at least one redirect uris.",
    ]);
    expect(messages(schema, {})[0]).toBe("Fill in name.");
  });

  it("keeps a message the schema wrote for people", () => {
    expect(messages(z.object({ reason: z.string().min(3, "Say why, in a few words.") }), { reason: "" })).toEqual([
      "Reason: Say why, in a few words.",
    ]);
  });
});
