import type { CliCommand } from "../command";
import { dbMigrate } from "./db";
import { auditExport, auditVerify } from "./audit";
import { clientsCreate } from "./clients";
import { keysRotate } from "./keys";
import { ledgerCheck, payoutsBatchCreate, payoutsPayeeConnect, payoutsReconcile, payoutsRunTransfers } from "./payments";
import { licensingCommands } from "./licensing";

/** Every CLI verb. A domain adds its commands in a file of its own and lists them here. */
export const commands: CliCommand[] = [dbMigrate, auditExport, auditVerify, clientsCreate, keysRotate, ledgerCheck, payoutsRunTransfers, payoutsBatchCreate, payoutsReconcile, payoutsPayeeConnect, ...licensingCommands];
