/**
 * Random (version 4) UUIDs in every runtime core supports. `crypto.randomUUID` exists only in secure
 * contexts in browsers: a page served over plain http from a LAN address has `crypto.getRandomValues`
 * but no `randomUUID`, and importing agentchat there must not fail.
 */
import { ValidationError } from "./errors.js";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * A random version 4 UUID (RFC 9562), as `crypto.randomUUID()` returns: that function when the runtime
 * has it, otherwise one built from `crypto.getRandomValues`.
 *
 * @throws {ValidationError} `invalid_state` when the runtime has no Web Crypto at all.
 */
export function randomUuid(): string {
  const webCrypto = (globalThis as { crypto?: Partial<Crypto> }).crypto;
  if (typeof webCrypto?.randomUUID === "function") return webCrypto.randomUUID();
  if (typeof webCrypto?.getRandomValues !== "function") {
    throw new ValidationError("This runtime has no Web Crypto (crypto.getRandomValues): cannot make ids", {
      code: "invalid_state",
    });
  }
  return uuidFromBytes(webCrypto.getRandomValues(new Uint8Array(16)));
}

/** Formats 16 random bytes as a version 4, variant 10 UUID. */
function uuidFromBytes(bytes: Uint8Array): string {
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  let out = "";
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += "-";
    out += HEX[bytes[i]!];
  }
  return out;
}
