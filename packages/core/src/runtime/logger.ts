/**
 * A minimal logger interface, so that the portable packages log without a Node dependency. Pass any
 * object with these four methods (pino, winston and console all fit).
 */

/** The logger the runtime writes to. */
export interface Logger {
  debug(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

const noop = (): void => {};

/** Writes warnings and errors to the console and drops debug and info lines. */
export const consoleLogger: Logger = {
  debug: noop,
  info: noop,
  warn: (message, ...details) => console.warn(`[autogen-ts] ${message}`, ...details),
  error: (message, ...details) => console.error(`[autogen-ts] ${message}`, ...details),
};

/** Drops everything. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
