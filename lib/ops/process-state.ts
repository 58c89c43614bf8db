import "server-only";
import { processSlot } from "@/lib/process-state";

/**
 * Where the process is in its life: shutting down (readiness then says no, so
 * a balancer stops sending it requests). One per process (lib/process-state.ts):
 * instrumentation and the route bundles may load separate copies of a module.
 */
type Lifecycle = { draining: boolean };

export const processState: Lifecycle = processSlot<Lifecycle>("lifecycle").getOrInit(() => ({ draining: false }));
