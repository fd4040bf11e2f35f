/**
 * Teams: group chats of agents on the core runtime.
 */
export type { BaseGroupChatOptions } from "./group-chat/base-group-chat.js";
export { BaseGroupChat } from "./group-chat/base-group-chat.js";
export type { GroupChatManagerOptions, ParticipantInfo } from "./group-chat/manager.js";
export { BaseGroupChatManager } from "./group-chat/manager.js";
export type { RoundRobinGroupChatOptions } from "./round-robin.js";
export { RoundRobinGroupChat, RoundRobinGroupChatManager } from "./round-robin.js";
export type { Participant, Team } from "./team.js";
export { isTeam } from "./team.js";
