import type { CliCommand } from "../command";
import { dbMigrate } from "./db";
import { auditExport, auditVerify } from "./audit";
import { governanceCommands } from "./governance";

/** Every CLI verb. A domain adds its commands in a file of its own and lists them here. */
export const commands: CliCommand[] = [dbMigrate, auditExport, auditVerify, ...governanceCommands];
