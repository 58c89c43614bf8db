/**
 * The one error type of the domain layer. `code` is a closed union so callers
 * can switch on it; `message` is for logs, `userMessage` is what a person sees.
 */
export const errorCodeToHttpStatus = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  GONE: 410,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  BAD_ORIGIN: 403,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type AppErrorCode = keyof typeof errorCodeToHttpStatus;

/**
 * The domains' closed lists of failure reasons, each added by its own
 * lib/<domain>/failure-reasons.ts (`declare module "@/lib/errors/app-error"`),
 * so an AppError's `reason` is one of them or does not compile.
 */
// biome-ignore lint/suspicious/noEmptyInterface: each domain's failure-reasons.ts adds its list (declaration merging)
export interface FailureReasonLists {}

/** Any reason of any domain's list. */
export type FailureReason = {
  [Domain in keyof FailureReasonLists]: keyof FailureReasonLists[Domain] & string;
}[keyof FailureReasonLists];

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly userMessage: string;
  readonly statusCode: number;
  /** A more specific, stable reason for API clients, e.g. "INVITATION_EXPIRED". */
  readonly reason?: FailureReason;

  constructor(code: AppErrorCode, opts: { message?: string; userMessage?: string; reason?: FailureReason } = {}) {
    super(opts.message ?? opts.userMessage ?? code);
    this.name = "AppError";
    this.code = code;
    this.userMessage = opts.userMessage ?? opts.message ?? code;
    this.statusCode = errorCodeToHttpStatus[code];
    this.reason = opts.reason;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
