/** The narrow logging interface the core writes to. The extension passes its LogOutputChannel, the CLI a stderr
 *  writer, tests a recorder; the core never knows which. Values that may be secrets are never passed here. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

