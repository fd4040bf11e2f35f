import { AutogenError, ValidationError } from "@autogen-ts/core";
import { EXIT } from "./exit-codes.js";

const USAGE = `autogen-ts <command> [options]

Commands:
  demo                         run a small team with a tool on a bundled replay script (no key, no network)
  run <file> --task "..."      load a team or agent (AutoGen JSON or YAML) and stream its run
  resume <run-id> --store ...  continue a run kept in a store (answer its request with --input)
  runs --store ...             list the runs kept in a store, with their status
  validate <file>              load every component of a file without running anything
  convert <file>               convert between AutoGen's JSON and YAML
  mcp <file>                   serve a team or agent as an MCP server (stdio or HTTP)
  serve <file> [file ...]      serve teams over HTTP: threads, runs, SSE, OpenAI-compatible endpoints
  help [command]               print help

Run "autogen-ts help <command>" for its options. Exit codes: 0 ok, 1 run failed, 2 usage or config
error, 3 internal error, 4 waiting for input (a run with --store parked a request), 130 interrupted. Errors print one line; add --verbose for the stack.`;

const HELP: Record<string, string> = {
  demo: `autogen-ts demo [--base-url <url>] [--model <name>] [--no-color]

Runs a RoundRobinGroupChat of two AssistantAgents (one converts currencies with a tool), streamed to the
console. Without OPENAI_API_KEY and --base-url it replays a bundled script: no key, no network.`,
  run: `autogen-ts run <file> --task "..." [options]

  --task <text>          the task (required)
  --model <name>         use this model in every model client of the file
  --base-url <url>       send every model client to this OpenAI-compatible endpoint
  --output <file>        write the result (stop reason and every message) as JSON
  --component <label>    pick a component out of an AutoGen Studio gallery file
  --allow-code           trust the file's code: FunctionTool source, MCP server commands (StdioServerParams),
                         unsandboxed code executors (each runs with your rights)
  --sandbox              run every code executor of the run (Python tools, a CodeExecutorAgent's executor
                         in the file) in the bubblewrap sandbox: no network, own PID namespace, writes only
                         to its work dir; refuses to run when bubblewrap cannot
  --timeout <seconds>    time limit of each Python tool call (default 60)
  --store <spec>         keep the run in a store: sqlite:<file> (or a file path) or postgres://...; prints
                         "run id: <id>" on stderr first. Without a terminal, a person's input parks the run:
                         "waiting for input: <request-id>" on stderr, exit 4 (answer with resume --input)
  --trust <list>         comma-separated providers the file may use (prefix* allowed); others are refused
  --allow-env <list>     environment variables the file may read with {"$env": ...} besides each model
                         client's own key (OPENAI_API_KEY, ...); prefix* allowed
  --python-web-tools     run the gallery's google_search, bing_search and fetch_webpage as their Python
                         (by default they run natively; GOOGLE_SEARCH_BASE_URL / BING_SEARCH_BASE_URL
                         point them at another search host)
  --allow-private-addresses  let fetches and the web tools reach loopback and private addresses
  --no-color, --verbose

API keys come from the environment (OPENAI_API_KEY, GOOGLE_API_KEY, ...) or {"$env": "NAME"} references in
the file.`,
  resume: `autogen-ts resume <run-id> --store <spec> [--input "..."] [run's options]

Continues a run kept in the store from its last checkpoint (after a crash, Ctrl-C, or a parked request):
completed model and tool calls are not made again. Takes the run's file and options as "run" was given
them; options given here win. --input answers the request the run waits on. --output then holds the
whole run, from its first message.`,
  runs: `autogen-ts runs --store <spec> [--status <status>] [--limit <n>] [--thread <id>]

Lists the runs in the store, newest first: run id, status (running, interrupted, completed, failed,
cancelled), start time and task, tab-separated.`,
  validate: `autogen-ts validate <file> [--component <label>] [--allow-code] [--trust <list>]

Loads every component (each one of a gallery) as "run" would, and prints the first problem of each with
its JSON path, such as: config.participants[0].config.model_client: unknown provider "x.Y". Exit 0 when
valid, 2 when not.`,
  mcp: `autogen-ts mcp <file> [--transport stdio|http] [--port <n>] [--host <h>] [--api-key KEY ...] [options]

Serves the team or agent of the file as an MCP server with one tool, {task}, whose progress notifications
carry the run's messages as they happen; a client's cancellation stops the run. Every call runs a fresh
team loaded from the file. stdio (the default) is what desktop assistants and IDEs launch; over HTTP the
endpoint is printed to stderr, on 127.0.0.1 unless --host says otherwise; another address needs
--api-key (repeatable; each is a bearer token the endpoint accepts). Takes run's loading options
(--model, --base-url, --component, --allow-code, --sandbox, --timeout, --trust) and --tool-name.`,
  serve: `autogen-ts serve <team.json> [more.json ...] [--port 8080] [--store sqlite:./runs.db] [options]

Serves the files' teams over HTTP (see docs/serving.md): threads, runs, SSE streams that resume with
Last-Event-ID, human input by POST, /v1/chat/completions and /v1/responses (model = team name),
/openapi.json, and AutoGen Studio's run WebSocket at /ws/runs/{runId}. A team is named by its label, else
by its file name without the extension. Prints "listening on http://HOST:PORT" on stderr once it accepts
requests; SIGTERM stops taking runs, records the live ones as interrupted, and exits.

  --port <n>             the port (default 8080; 0 picks a free one)
  --host <address>       the address to bind (default 127.0.0.1; another needs --api-key)
  --store <spec>         memory (default), sqlite:<path> or postgres://...
  --api-key <key>        a bearer key; repeat for several, each its own principal
  --allowed-host <name>  a Host header to accept besides the loopback names (repeatable)
  --cors-origin <url>    a browser origin allowed to call the API (repeatable; default none)
  --resume-interrupted   go on at once with the runs an earlier process stopped (default: they wait)
  --mcp                  also serve MCP (Streamable HTTP) at /mcp: every team a tool
  --a2a                  also serve A2A at /a2a (the first team; agent card at /.well-known/agent-card.json)
Takes run's loading options (--model, --base-url, --allow-code, --sandbox, --timeout, --trust).`,
  convert: `autogen-ts convert <file> [--to json|yaml] [--output <file>]

Converts AutoGen's JSON to YAML (for editing by hand) or YAML back to JSON. The format is read from the
file name; the default target is the other one.`,
};

