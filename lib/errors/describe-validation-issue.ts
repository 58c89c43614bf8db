import type { z } from "zod";

/**
 * A validation failure said the way a person fixes it: "Name can't be empty."
 * instead of zod's "name: Too small: expected string to have >=1 characters".
 * The field is named in words (camelCase and snake_case split; "Minor" and
 * "Bps" units dropped, since forms show money and percentages), and the
 * sentence says what the value must be. A message a schema wrote itself (a
 * refine's or a `.min(2, "…")`'s) is already for people and is kept, after
 * the field's name.
 */
export function describeValidationIssue(issue: z.core.$ZodIssue): string {
  const field = fieldWords(issue.path);
  const Field = field ? capitalize(field) : "The value";
  if (!isDefaultMessage(issue.message)) return field ? `${Field}: ${issue.message}` : issue.message;
  switch (issue.code) {
    case "too_small": {
      const n = Number(issue.minimum);
      if (issue.origin === "string")
        return n <= 1 ? `${Field} can't be empty.` : `${Field} needs at least ${n} characters.`;
      if (issue.origin === "array" || issue.origin === "set")
        return n <= 1 ? `Choose at least one ${field || "item"}.` : `Choose at least ${n} for ${field || "this"}.`;
      return `${Field} must be ${issue.inclusive ? "at least" : "more than"} ${n}.`;
    }
    case "too_big": {
      const n = Number(issue.maximum);
      if (issue.origin === "string") return `${Field} can have at most ${n} characters.`;
      if (issue.origin === "array" || issue.origin === "set") return `${Field} can list at most ${n}.`;
      return `${Field} must be ${issue.inclusive ? "at most" : "less than"} ${n}.`;
    }
    case "invalid_format":
      return `${Field} ${formatWords[issue.format] ?? "is not in the expected form"}.`;
    case "invalid_type":
      // zod leaves the input out of its issues; its own message says when nothing was sent.
      if (/received undefined$/.test(issue.message)) return `Fill in ${field || "every required field"}.`;
      if (issue.expected === "int") return `${Field} must be a whole number.`;
      if (issue.expected === "number") return `${Field} must be a number.`;
      return `${Field} is not in the expected form.`;
    case "invalid_value":
      return issue.values.length <= 6
        ? `${Field} must be one of: ${issue.values.map(String).join(", ")}.`
        : `${Field} is not one of the allowed choices.`;
    case "not_multiple_of":
      return `${Field} must be a multiple of ${String(issue.divisor)}.`;
    case "unrecognized_keys":
      return `Remove the field${issue.keys.length > 1 ? "s" : ""} this form does not take: ${issue.keys.join(", ")}.`;
    default:
      return `${Field} is not valid.`;
  }
}

const formatWords: Record<string, string> = {
  email: "must be an email address, like name@example.org",
  url: "must be a web address starting with https://",
  uuid: "must be an identifier copied from Guildhall",
  datetime: "must be a date and time",
  date: "must be a date",
  regex: "contains characters it cannot have",
  starts_with: "does not start the way it should",
  ends_with: "does not end the way it should",
};

/** zod's own English messages, as opposed to one a schema set. */
function isDefaultMessage(message: string): boolean {
  return /^(Too (small|big)|Invalid|Unrecognized key|Expected|Required|Number must|String must)/.test(message);
}

function fieldWords(path: readonly PropertyKey[]): string {
  const key = [...path].reverse().find((p) => typeof p === "string");
  if (typeof key !== "string") return "";
  return key
    .replace(/(Minor|Bps|Ms|Seconds)$/, "")
    .replace(/[_-]+/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .trim();
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
