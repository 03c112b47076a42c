import { memoizeCredentials, resolveProfileCredentials } from '../core/aws/credentials';
import type { Logger } from '../core/logger';
import { LocalLambda, type LocalLambdaOptions } from '../core/runtime/localLambda';
import type { CliIO } from './cliCommand';
import { interpreterOptions, intOption } from './parseOptions';

/** The LocalLambda a serving command (serve, start) runs functions in: --max-concurrency, the interpreters, and the
 *  profile's credentials resolved once (a failure leaves the functions without credentials). */
export function servingLambda(v: Record<string, string | boolean | string[] | undefined>, io: CliIO, onInvoked?: LocalLambdaOptions['onInvoked']): LocalLambda {
  const profile = v.profile as string | undefined;
  return new LocalLambda({
    onInvoked,
    maxEnvironments: intOption(v['max-concurrency'], 'max-concurrency', 1, 1000),
    settings: { nodePath: v.node as string | undefined, pythonPath: v.python as string | undefined, interpreters: interpreterOptions(v.interpreter as string[] | undefined) },
    credentials: memoizeCredentials(() => resolveProfileCredentials({ profile, env: io.env }).catch(() => undefined)),
  });
}

/** What a serving command itself says (retries, drops, failures outside any invocation): stderr, with its name. */
export function commandLogger(name: string, io: CliIO): Logger {
  const say = (m: string | Error): void => io.err(`[${name}] ${m instanceof Error ? m.message : m}\n`);
  return { trace: () => undefined, debug: () => undefined, info: say, warn: say, error: say };
}
