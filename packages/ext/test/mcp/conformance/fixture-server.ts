/**
 * The MCP conformance suite's fixture server, built on serveMcp: the suite's tools as FunctionTools (they
 * reach the MCP request through currentMcpRequest), its prompts and resources as entries, and one
 * AssistantAgent on a replay model beside them, so the agent tool is exercised by the same run. Prints
 * its URL on stdout and serves until killed. `PORT` picks the port.
 */
import { AssistantAgent } from "@autogen-ts/agentchat";
import { FunctionTool } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { currentMcpRequest, serveMcp } from "@autogen-ts/ext/mcp/server";

const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
const WAV = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";
const NO_ARGS = { type: "object", properties: {} } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function request() {
  const scope = currentMcpRequest();
  if (!scope) throw new Error("not called over MCP");
  return scope;
}

function tool(
  name: string,
  description: string,
  run: (args: Record<string, unknown>) => unknown,
  parameters: Record<string, unknown> = NO_ARGS,
): FunctionTool {
  return new FunctionTool({
    name,
    description,
    parameters,
    run: (args: Record<string, unknown>) => run(args),
  });
}

const elicitationEnums = {
  untitledSingle: {
    type: "string",
    description: "Select one option",
    enum: ["option1", "option2", "option3"],
  },
  titledSingle: {
    type: "string",
    description: "Select one option with titles",
    oneOf: [
      { const: "value1", title: "First Option" },
      { const: "value2", title: "Second Option" },
      { const: "value3", title: "Third Option" },
    ],
  },
  legacyEnum: {
    type: "string",
    description: "Select one option (legacy)",
    enum: ["opt1", "opt2", "opt3"],
    enumNames: ["Option One", "Option Two", "Option Three"],
  },
  untitledMulti: {
    type: "array",
    description: "Select multiple options",
    minItems: 1,
    maxItems: 3,
    items: { type: "string", enum: ["option1", "option2", "option3"] },
  },
  titledMulti: {
    type: "array",
    description: "Select multiple options with titles",
    minItems: 1,
    maxItems: 3,
    items: {
      anyOf: [
        { const: "value1", title: "First Choice" },
        { const: "value2", title: "Second Choice" },
        { const: "value3", title: "Third Choice" },
      ],
    },
  },
};

async function elicit(message: string, properties: Record<string, unknown>, required: string[] = []) {
  try {
    const result = await request().elicit({
      message,
      requestedSchema: { type: "object", properties, required } as never,
    });
    return `Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`;
  } catch (error) {
    return `Elicitation not supported or error: ${(error as Error).message}`;
  }
}

const tools = [
  tool(
    "test_simple_text",
    "Tests simple text content response",
    () => "This is a simple text response for testing.",
  ),
  tool("test_image_content", "Tests image content response", () => [
    { type: "image", data: PNG, mediaType: "image/png" },
  ]),
  tool("test_audio_content", "Tests audio content response", () => {
    request().respondWith([{ type: "audio", data: WAV, mimeType: "audio/wav" }]);
  }),
  tool("test_embedded_resource", "Tests embedded resource content response", () => {
    request().respondWith([
      {
        type: "resource",
        resource: {
          uri: "test://embedded-resource",
          mimeType: "text/plain",
          text: "This is an embedded resource content.",
        },
      },
    ]);
  }),
  tool(
    "test_multiple_content_types",
    "Tests response with multiple content types (text, image, resource)",
    () => {
      request().respondWith([
        { type: "text", text: "Multiple content types test:" },
        { type: "image", data: PNG, mimeType: "image/png" },
        {
          type: "resource",
          resource: {
            uri: "test://mixed-content-resource",
            mimeType: "application/json",
            text: JSON.stringify({ test: "data", value: 123 }),
          },
        },
      ]);
    },
  ),
  tool("test_tool_with_logging", "Tests tool that emits log messages during execution", async () => {
    const scope = request();
    for (const text of ["Tool execution started", "Tool processing data", "Tool execution completed"]) {
      await scope.log("info", text);
      await sleep(20);
    }
    return "Tool with logging executed successfully";
  }),
  tool("test_tool_with_progress", "Tests tool that reports progress notifications", async () => {
    const scope = request();
    for (const step of [0, 50, 100]) {
      await scope.progress(step, 100, `Completed step ${step} of 100`);
      await sleep(20);
    }
    return "Progress reported";
  }),
  tool("test_error_handling", "Tests error response handling", () => {
    throw new Error("This tool intentionally returns an error for testing");
  }),
  tool(
    "test_reconnection",
    "Tests SSE stream disconnection and client reconnection (SEP-1699): the stream closes mid-call and the result follows on the resumed stream.",
    async () => {
      request().closeStream();
      await sleep(100);
      return "Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.";
    },
  ),
  tool(
    "test_sampling",
    "Tests server-initiated sampling (LLM completion request)",
    async (args) => {
      try {
        const result = await request().sample({
          messages: [{ role: "user", content: { type: "text", text: String(args.prompt) } }],
          maxTokens: 100,
        });
        const content = result.content as { text?: string };
        return `LLM response: ${content.text ?? "No response"}`;
      } catch (error) {
        return `Sampling not supported or error: ${(error as Error).message}`;
      }
    },
    {
      type: "object",
      properties: { prompt: { type: "string", description: "The prompt to send to the LLM" } },
      required: ["prompt"],
    },
  ),
  tool(
    "test_elicitation",
    "Tests server-initiated elicitation (user input request)",
    async (args) => {
      const text = await elicit(
        String(args.message),
        { response: { type: "string", description: "User's response" } },
        ["response"],
      );
      return text.replace("Elicitation completed", "User response");
    },
    {
      type: "object",
      properties: { message: { type: "string", description: "The message to show the user" } },
      required: ["message"],
    },
  ),
  tool("test_elicitation_sep1034_defaults", "Tests elicitation with default values per SEP-1034", () =>
    elicit("Please review and update the form fields with defaults", {
      name: { type: "string", description: "User name", default: "John Doe" },
      age: { type: "integer", description: "User age", default: 30 },
      score: { type: "number", description: "User score", default: 95.5 },
      status: {
        type: "string",
        description: "User status",
        enum: ["active", "inactive", "pending"],
        default: "active",
      },
      verified: { type: "boolean", description: "Verification status", default: true },
    }),
  ),
  tool("test_elicitation_sep1330_enums", "Tests elicitation with enum schema improvements per SEP-1330", () =>
    elicit("Please select options from the enum fields", elicitationEnums),
  ),
  tool(
    "json_schema_2020_12_tool",
    "Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)",
    (args) => `JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`,
    {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      $defs: {
        address: { type: "object", properties: { street: { type: "string" }, city: { type: "string" } } },
      },
      properties: { name: { type: "string" }, address: { $ref: "#/$defs/address" } },
      additionalProperties: false,
    },
  ),
];

