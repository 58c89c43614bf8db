import type { CliCommand } from "../command";
import { dbMigrate } from "./db";
import { auditExport, auditVerify } from "./audit";
import { usersCreate, usersList } from "./users";
import { rolesGrant, rolesRevoke } from "./roles";
import { mailLast } from "./mail";
import { dbSeed } from "./seed";
import { clientsCreate } from "./clients";
import { keysRotate } from "./keys";
import { governanceCommands } from "./governance";

/** Every CLI verb. A domain adds its commands in a file of its own and lists them here. */
export const commands: CliCommand[] = [dbMigrate, dbSeed, auditExport, auditVerify, usersCreate, usersList, rolesGrant, rolesRevoke, mailLast, clientsCreate, keysRotate, ...governanceCommands];
