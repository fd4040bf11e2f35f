import { describe, expect, it } from "vitest";
import {
  AutogenError,
  CancelledError,
  DeliveryError,
  errorMarker,
  ModelError,
  restoreErrorIdentity,
  ToolError,
  toCancelledError,
  ValidationError,
} from "../src/errors.js";

describe("errors", () => {
  it("carry a code, a cause and the subclass name", () => {
    const cause = new Error("boom");
    const error = new DeliveryError("handler_failed", "handler failed", { cause });
    expect(error.code).toBe("handler_failed");
    expect(error.cause).toBe(cause);
    expect(error.name).toBe("DeliveryError");
    expect(error).toBeInstanceOf(AutogenError);
  });

  it("isInstance survives a duplicate copy of the package", async () => {
    // A second, separately evaluated copy of this module: its classes are different objects, so
    // `instanceof` fails across the two, but the Symbol.for markers are shared.
    const second = "../src/errors.js?second-copy";
    const copy = (await import(/* @vite-ignore */ second)) as typeof import("../src/errors.js");
    expect(copy.ModelError).not.toBe(ModelError);
    const foreign = new copy.ModelError("provider_error", "x", { status: 500 });
    expect(foreign instanceof ModelError).toBe(false);
    expect(ModelError.isInstance(foreign)).toBe(true);
    expect(AutogenError.isInstance(foreign)).toBe(true);
    expect(ValidationError.isInstance(foreign)).toBe(false);
    expect(copy.ToolError.isInstance(new ToolError("t"))).toBe(true);
    expect(copy.ToolError.isInstance(new ModelError("timeout", "t"))).toBe(false);
    expect(AutogenError.isInstance(new Error("plain"))).toBe(false);
  });

  it("isInstance holds for subclasses and not for parents or siblings", () => {
    class UpstreamError extends ModelError {}
    class MarkedUpstreamError extends ModelError {
      static override readonly marker = errorMarker("MarkedUpstreamError");
    }
    const sub = new UpstreamError("provider_error", "upstream");
    expect(ModelError.isInstance(sub)).toBe(true);
    expect(AutogenError.isInstance(sub)).toBe(true);
    expect(UpstreamError.isInstance(sub)).toBe(true);
    expect(UpstreamError.isInstance(new ModelError("provider_error", "p"))).toBe(false);
    expect(UpstreamError.isInstance(new MarkedUpstreamError("provider_error", "m"))).toBe(false);
    expect(MarkedUpstreamError.isInstance(sub)).toBe(false);
    expect(ToolError.isInstance(sub)).toBe(false);
    // The name does not decide: a renamed ModelError is still one, and a look-alike is not.
    const renamed = new ModelError("timeout", "t");
    renamed.name = "SomethingElse";
    expect(ModelError.isInstance(renamed)).toBe(true);
    const lookAlike = Object.assign(new AutogenError("internal", "x"), { name: "ModelError" });
    expect(ModelError.isInstance(lookAlike)).toBe(false);
  });

  it("restoreErrorIdentity gives a rebuilt error its class's identity", () => {
    const rebuilt = restoreErrorIdentity(new AutogenError("invalid_config", "bad"), "ValidationError");
    expect(rebuilt.name).toBe("ValidationError");
    expect(ValidationError.isInstance(rebuilt)).toBe(true);
    expect(ModelError.isInstance(rebuilt)).toBe(false);
    // A plain Error keeps only its name: it was not an autogen-ts error.
    const plain = restoreErrorIdentity(new Error("x"), "ToolError");
    expect(plain.name).toBe("ToolError");
    expect(ToolError.isInstance(plain)).toBe(false);
  });

  it("maps abort reasons to cancelled or timeout", () => {
    const timeout = toCancelledError(new DOMException("t", "TimeoutError"));
    expect(timeout.code).toBe("timeout");
    expect(CancelledError.isInstance(timeout)).toBe(true);
    expect(toCancelledError("whatever").code).toBe("cancelled");
  });
});
