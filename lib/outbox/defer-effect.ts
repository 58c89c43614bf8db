import "server-only";
/**
 * Thrown by an effect's handler that cannot act yet for a reason that time will fix (a provider's balance
 * that becomes available in a day or two): the runner puts the job back for `until` without counting it as
 * a failed attempt, so a wait of days does not make the job dead as eight failures in a row would.
 */
export class DeferEffect extends Error {
  constructor(
    readonly until: Date,
    reason: string,
  ) {
    super(reason);
    this.name = "DeferEffect";
  }
}
