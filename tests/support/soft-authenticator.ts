/** The software passkey authenticator lives beside the demo seed, which signs the demo's ballots with it. */
export * from "../../lib/demo/software-authenticator";
