// Imported first by cli/main.ts, before anything that loads lib/log.ts, so the
// CLI's logs go to stderr and its stdout carries only the command's output
// (which scripts parse, e.g. with --json).
process.env.LOG_DESTINATION = "stderr";
