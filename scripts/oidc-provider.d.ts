// The few parts of oidc-provider 9 (which ships no types) the benchmark peer uses.
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    Client: { find(id: string): Promise<unknown> };
    Grant: new (init: {
      accountId: string;
      clientId: string;
    }) => { addOIDCScope(scope: string): void; save(): Promise<string> };
    AccessToken: new (
      init: Record<string, unknown>,
    ) => { save(): Promise<string> };
  }
}
