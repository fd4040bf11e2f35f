/**
 * The agent card: the v1.0 card (`supportedInterfaces`, proto-JSON security schemes), and the v0.3 form a
 * v0.3 client reads (`url`, `preferredTransport`, OpenAPI-style security schemes) with the v1.0 fields
 * kept beside it, so either generation of client finds what it needs in one document.
 */
import type { AgentCard, AgentSkill, SecurityScheme } from "@a2a-js/sdk";

/** One skill listed on the agent card. */
export interface A2ASkill {
  /** A stable identifier. */
  readonly id: string;
  /** A short name. */
  readonly name: string;
  /** What the skill does. */
  readonly description: string;
  /** Keywords. */
  readonly tags?: readonly string[];
  /** Example requests. */
  readonly examples?: readonly string[];
}

/** The security the card declares: which schemes the server enforces. */
export interface CardSecurity {
  readonly apiKeyHeader?: string;
  readonly bearer?: boolean;
}

/** Builds the v1.0 card. */
export function makeCard(o: {
  name: string;
  description: string;
  endpoint: string;
  /** The REST (HTTP+JSON) binding's base URL, when it is served. */
  restEndpoint?: string;
  /** Whether clients may register push-notification webhooks. */
  pushNotifications?: boolean;
  version: string;
  skills: readonly A2ASkill[] | undefined;
  security: CardSecurity;
}): AgentCard {
  const skills: AgentSkill[] = (
    o.skills ?? [{ id: slug(o.name), name: o.name, description: o.description }]
  ).map((s) => ({
    id: s.id,
    name: s.name,
    description: s.description,
    tags: [...(s.tags ?? [])],
    examples: [...(s.examples ?? [])],
    inputModes: [],
    outputModes: [],
    securityRequirements: [],
  }));
  const securitySchemes: Record<string, SecurityScheme> = {};
  if (o.security.apiKeyHeader) {
    securitySchemes.apiKey = {
      scheme: {
        $case: "apiKeySecurityScheme",
        value: { description: "An API key in a header.", location: "header", name: o.security.apiKeyHeader },
      },
    };
  }
  if (o.security.bearer) {
    securitySchemes.bearer = {
      scheme: {
        $case: "httpAuthSecurityScheme",
        value: { description: "A bearer token.", scheme: "Bearer", bearerFormat: "" },
      },
    };
  }
  // Any one of the schemes will do: one requirement per scheme.
  const securityRequirements = Object.keys(securitySchemes).map((name) => ({
    schemes: { [name]: { list: [] } },
  }));
  return {
    name: o.name,
    description: o.description,
    supportedInterfaces: [
      { url: o.endpoint, protocolBinding: "JSONRPC", tenant: "", protocolVersion: "1.0" },
      { url: o.endpoint, protocolBinding: "JSONRPC", tenant: "", protocolVersion: "0.3" },
      ...(o.restEndpoint
        ? [
            { url: o.restEndpoint, protocolBinding: "HTTP+JSON", tenant: "", protocolVersion: "1.0" },
            { url: o.restEndpoint, protocolBinding: "HTTP+JSON", tenant: "", protocolVersion: "0.3" },
          ]
        : []),
    ],
    provider: undefined,
    version: o.version,
    capabilities: {
      streaming: true,
      pushNotifications: o.pushNotifications ?? false,
      extensions: [],
      extendedAgentCard: false,
    },
    securitySchemes,
    securityRequirements,
    defaultInputModes: ["text/plain", "application/json", "image/*"],
    defaultOutputModes: ["text/plain", "application/json"],
    skills,
    signatures: [],
  };
}

/**
 * The card as JSON for the wire: the v1.0 card as the SDK writes it, plus the v0.3 fields, security
 * schemes holding both shapes.
 */
export function cardJson(card: AgentCard, security: CardSecurity): Record<string, unknown> {
  const v1 = JSON.parse(JSON.stringify(card)) as Record<string, unknown>;
  const v1Schemes = (v1.securitySchemes ?? {}) as Record<string, Record<string, unknown>>;
  const schemes: Record<string, unknown> = {};
  if (security.apiKeyHeader) {
    schemes.apiKey = { ...v1Schemes.apiKey, type: "apiKey", in: "header", name: security.apiKeyHeader };
  }
  if (security.bearer) schemes.bearer = { ...v1Schemes.bearer, type: "http", scheme: "bearer" };
  const endpoint = card.supportedInterfaces[0]?.url ?? "";
  const rest = card.supportedInterfaces.find((i) => i.protocolBinding === "HTTP+JSON")?.url;
  return {
    ...v1,
    securitySchemes: schemes,
    // v0.3: the main interface, its transport and protocol, and one requirement per scheme.
    url: endpoint,
    preferredTransport: "JSONRPC",
    protocolVersion: "0.3.0",
    additionalInterfaces: [
      { url: endpoint, transport: "JSONRPC" },
      ...(rest ? [{ url: rest, transport: "HTTP+JSON" }] : []),
    ],
    security: Object.keys(schemes).map((name) => ({ [name]: [] })),
  };
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "agent"
  );
}
