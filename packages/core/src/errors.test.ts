import { describe, expect, it } from "vitest";
import {
  AutogenError,
  CancelledError,
  DeliveryError,
  ModelError,
  toCancelledError,
  ValidationError,
} from "./errors.js";

describe("errors", () => {
  it("carry a code, a cause and the subclass name", () => {
    const cause = new Error("boom");
    const error = new DeliveryError("handler_failed", "handler failed", { cause });
    expect(error.code).toBe("handler_failed");
    expect(error.cause).toBe(cause);
    expect(error.name).toBe("DeliveryError");
    expect(error).toBeInstanceOf(AutogenError);
  });

  it("isInstance survives a duplicate copy of the package", () => {
    // A structurally identical error made by "another copy": same global symbol marker, different class.
    const foreign = Object.assign(new Error("x"), { name: "ValidationError", code: "invalid_argument" });
    Object.defineProperty(foreign, Symbol.for("autogen-ts.error"), { value: true });
    expect(AutogenError.isInstance(foreign)).toBe(true);
    expect(ValidationError.isInstance(foreign)).toBe(true);
    expect(ModelError.isInstance(foreign)).toBe(false);
    expect(AutogenError.isInstance(new Error("plain"))).toBe(false);
  });

  it("maps abort reasons to cancelled or timeout", () => {
    const timeout = toCancelledError(new DOMException("t", "TimeoutError"));
    expect(timeout.code).toBe("timeout");
    expect(CancelledError.isInstance(timeout)).toBe(true);
    expect(toCancelledError("whatever").code).toBe("cancelled");
  });
});
