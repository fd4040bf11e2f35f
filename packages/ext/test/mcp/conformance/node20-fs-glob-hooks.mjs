const shim = new URL("./node20-fs-shim.mjs", import.meta.url).href;

export async function resolve(specifier, context, next) {
  const fromSuite = context.parentURL?.includes("/@modelcontextprotocol/conformance/") ?? false;
  if (fromSuite && (specifier === "fs" || specifier === "node:fs")) return { url: shim, shortCircuit: true };
  return next(specifier, context);
}
