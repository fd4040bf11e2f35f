// A worker process for bench/distributed/run.mjs: serves "work" (1 ms of CPU per request, standing in
// for real handler work) under the subject prefix argv[2], and prints "ready".
import { ClosureAgent } from "@autogen-ts/core";
import { NatsAgentRuntime } from "@autogen-ts/ext/runtimes/nats";

const runtime = await NatsAgentRuntime.connect({ subjectPrefix: process.argv[2], workerId: process.argv[3] });
await ClosureAgent.registerClosure(runtime, "work", async (_agent, message) => {
  const end = performance.now() + 1;
  while (performance.now() < end) {
    // busy: the handler's own work
  }
  return message;
});
await runtime.start();
process.stdout.write("ready\n");
