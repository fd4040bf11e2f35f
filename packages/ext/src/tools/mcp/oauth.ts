/**
 * OAuth for `McpWorkbench` (the MCP authorization spec's client side), on the MCP SDK's own flow: the
 * SDK discovers the protected resource and its authorization server, registers the client (dynamic
 * registration, a client ID metadata document, or pre-registered credentials), builds the PKCE
 * authorization request, exchanges and refreshes tokens and steps scopes up. What an application must
 * supply is the one step the SDK cannot take: sending a person to the authorization page and bringing
 * back the redirect (`authorize`), and somewhere to keep credentials between processes (`store`).
 *
 * For machine-to-machine servers pass one of the SDK's own providers as `auth` instead
 * (`ClientCredentialsProvider`, `PrivateKeyJwtProvider`, `CrossAppAccessProvider`).
 */

import { ValidationError } from "@autogen-ts/core";
import type {
  OAuthClientMetadata,
  OAuthClientProvider,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from "@modelcontextprotocol/client";

/** What an {@link OAuthStore} keeps for one server: the client's registration and its tokens. */
export interface OAuthCredentials {
  readonly clientInformation?: StoredOAuthClientInformation;
  readonly tokens?: StoredOAuthTokens;
}

/**
 * Where OAuth credentials live between processes (a file, a keychain, a database row); the default keeps
 * them in memory. Values hold secrets (tokens, a client secret): store them as you would a password.
 */
export interface OAuthStore {
  get(key: string): OAuthCredentials | undefined | Promise<OAuthCredentials | undefined>;
  set(key: string, credentials: OAuthCredentials): void | Promise<void>;
  delete(key: string): void | Promise<void>;
}

/** An {@link OAuthStore} in memory: credentials last as long as the process. */
export class InMemoryOAuthStore implements OAuthStore {
  readonly #entries = new Map<string, OAuthCredentials>();
  get(key: string): OAuthCredentials | undefined {
    return this.#entries.get(key);
  }
  set(key: string, credentials: OAuthCredentials): void {
    this.#entries.set(key, credentials);
  }
  delete(key: string): void {
    this.#entries.delete(key);
  }
}

/** Options of {@link McpOAuth}. */
export interface McpOAuthOptions {
  /** Where the authorization server sends the browser back with the code (registered with the client). */
  readonly redirectUrl: string;
  /**
   * Sends the user to `authorizationUrl` and resolves with what came back to `redirectUrl`: the code, or
   * the redirect's query parameters (then `iss` is checked against the authorization server too).
   */
  readonly authorize: (authorizationUrl: URL) => Promise<string | URLSearchParams>;
  /** The client's name at dynamic registration (default `autogen-ts`). */
  readonly clientName?: string;
  /** More client metadata for dynamic registration (it wins over the defaults). */
  readonly clientMetadata?: Partial<OAuthClientMetadata>;
  /** An HTTPS URL of a client ID metadata document, used as the client id where the server supports it. */
  readonly clientMetadataUrl?: string;
  /** A pre-registered client (no dynamic registration). */
  readonly clientId?: string;
  /** The pre-registered client's secret, for confidential clients. */
  readonly clientSecret?: string;
  /** Where credentials are kept (default: in memory). */
  readonly store?: OAuthStore;
  /** The store's key for this server (default: the redirect URL and client name). */
  readonly storeKey?: string;
}

/**
 * An OAuth authorization-code client with PKCE for `McpWorkbench({ auth })`. When a server asks for
 * authorization, the workbench calls `authorize` with the authorization page, exchanges the code it
 * returns, and continues the request it was making; tokens are refreshed by the SDK, and a 403 for a
 * missing scope re-authorizes with the union of the scopes.
 */
export class McpOAuth implements OAuthClientProvider {
  readonly #options: McpOAuthOptions;
  readonly #store: OAuthStore;
  readonly #key: string;
  #codeVerifier: string | undefined;
  #pending: Promise<string | URLSearchParams> | undefined;

  constructor(options: McpOAuthOptions) {
    try {
      new URL(options.redirectUrl);
    } catch {
      throw new ValidationError("McpOAuth: 'redirectUrl' must be an absolute URL");
    }
    if (typeof options.authorize !== "function") {
      throw new ValidationError("McpOAuth: 'authorize' must be a function");
    }
    this.#options = options;
    this.#store = options.store ?? new InMemoryOAuthStore();
    this.#key = options.storeKey ?? `${options.redirectUrl} ${options.clientName ?? "autogen-ts"}`;
  }

  get redirectUrl(): string {
    return this.#options.redirectUrl;
  }

  get clientMetadataUrl(): string | undefined {
    return this.#options.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.#options.clientName ?? "autogen-ts",
      redirect_uris: [this.#options.redirectUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      ...this.#options.clientMetadata,
    } as OAuthClientMetadata;
  }

  async clientInformation(): Promise<StoredOAuthClientInformation | undefined> {
    const stored = (await this.#store.get(this.#key))?.clientInformation;
    if (stored) return stored;
    const { clientId, clientSecret } = this.#options;
    if (clientId === undefined) return undefined;
    return { client_id: clientId, ...(clientSecret !== undefined ? { client_secret: clientSecret } : {}) };
  }

  async saveClientInformation(clientInformation: StoredOAuthClientInformation): Promise<void> {
    await this.#update({ clientInformation });
  }

  async tokens(): Promise<StoredOAuthTokens | undefined> {
    return (await this.#store.get(this.#key))?.tokens;
  }

  async saveTokens(tokens: StoredOAuthTokens): Promise<void> {
    await this.#update({ tokens });
  }

  redirectToAuthorization(authorizationUrl: URL): void {
    const pending = Promise.resolve().then(() => this.#options.authorize(authorizationUrl));
    // Read by the workbench when the request fails for want of authorization; never unhandled.
    pending.catch(() => {});
    this.#pending = pending;
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.#codeVerifier = codeVerifier;
  }

  codeVerifier(): string {
    if (this.#codeVerifier === undefined) throw new ValidationError("McpOAuth: no authorization in progress");
    return this.#codeVerifier;
  }

  async invalidateCredentials(scope: "all" | "client" | "tokens" | "verifier" | "discovery"): Promise<void> {
    if (scope === "verifier" || scope === "all") this.#codeVerifier = undefined;
    if (scope === "all") return this.#store.delete(this.#key);
    if (scope === "tokens") return this.#update({ tokens: undefined });
    if (scope === "client") return this.#update({ clientInformation: undefined });
  }

  /**
   * The answer of the authorization started last, once (`undefined` when none is pending). The
   * workbench hands it to the transport's `finishAuth`.
   */
  takeAuthorization(): Promise<string | URLSearchParams> | undefined {
    const pending = this.#pending;
    this.#pending = undefined;
    return pending;
  }

  async #update(change: Partial<OAuthCredentials>): Promise<void> {
    const current = (await this.#store.get(this.#key)) ?? {};
    const next: Record<string, unknown> = { ...current, ...change };
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
    await this.#store.set(this.#key, next as OAuthCredentials);
  }
}
