import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { convert, main } from "./app.js";

describe("a project on zod 3", () => {
  it("uses its own zod 3, not a copy from autogen-ts", () => {
    const version = (createRequire(import.meta.url)("zod/package.json") as { version: string }).version;
    expect(version.startsWith("3.")).toBe(true);
    expect("_zod" in z.object({})).toBe(false); // a zod 3 schema, not zod 4
  });

  it("defines a tool with a zod 3 schema and runs an agent with it", async () => {
    expect(convert.schema.parameters).toMatchObject({
      type: "object",
      required: ["amount", "from", "to"],
      properties: { from: { enum: ["EUR", "USD", "NOK"] } },
    });
    const [good, bad] = await main();
    expect(good).toBe("100 EUR = 1160.00 NOK");
    // zod 3's own messages, under the fields' names.
    expect(bad).toMatch(
      /^Error: Invalid arguments: amount: Number must be greater than 0; to: Invalid enum value/,
    );
  });
});
