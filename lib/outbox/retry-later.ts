import "server-only";
/**
 * Thrown by an effect's handler whose failure came with a time to try again (a receiver's Retry-After): the attempt
 * counts as failed, as any other, but the next one waits at least until `notBefore`, beyond the usual backoff.
 */
export class RetryLater extends Error {
  constructor(
    readonly notBefore: Date,
    reason: string,
  ) {
    super(reason);
    this.name = "RetryLater";
  }
}
