import { CancelledError, ModelError, ValidationError } from "@autogen-ts/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenAIEmbeddingClient } from "../../../src/models/openai/index.js";
import { bagOfWords, EmbeddingsServer } from "../../support/embeddings-server.js";

let server: EmbeddingsServer;
beforeAll(async () => {
  server = await EmbeddingsServer.start();
});
afterAll(() => server.close());

function client(extra: Partial<ConstructorParameters<typeof OpenAIEmbeddingClient>[0]> = {}) {
  return new OpenAIEmbeddingClient({
    model: "text-embedding-3-small",
    apiKey: "sk-test-secret-key",
    baseURL: server.url,
    initialDelayMs: 1,
    ...extra,
  });
}

describe("OpenAIEmbeddingClient", () => {
  it("embeds texts in order through /embeddings, decoding the SDK's default base64 vectors", async () => {
    const before = server.requests.length;
    const vectors = await client().embed(["red apples", "green pears"]);
    const request = server.requests[before];
    expect(request?.path).toBe("/v1/embeddings");
    expect(request?.authorization).toBe("Bearer sk-test-secret-key");
    expect(request?.body).toMatchObject({
      model: "text-embedding-3-small",
      input: ["red apples", "green pears"],
      encoding_format: "base64",
    });
    // float32 on the wire: equal to the server's vectors within float32 precision.
    expect(vectors).toHaveLength(2);
    const rounded = (v: number[] | undefined) => v?.map((x) => Math.round(x * 1e6) / 1e6);
    expect(rounded(vectors[0])).toEqual(rounded(bagOfWords("red apples")));
    expect(rounded(vectors[1])).toEqual(rounded(bagOfWords("green pears")));
  });

  it("asks for float vectors and a shorter length when told to", async () => {
    const before = server.requests.length;
    const [vector] = await client({ encodingFormat: "float", dimensions: 8 }).embed(["one text"]);
    expect(server.requests[before]?.body).toMatchObject({ encoding_format: "float", dimensions: 8 });
    expect(vector).toEqual(bagOfWords("one text", 8));
  });

  it("splits a long list into batches and keeps the order", async () => {
    const texts = Array.from({ length: 7 }, (_, i) => `text number ${i}`);
    const before = server.requests.length;
    const vectors = await client({ batchSize: 3, encodingFormat: "float" }).embed(texts);
    expect(server.requests.slice(before).map((r) => [r.body.input].flat().length)).toEqual([3, 3, 1]);
    expect(vectors).toEqual(texts.map((t) => bagOfWords(t)));
  });

  it("retries a 503 and then answers", async () => {
    server.failNext(503, 2);
    const before = server.requests.length;
    const vectors = await client().embed(["after a hiccup"]);
    expect(server.requests.length - before).toBe(3);
    expect(vectors).toHaveLength(1);
  });

  it("fails with a ModelError naming the status and not the key; a short answer is model_output", async () => {
    server.failNext(401, 1, "Incorrect API key provided: sk-test-secret-key");
    const error = await client()
      .embed(["x"])
      .catch((e: unknown) => e);
    expect(ModelError.isInstance(error) && error.code).toBe("provider_error");
    expect((error as ModelError).status).toBe(401);
    expect((error as Error).message).not.toContain("sk-test-secret-key");
    server.dropOne = true;
    try {
      const short = await client()
        .embed(["a", "b"])
        .catch((e: unknown) => e);
      expect(ModelError.isInstance(short) && short.code).toBe("model_output");
      expect((short as Error).message).toContain("answered 1 embeddings for 2 inputs");
    } finally {
      server.dropOne = false;
    }
  });

  it("refuses bad options and bad input with ValidationError, and an aborted signal with CancelledError", async () => {
    expect(() => client({ dimensions: 0 })).toThrow(ValidationError);
    expect(() => client({ batchSize: 1.5 })).toThrow(/batchSize/);
    await expect(client().embed([1 as unknown as string])).rejects.toSatisfy(ValidationError.isInstance);
    const controller = new AbortController();
    controller.abort();
    await expect(client().embed(["x"], { signal: controller.signal })).rejects.toSatisfy(
      CancelledError.isInstance,
    );
  });
});
