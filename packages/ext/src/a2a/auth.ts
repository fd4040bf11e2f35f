/**
 * Authentication for the A2A endpoint: API keys in a header and bearer tokens (fixed ones, or a verify
 * function for OAuth access tokens). The card declares the schemes; the guard enforces them.
 */
import type { User } from "@a2a-js/sdk/server";
import { ValidationError } from "@autogen-ts/core";
import { type Authenticate, constantTimeEqual } from "../http/index.js";

/** Who sent a request, as the A2A server knows it. */
export interface A2APrincipal {
  /** A name for logs and task ownership (never a secret). */
  readonly name: string;
  /** The scheme that admitted it. */
  readonly scheme: "apiKey" | "bearer";
}

/** How the A2A endpoint authenticates its clients (declared in the agent card). */
export interface A2AAuthOptions {
  /** API keys accepted in the `apiKeyHeader` header. */
  readonly apiKeys?: readonly string[];
  /** The API key header (default `X-API-Key`). */
  readonly apiKeyHeader?: string;
  /** Bearer tokens accepted as they are. */
  readonly bearerTokens?: readonly string[];
  /** Checks any other bearer token (an OAuth access token, say): a principal, or `undefined` to refuse. */
  readonly verifyBearer?: (token: string) => A2APrincipal | undefined | Promise<A2APrincipal | undefined>;
}

/** The SDK's `User` for an authenticated principal. */
export class A2AUser implements User {
  constructor(readonly principal: A2APrincipal) {}
  get isAuthenticated(): boolean {
    return true;
  }
  get userName(): string {
    return this.principal.name;
  }
}

/** The authenticate hook and what the card declares, or `undefined` for no authentication. */
export function a2aAuth(
  options: A2AAuthOptions | undefined,
): { authenticate: Authenticate<A2APrincipal>; apiKeyHeader?: string; bearer: boolean } | undefined {
  if (!options) return undefined;
  const apiKeys = options.apiKeys ?? [];
  const tokens = options.bearerTokens ?? [];
  if ([...apiKeys, ...tokens].some((k) => k.length === 0))
    throw new ValidationError("serveA2A: an empty key or token");
  const bearer = tokens.length > 0 || options.verifyBearer !== undefined;
  if (apiKeys.length === 0 && !bearer) {
    throw new ValidationError("serveA2A: 'auth' needs 'apiKeys', 'bearerTokens' or 'verifyBearer'");
  }
  const header = (options.apiKeyHeader ?? "X-API-Key").toLowerCase();
  const authenticate: Authenticate<A2APrincipal> = async (request) => {
    const key = request.headers.get(header);
    if (key) {
      const index = apiKeys.findIndex((k) => constantTimeEqual(k, key));
      if (index >= 0) return { name: `api-key-${index}`, scheme: "apiKey" };
    }
    const match = /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization")?.trim() ?? "");
    const token = match?.[1];
    if (token) {
      const index = tokens.findIndex((t) => constantTimeEqual(t, token));
      if (index >= 0) return { name: `bearer-token-${index}`, scheme: "bearer" };
      return options.verifyBearer?.(token);
    }
    return undefined;
  };
  return {
    authenticate,
    ...(apiKeys.length > 0 ? { apiKeyHeader: options.apiKeyHeader ?? "X-API-Key" } : {}),
    bearer,
  };
}
