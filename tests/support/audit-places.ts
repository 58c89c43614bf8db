/**
 * SQL naming the audit event at place `seq` of the chain (its AuditPlacement row), for tests that tamper with
 * the stored history behind the tables' triggers, as only a table owner could.
 */
export const eventAtSeq = (seq: bigint | number | string) =>
  `(SELECT "eventId" FROM "AuditPlacement" WHERE "seq" = ${seq})`;
