/** The demo the README's first command runs. It grows into a full team run as agentchat lands. */
export async function runDemo(): Promise<number> {
  console.log("autogen-ts demo");
  return 0;
}
