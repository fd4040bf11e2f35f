import { describe, expect, it } from "vitest";
import { book, main } from "./app.js";

describe("a project on valibot", () => {
  it("defines a tool with a valibot schema and runs an agent with it", async () => {
    expect(book.schema.parameters).toMatchObject({
      type: "object",
      required: ["room", "guests"],
      properties: { room: { type: "string", minLength: 1 }, guests: { type: "integer", maximum: 12 } },
    });
    const [good, bad] = await main();
    expect(good).toBe("Booked Fjord for 4.");
    // valibot's own message, under the field's name.
    expect(bad).toBe("Error: Invalid arguments: guests: Invalid value: Expected <=12 but received 40");
  });
});
