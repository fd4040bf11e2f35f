/**
 * Authentication for the MCP endpoint: static bearer tokens, and the MCP authorization spec's OAuth
 * resource-server side through the SDK's helpers (token verification with audience and scopes, the
 * RFC 9728 protected resource metadata, `WWW-Authenticate` challenges pointing at it).
 */
import { ValidationError } from "@autogen-ts/core";
import {
  type AuthInfo,
  type AuthMetadataOptions,
  bearerAuthChallengeResponse,
  buildOAuthProtectedResourceMetadata,
  getOAuthProtectedResourceMetadataUrl,
  OAuthError,
  OAuthErrorCode,
  type OAuthTokenVerifier,
  verifyBearerToken,
} from "@modelcontextprotocol/server";
import { type Authenticate, constantTimeEqual } from "../../http/index.js";

/** How the MCP endpoint authenticates its clients. */
export interface McpAuthOptions {
  /** Bearer tokens accepted as they are (compared in constant time; never logged). */
  readonly tokens?: readonly string[];
  /** An OAuth access-token verifier (introspection or JWT validation) for tokens from your authorization server. */
  readonly verifier?: OAuthTokenVerifier;
  /** Scopes every token must carry (else 403 `insufficient_scope`). */
  readonly requiredScopes?: readonly string[];
  /**
   * The OAuth discovery documents to serve (the protected resource metadata at
   * `/.well-known/oauth-protected-resource<path>`, the authorization server's metadata), named in 401
   * challenges so clients find the authorization server. Its `resourceServerUrl` is also the audience
   * tokens must be issued for.
   */
  readonly oauth?: AuthMetadataOptions;
}

/** The pieces the MCP app needs: the authenticate hook and, with `oauth`, the metadata documents. */
export interface McpAuth {
  readonly authenticate: Authenticate<AuthInfo>;
  readonly resourceMetadataUrl: string | undefined;
  readonly metadataPath: string | undefined;
  readonly metadata: unknown;
  readonly authorizationServerMetadata: unknown;
}

const FAR_FUTURE_SECONDS = 4_102_444_800; // 2100-01-01: static tokens do not expire.

/** Builds the authentication of the MCP endpoint, or `undefined` for none. */
export function mcpAuth(options: McpAuthOptions | undefined): McpAuth | undefined {
  if (!options) return undefined;
  const tokens = options.tokens ?? [];
  if (tokens.some((t) => t.length === 0)) throw new ValidationError("serveMcp: an empty auth token");
  if (tokens.length === 0 && !options.verifier) {
    throw new ValidationError("serveMcp: 'auth' needs 'tokens' or a 'verifier'");
  }
  const verifier: OAuthTokenVerifier = {
    verifyAccessToken: async (token) => {
      const index = tokens.findIndex((t) => constantTimeEqual(t, token));
      if (index >= 0) {
        // The token itself stays out of the principal: handlers and logs never see it.
        return {
          token: "",
          clientId: `static-token-${index}`,
          scopes: [...(options.requiredScopes ?? [])],
          expiresAt: FAR_FUTURE_SECONDS,
        };
      }
      if (options.verifier) return options.verifier.verifyAccessToken(token);
      throw new OAuthError(OAuthErrorCode.InvalidToken, "Invalid token");
    },
  };
  let resourceMetadataUrl: string | undefined;
  let metadataPath: string | undefined;
  let metadata: unknown;
  if (options.oauth) {
    metadata = buildOAuthProtectedResourceMetadata(options.oauth);
    resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(options.oauth.resourceServerUrl);
    metadataPath = new URL(resourceMetadataUrl).pathname;
  }
  const requiredScopes = options.requiredScopes ? [...options.requiredScopes] : undefined;
  const authenticate: Authenticate<AuthInfo> = async (request) => {
    try {
      return await verifyBearerToken(request.headers.get("authorization"), {
        verifier,
        ...(requiredScopes ? { requiredScopes } : {}),
        ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}),
        ...(options.oauth && options.verifier && tokens.length === 0
          ? { expectedResource: options.oauth.resourceServerUrl }
          : {}),
      });
    } catch (error) {
      return bearerAuthChallengeResponse(error, {
        ...(requiredScopes ? { requiredScopes } : {}),
        ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}),
      });
    }
  };
  return {
    authenticate,
    resourceMetadataUrl,
    metadataPath,
    metadata,
    authorizationServerMetadata: options.oauth?.oauthMetadata,
  };
}
