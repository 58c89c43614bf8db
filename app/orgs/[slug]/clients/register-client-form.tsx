"use client";

import { startTransition, useActionState, useEffect, useRef } from "react";
import type { ActionResult } from "@/lib/oidc/http/action-result";
import { CopyButton } from "@/app/copy-button";

/**
 * The registration form; the secret is shown once, right after registering.
 * It is submitted by hand (not through the form's action prop, after which
 * React empties every field), so a refused registration keeps what was typed,
 * and the answer is scrolled into view and focused, since it sits above the
 * long form and the Register button below it.
 */
export function RegisterClientForm({
  action,
}: {
  action: (prev: ActionResult, form: FormData) => Promise<ActionResult>;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const result = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.error || state.clientId) {
      result.current?.scrollIntoView({ block: "center" });
      result.current?.focus();
    }
  }, [state]);
  return (
    <form
      className="card space-y-4"
      data-testid="register-client-form"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => formAction(data));
      }}
    >
      <h2 className="text-lg font-semibold">Register a client</h2>
      <div ref={result} tabIndex={-1} className="outline-none">
        <ResultBox state={state} />
      </div>
      <div>
        <label className="label" htmlFor="name">
          Name
        </label>
        <input className="input" id="name" name="name" required maxLength={100} />
      </div>
      <div>
        <label className="label" htmlFor="redirectUris">
          Redirect URIs (one per line, matched exactly)
        </label>
        <textarea className="input" id="redirectUris" name="redirectUris" rows={2} />
      </div>
      <div>
        <label className="label" htmlFor="postLogoutRedirectUris">
          Post-logout redirect URIs
        </label>
        <textarea className="input" id="postLogoutRedirectUris" name="postLogoutRedirectUris" rows={2} />
      </div>
      <div>
        <label className="label" htmlFor="backchannelLogoutUri">
          Back-channel logout URI
        </label>
        <input className="input" id="backchannelLogoutUri" name="backchannelLogoutUri" />
      </div>
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="label">Grant types</legend>
        <label>
          <input type="checkbox" name="grantTypes" value="authorization_code" defaultChecked /> authorization code
        </label>
        <label>
          <input type="checkbox" name="grantTypes" value="refresh_token" /> refresh token
        </label>
        <label>
          <input type="checkbox" name="grantTypes" value="client_credentials" /> client credentials
        </label>
      </fieldset>
      <div>
        <label className="label" htmlFor="scopes">
          Scopes
        </label>
        <input className="input" id="scopes" name="scopes" defaultValue="openid profile email" />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label className="label" htmlFor="tokenEndpointAuthMethod">
            Client authentication
          </label>
          <select
            className="input"
            id="tokenEndpointAuthMethod"
            name="tokenEndpointAuthMethod"
            defaultValue="client_secret_basic"
          >
            <option value="client_secret_basic">client_secret_basic</option>
            <option value="client_secret_post">client_secret_post</option>
            <option value="private_key_jwt">private_key_jwt</option>
            <option value="none">none (public client)</option>
          </select>
        </div>
        <div>
          <label className="label" htmlFor="applicationType">
            Application type
          </label>
          <select className="input" id="applicationType" name="applicationType" defaultValue="web">
            <option value="web">web</option>
            <option value="native">native</option>
          </select>
        </div>
        <div>
          <label className="label" htmlFor="subjectType">
            Subject identifiers
          </label>
          <select className="input" id="subjectType" name="subjectType" defaultValue="public">
            <option value="public">public</option>
            <option value="pairwise">pairwise</option>
          </select>
        </div>
        <div>
          <label className="label" htmlFor="sectorIdentifier">
            Pairwise sector (host name, optional)
          </label>
          <input className="input" id="sectorIdentifier" name="sectorIdentifier" />
        </div>
        <div>
          <label className="label" htmlFor="idTokenSignedResponseAlg">
            ID token algorithm
          </label>
          <select className="input" id="idTokenSignedResponseAlg" name="idTokenSignedResponseAlg" defaultValue="RS256">
            <option value="RS256">RS256</option>
            <option value="ES256">ES256</option>
          </select>
        </div>
        <div>
          <label className="label" htmlFor="jwksUri">
            JWKS URI (private_key_jwt)
          </label>
          <input className="input" id="jwksUri" name="jwksUri" />
        </div>
      </div>
      <div>
        <label className="label" htmlFor="jwks">
          JWKS (JSON, private_key_jwt, instead of a URI)
        </label>
        <textarea className="input font-mono" id="jwks" name="jwks" rows={2} />
      </div>
      <fieldset className="space-y-1 text-sm">
        <legend className="label">Protections (each refuses requests made without it)</legend>
        <label className="block">
          <input type="checkbox" name="requirePushedAuthorizationRequests" /> require pushed authorization requests
          (PAR, RFC 9126)
        </label>
        <label className="block">
          <input type="checkbox" name="requireSignedRequestObject" /> require signed request objects (RFC 9101; needs
          the JWKS or JWKS URI above)
        </label>
        <label className="block">
          <input type="checkbox" name="dpopBoundAccessTokens" /> DPoP-bound access tokens (RFC 9449; every token request
          carries a DPoP proof)
        </label>
      </fieldset>
      <button type="submit" className="btn" disabled={pending}>
        Register
      </button>
    </form>
  );
}

export function ResultBox({ state }: { state: ActionResult }) {
  return (
    <>
      {state.error && (
        <p className="rounded bg-red-50 p-2 text-sm text-red-800" role="alert">
          {state.error}
        </p>
      )}
      {state.ok && (
        <p className="rounded bg-green-50 p-2 text-sm text-green-800" role="status">
          {state.ok}
        </p>
      )}
      {state.clientId && (
        <dl className="rounded bg-stone-50 p-2 font-mono text-xs">
          <dt>client_id</dt>
          <dd data-testid="new-client-id">{state.clientId}</dd>
          {state.secret && (
            <>
              <dt className="mt-2">client_secret (shown once; store it now)</dt>
              <dd data-testid="new-client-secret" className="break-all">
                {state.secret}
              </dd>
              <dd className="mt-1 font-sans">
                <CopyButton value={state.secret} label="Copy the secret" />
              </dd>
            </>
          )}
        </dl>
      )}
    </>
  );
}

export function RotateSecretButton({
  action,
}: {
  action: (prev: ActionResult, form: FormData) => Promise<ActionResult>;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-2">
      <button type="submit" className="btn-secondary" disabled={pending}>
        New secret
      </button>
      <ResultBox state={state} />
    </form>
  );
}
