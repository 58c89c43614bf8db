/** What applying a passed proposal's outcome did: a change applied, or none (with the note saying why). */
export type OutcomeEffect = { effectStatus: "applied" | "none"; effectNote: string };
