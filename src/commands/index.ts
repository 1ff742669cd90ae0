export { parseCommands, COMMAND_NAMES, DEFAULT_WAIVER_DAYS, MAX_WAIVER_DAYS, type Command, type CommandName, type ParsedLine } from "./parse.js";
export { authorize, isBot, permissionAtLeast, requirementOf, toPermission, PERMISSIONS, type Actor, type Authorization, type AuthorizationInput, type CommandSettings, type Permission } from "./authorize.js";
export { handleComment, REPLY_MARKER, type CommandContext, type CommandDeps, type CommandResult, type CommentOutcome, type Reaction, type ReviewOutcome } from "./handlers.js";
export { helpText } from "./help.js";