function wantsVerbose(argv: readonly string[]): boolean {
  return argv.includes("--verbose");
}

/**
 * Runs the command line with the given arguments (without `node` and the script) and returns the exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (rest.includes("--help") || rest.includes("-h")) {
      console.log(HELP[command ?? ""] ?? USAGE);
      return EXIT.ok;
    }
    switch (command) {
      case "demo": {
        const { runDemo } = await import("./demo.js");
        return await runDemo(rest);
      }
      case "run": {
        const { runCommand } = await import("./commands.js");
        return await runCommand(rest);
      }
      case "resume": {
        const { loadRunner, RUN_SPEC } = await import("./commands.js");
        const { resumeCommand } = await import("./durable-commands.js");
        return await resumeCommand(rest, RUN_SPEC, loadRunner);
      }
      case "runs": {
        const { runsCommand } = await import("./durable-commands.js");
        return await runsCommand(rest);
      }
      case "validate": {
        const { validateCommand } = await import("./commands.js");
        return await validateCommand(rest);
      }
      case "mcp": {
        const { mcpCommand } = await import("./mcp-command.js");
        return await mcpCommand(rest);
      }
      case "serve": {
        const { serveCommand } = await import("./serve-command.js");
        return await serveCommand(rest);
      }
      case "convert": {
        const { convertCommand } = await import("./commands.js");
        return await convertCommand(rest);
      }
      case undefined:
      case "help":
      case "--help":
      case "-h":
        console.log(HELP[rest[0] ?? ""] ?? USAGE);
        return EXIT.ok;
      default:
        console.error(`autogen-ts: unknown command "${command}"\n\n${USAGE}`);
        return EXIT.config;
    }
  } catch (error) {
    const verbose = wantsVerbose(rest);
    const message = error instanceof Error ? error.message : String(error);
    console.error(`autogen-ts: ${message.split("\n")[0]}`);
    if (verbose && error instanceof Error && error.stack) console.error(error.stack);
    const code = (error as { exitCode?: number }).exitCode;
    if (typeof code === "number") return code;
    if (ValidationError.isInstance(error)) return EXIT.config;
    if (AutogenError.isInstance(error)) return EXIT.runFailed;
    return EXIT.internal;
  }
}
