import type { CliCommand } from '../cliCommand';
import { eventsCommand } from './events';
import { functionsCommand } from './functions';
import { insightsCommand } from './insights';
import { invokeCommand } from './invoke';
import { loadCommand } from './load';
import { logsCommand } from './logs';
import { newCommand } from './new';
import { serveCommand } from './serve';
import { startCommand } from './start';

/** Every sub-command, in the order `--help` lists them. Each lives in its own file beside this one. */
export const commands: readonly CliCommand[] = [invokeCommand, loadCommand, startCommand, serveCommand, insightsCommand, eventsCommand, newCommand, functionsCommand, logsCommand];
