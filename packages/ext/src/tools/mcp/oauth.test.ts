import { describe, expect, it } from "vitest";
import { InMemoryOAuthStore, McpOAuth } from "./oauth.js";

const base = { redirectUrl: "http://localhost:3000/callback", authorize: async () => "code-1" };

describe("McpOAuth", () => {
  it("keeps credentials in its store, so another process (a new provider on the same store) reuses them", async () => {
    const store = new InMemoryOAuthStore();
    const first = new McpOAuth({ ...base, store });
    expect(await first.tokens()).toBeUndefined();
    await first.saveClientInformation({ client_id: "c-1" });
    await first.saveTokens({ access_token: "a-1", token_type: "Bearer", refresh_token: "r-1" });
    const second = new McpOAuth({ ...base, store });
    expect(await second.tokens()).toMatchObject({ access_token: "a-1", refresh_token: "r-1" });
    expect(await second.clientInformation()).toEqual({ client_id: "c-1" });
    await second.invalidateCredentials("tokens");
    expect(await first.tokens()).toBeUndefined();
    expect(await first.clientInformation()).toEqual({ client_id: "c-1" });
    await second.invalidateCredentials("all");
    expect(await first.clientInformation()).toBeUndefined();
  });

  it("offers a pre-registered client, dynamic-registration metadata, and the authorization answer once", async () => {
    const oauth = new McpOAuth({ ...base, clientId: "pre", clientSecret: "s", clientName: "bench" });
    expect(await oauth.clientInformation()).toEqual({ client_id: "pre", client_secret: "s" });
    expect(oauth.clientMetadata).toMatchObject({
      client_name: "bench",
      redirect_uris: ["http://localhost:3000/callback"],
      grant_types: ["authorization_code", "refresh_token"],
    });
    expect(oauth.takeAuthorization()).toBeUndefined();
    oauth.redirectToAuthorization(new URL("https://as.example/authorize?x=1"));
    await expect(oauth.takeAuthorization()).resolves.toBe("code-1");
    expect(oauth.takeAuthorization()).toBeUndefined();
    expect(() => oauth.codeVerifier()).toThrow(/no authorization in progress/);
    oauth.saveCodeVerifier("v");
    expect(oauth.codeVerifier()).toBe("v");
  });

  it("refuses a relative redirect URL", () => {
    expect(() => new McpOAuth({ ...base, redirectUrl: "/callback" })).toThrow(/absolute URL/);
  });
});
