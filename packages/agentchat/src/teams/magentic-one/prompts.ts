/**
 * The Magentic-One orchestrator's prompts. Each is a function of what it needs, so that the wording lives
 * in one place and tests can read it.
 */

/** The team, one line per member, as the prompts show it. */
export function teamRoster(members: readonly { name: string; description: string }[]): string {
  return members.map((m) => `- ${m.name}: ${m.description}`).join("\n");
}

/** Asks for what is known and what must be found out before the work starts. */
export function factsPrompt(task: string): string {
  return `We have been given this request:

${task}

Before anyone starts, take stock. Write four short sections, as bullet lists:
1. FACTS GIVEN: what the request itself states (figures, names, constraints).
2. FACTS TO LOOK UP: what must be found in a source, and where it could be found.
3. FACTS TO DERIVE: what must be worked out by reasoning or computation.
4. EDUCATED GUESSES: what you believe from memory or intuition, and why.
Do not plan or answer yet.`;
}

/** Asks for a plan that uses the team. */
export function planPrompt(roster: string): string {
  return `These are the members of the team who will carry out the request:

${roster}

Write a short plan, as a bullet list, for how this team can satisfy the request. Not every member must
take part. Name the member for each step. Keep it brief: a few steps, each one sentence.`;
}

/** The task ledger the orchestrator shows the team at the start (and after each re-plan). */
export function taskLedger(task: string, roster: string, facts: string, plan: string): string {
  // AutoGen's layout: the ledger is a message of the run, and programs ported from AutoGen look for its opening.
  return `
We are working to address the following user request:

${task}


To answer this request we have assembled the following team:

${roster}


Here is an initial fact sheet to consider:

${facts}


Here is the plan to follow as best as possible:

${plan}
`;
}

/** Asks for the progress ledger, as JSON, after each turn. */
export function progressLedgerPrompt(task: string, roster: string, names: readonly string[]): string {
  return `Look back at the conversation so far. Recall the request:

${task}

And the team:
${roster}

Answer these questions to decide how the work goes on:
- is_request_satisfied: has the request been fully answered? (false if anything is still missing)
- is_in_loop: are we going round in circles (the same requests or replies again and again)?
- is_progress_being_made: did the last turns move us toward the answer? (false after failures or repeats)
- next_speaker: who should speak next? One of: ${names.join(", ")}
- instruction_or_question: what exactly should that member do or answer next? Speak to them directly
  and give them what they need.

Reply with JSON only, exactly in this shape, each answer with a one-sentence reason:
{
  "is_request_satisfied": { "reason": string, "answer": boolean },
  "is_in_loop": { "reason": string, "answer": boolean },
  "is_progress_being_made": { "reason": string, "answer": boolean },
  "next_speaker": { "reason": string, "answer": string },
  "instruction_or_question": { "reason": string, "answer": string }
}`;
}

/** Sent back when a progress ledger could not be read, so that the model can fix its reply. */
export function ledgerCorrectionPrompt(problem: string): string {
  return `That reply could not be used: ${problem}
Reply again with the JSON object only, every field present and next_speaker one of the team's names.`;
}

/** Asks to revise the facts after the team got stuck. */
export function updateFactsPrompt(task: string, facts: string): string {
  return `We have not made progress on this request:

${task}

This is what we wrote down earlier about it:

${facts}

Rewrite that sheet with what we have learned since: move facts that were looked up or derived to FACTS
GIVEN, add new ones, and revise the EDUCATED GUESSES (add at least one new guess, with its reason).
Keep the same four sections.`;
}

/** Asks for a new plan after the team got stuck. */
export function updatePlanPrompt(roster: string): string {
  return `The team:
${roster}

First say in one or two sentences why the last attempt stalled. Then write a new plan, as a bullet list,
that avoids the same trouble. Name the member for each step and keep it brief.`;
}

/** The default prompt for the final answer. */
export function finalAnswerPrompt(task: string): string {
  return `The request is done. Recall it:

${task}

Using everything in the conversation, write the final answer for the person who asked. Answer the
request directly and completely; if something could not be found, say so plainly. Do not mention the
team or how the work was split.`;
}
