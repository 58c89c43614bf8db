import type { CliCommand } from "../command";
import { dbBackup, dbMigrate, dbRestore } from "./db";
import { auditExport, auditVerify } from "./audit";
import { usersCreate, usersDisable, usersList } from "./users";
import { rolesGrant, rolesRevoke } from "./roles";
import { mailLast } from "./mail";
import { dbSeed } from "./seed";
import { clientsCreate, clientsRegistrationToken, oidcPurge } from "./clients";
import { keysRotate } from "./keys";
import {
  ledgerCheck,
  payoutsBatchCreate,
  payoutsPayeeConnect,
  payoutsReconcile,
  payoutsRunTransfers,
  paymentsReconcileOrders,
  paymentsRenewSimulated,
} from "./payments";
import { licensingCommands } from "./licensing";
import { governanceCommands } from "./governance";
import { federationCommands } from "./federation";
import { appStoreCommands } from "./app-stores";
import { logCommands } from "./log";
import { portabilityCommands } from "./portability";

/** Every CLI verb. A domain adds its commands in a file of its own and lists them here. */
export const commands: CliCommand[] = [
  dbMigrate,
  dbBackup,
  dbRestore,
  dbSeed,
  auditExport,
  auditVerify,
  usersCreate,
  usersList,
  usersDisable,
  rolesGrant,
  rolesRevoke,
  mailLast,
  clientsCreate,
  clientsRegistrationToken,
  oidcPurge,
  keysRotate,
  ledgerCheck,
  payoutsRunTransfers,
  paymentsReconcileOrders,
  paymentsRenewSimulated,
  payoutsBatchCreate,
  payoutsReconcile,
  payoutsPayeeConnect,
  ...licensingCommands,
  ...governanceCommands,
  ...federationCommands,
  ...appStoreCommands,
  ...logCommands,
  ...portabilityCommands,
];
