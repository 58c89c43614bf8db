import "server-only";
/**
 * The closed list of reasons the transparency domain gives in `error.reason` (AppError's `reason`).
 * API clients may branch on them; the OpenAPI document publishes them (app/api/api-registry.ts), and
 * tests/unit/foundation/failure-reasons.test.ts fails when code under lib/transparency/ gives one not listed here.
 */
export const transparencyFailureReasons = {
  BAD_THING_ID: "That is not the id of a thing of this kind.",
  NOT_LOGGED: "The log records no such thing.",
  NO_SUCH_CHECKPOINT: "No signed checkpoint of that tree size.",
  NOT_INTEGRATED: "The entry is not in the tree of that size (not integrated yet?).",
  BAD_TREE_SIZE: "A consistency proof needs 1 <= old size <= new size.",
  NO_REASON: "Give a reason of 3 to 500 characters.",
  NO_SUCH_HOST: "No such host organization.",
  WITNESS_KEY_TAKEN: "That witness key is another host's witness.",
  BAD_WITNESS: "The witness key or URL is not valid.",
  NO_SUCH_WITNESS: "That host has no witness.",
} as const;

declare module "@/lib/errors/app-error" {
  interface FailureReasonLists {
    transparency: typeof transparencyFailureReasons;
  }
}
