const USAGE = `autogen-ts <command>

Commands:
  demo      run a small team on the embedded replay model (no API key, no server)
  help      print this help`;

/**
 * Runs the command line with the given arguments (without `node` and the script) and returns the exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case "demo": {
      const { runDemo } = await import("./demo.js");
      return runDemo();
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    default:
      console.error(`autogen-ts: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}