const agent = () =>
  new AssistantAgent({
    name: "weather_agent",
    description: "Answers questions about the weather.",
    modelClient: new ReplayChatCompletionClient({ responses: ["It is sunny."] }),
  });

const server = await serveMcp(
  {
    agents: [{ agent }],
    tools,
    prompts: [
      {
        name: "test_simple_prompt",
        title: "Simple Test Prompt",
        description: "A simple prompt without arguments",
        render: () => "This is a simple prompt for testing.",
      },
      {
        name: "test_prompt_with_arguments",
        title: "Prompt With Arguments",
        description: "A prompt with required arguments",
        arguments: [
          { name: "arg1", description: "First test argument", required: true },
          { name: "arg2", description: "Second test argument", required: true },
        ],
        render: (a) => `Prompt with arguments: arg1='${a.arg1}', arg2='${a.arg2}'`,
      },
      {
        name: "test_prompt_with_embedded_resource",
        title: "Prompt With Embedded Resource",
        description: "A prompt that includes an embedded resource",
        arguments: [{ name: "resourceUri", description: "URI of the resource to embed", required: true }],
        render: (a) => [
          {
            role: "user",
            content: {
              type: "resource",
              resource: {
                uri: a.resourceUri ?? "",
                mimeType: "text/plain",
                text: "Embedded resource content for testing.",
              },
            },
          },
          { role: "user", content: { type: "text", text: "Please process the embedded resource above." } },
        ],
      },
      {
        name: "test_prompt_with_image",
        title: "Prompt With Image",
        description: "A prompt that includes image content",
        render: () => [
          { role: "user", content: { type: "image", data: PNG, mimeType: "image/png" } },
          { role: "user", content: { type: "text", text: "Please analyze the image above." } },
        ],
      },
    ],
    resources: [
      {
        uri: "test://static-text",
        name: "static-text",
        title: "Static Text Resource",
        description: "A static text resource for testing",
        mimeType: "text/plain",
        read: () => ({ text: "This is the content of the static text resource." }),
      },
      {
        uri: "test://static-binary",
        name: "static-binary",
        title: "Static Binary Resource",
        description: "A static binary resource (image) for testing",
        mimeType: "image/png",
        read: () => ({ blob: PNG }),
      },
      {
        uri: "test://watched-resource",
        name: "watched-resource",
        title: "Watched Resource",
        description: "A resource clients may subscribe to",
        mimeType: "text/plain",
        read: () => ({ text: "Watched resource content" }),
      },
    ],
    resourceTemplates: [
      {
        uriTemplate: "test://template/{id}/data",
        name: "template",
        title: "Resource Template",
        description: "A resource template with parameter substitution",
        mimeType: "application/json",
        read: ({ id }) => ({ text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }),
      },
    ],
  },
  { transport: "http", port: Number(process.env.PORT ?? 0), serverName: "autogen-ts-conformance-fixture" },
);
process.stdout.write(`${server.url}\n`);
