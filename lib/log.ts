import pino from "pino";

/**
 * Structured JSON logs. Anything that looks like a secret is redacted by key,
 * so a careless `log.info({ body })` cannot leak a token, code or key.
 */
const secretKeys = [
  "password",
  "secret",
  "token",
  "code",
  "authorization",
  "cookie",
  "privateKey",
  "private_key",
  "client_secret",
  "refresh_token",
  "access_token",
  "id_token",
  "assertion",
  "sessionToken",
  "codeHash",
  "tokenHash",
];

export const log = pino(
  {
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
    base: { service: "guildhall" },
    redact: {
      paths: [
        ...secretKeys,
        ...secretKeys.map((k) => `*.${k}`),
        ...secretKeys.map((k) => `*.*.${k}`),
        'headers["authorization"]',
        'headers["cookie"]',
      ],
      censor: "[redacted]",
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  },
  process.env.LOG_DESTINATION === "stderr" ? pino.destination(2) : undefined,
);
