import { pino, type Logger } from "pino";
import type { LogLevel } from "./settings.js";

/** One JSON line per entry on stdout (CloudWatch Logs), with the function's name on each. */
export function lambdaLogger(fn: "webhook" | "worker", level: LogLevel): Logger {
  return pino({ level, base: { fn }, messageKey: "msg" });
}
