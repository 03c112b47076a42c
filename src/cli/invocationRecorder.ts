import { resolve } from 'node:path';
import { recordOf, type RecordSource } from '../core/insights/invocationRecord';
import { RECORD_FILE, RecordFile } from '../core/insights/invocationStore';
import type { LocalLambdaOptions } from '../core/runtime/localLambda';
import type { CliIO } from './cliCommand';

/** The options that turn recording on: `--record` (to .lambda-workbench/invocations.jsonl) or `--record-file <file>`. */
export const RECORD_OPTIONS = { record: { type: 'boolean' }, 'record-file': { type: 'string' } } as const;

export const RECORD_HELP = `      --record               append each invocation's REPORT figures to ${RECORD_FILE}
                             (what \`lambda-workbench insights\` and the editor's Insights panel read)
      --record-file <file>   the same, to another file
`;

export interface InvocationRecorder {
  /** For LocalLambdaOptions; undefined when recording is off. */
  readonly onInvoked?: LocalLambdaOptions['onInvoked'];
  /** Writes what is pending (call before exiting). */
  close(): Promise<void>;
  readonly file?: string;
}

export function invocationRecorder(v: Record<string, unknown>, io: CliIO, source: RecordSource): InvocationRecorder {
  if (!v.record && v['record-file'] === undefined) return { close: async () => undefined };
  const file = resolve(io.cwd, (v['record-file'] as string | undefined) ?? RECORD_FILE);
  let warned = false;
  const out = new RecordFile(file, (error) => {
    if (!warned) io.err(`warning: could not write records to ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    warned = true;
  });
  return { file, onInvoked: (config, result) => out.add(recordOf(config, result, source)), close: () => out.flush() };
}
