/**
 * What the whole process knows about itself: whether it is shutting down
 * (readiness then says no, so a balancer stops sending it requests) and
 * whether its background work has started. On globalThis because
 * instrumentation and the route bundles may load separate copies of a module.
 */
type ProcessState = { draining: boolean; workersStarted: boolean };

const globalForState = globalThis as unknown as { guildhallProcessState?: ProcessState };

export const processState: ProcessState = (globalForState.guildhallProcessState ??= { draining: false, workersStarted: false });
