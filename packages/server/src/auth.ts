/**
 * Who may do what. `authenticate` turns a request into a {@link Principal} (or refuses it); `authorize`
 * decides whether that principal may act on a resource. By default a principal acts only on what it owns,
 * and what it may not see answers 404, so ids of other principals' threads leak nothing.
 */
import { bearerTokens } from "@autogen-ts/ext/http";

/** Who sent a request. `id` is what threads and runs record as their owner. */
export interface Principal {
  /** A stable id: never a secret (an API key principal is `api-key-1`, not the key). */
  readonly id: string;
  /** Whatever else the authenticate hook knows (roles, claims). */
  readonly [key: string]: unknown;
}

/** Resources the API acts on. */
export type ResourceKind = "team" | "thread" | "run";

/** What an action is done to: its kind, id and owner (undefined for a team, or a new thread). */
export interface Resource {
  readonly kind: ResourceKind;
  readonly id: string;
  readonly owner: string | undefined;
}

/** What a principal does. */
export type Action = "list" | "create" | "read" | "delete" | "run" | "stream" | "cancel" | "input";

/** Decides who sent the request: a principal, or undefined to refuse it (401). Reads headers only. */
export type AuthenticateHook = (request: Request) => Principal | undefined | Promise<Principal | undefined>;

/** Whether `principal` may do `action` to `resource`; false answers 404 for a thread or run, 403 else. */
export type AuthorizeHook = (
  principal: Principal,
  resource: Resource,
  action: Action,
) => boolean | Promise<boolean>;

/** The principal of a server without authentication (loopback only). */
export const ANONYMOUS: Principal = Object.freeze({ id: "anonymous" });

/** The default rule: every principal may list and run the teams, and act on what it owns. */
export const ownerOnly: AuthorizeHook = (principal, resource) =>
  resource.kind === "team" || resource.owner === undefined || resource.owner === principal.id;

/**
 * An authenticate hook for bearer API keys (the HTTP kit's `bearerTokens`, compared in constant time):
 * each key is its own principal, `api-key-<n>` by its position (1-based), so no key is ever stored with
 * a thread or printed.
 */
export function apiKeyAuthenticator(keys: readonly string[]): AuthenticateHook {
  const check = bearerTokens(keys);
  return async (request) => {
    const match = await check(request);
    return match === undefined || match instanceof Response
      ? undefined
      : { id: `api-key-${match.tokenIndex + 1}` };
  };
}
