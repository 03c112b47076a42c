import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { packageRoot } from '../../../src/core/packageInfo';

export interface TypedEvent { readonly name: string; readonly awsType: string; readonly event: unknown }

/** Type-checks generated events against @types/aws-lambda: each becomes `const x: L.<awsType> = <event literal>`,
 *  so a missing required field, a wrong type or an unknown field (excess property check) is a compile error.
 *  Returns the errors per event name. */
export function typeCheckEvents(events: readonly TypedEvent[]): Map<string, string[]> {
  const dir = join(packageRoot(), 'out', 'event-typecheck');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'events.ts');
  // Each event is one statement; remember where it starts so a diagnostic can be attributed to its event.
  let text = "import type * as L from 'aws-lambda';\n\n";
  const starts: { name: string; offset: number }[] = [];
  events.forEach((e, i) => {
    starts.push({ name: e.name, offset: text.length });
    text += `export const e${i}: L.${e.awsType} = ${JSON.stringify(e.event, null, 1)};\n\n`;
  });
  writeFileSync(file, text);
  const program = ts.createProgram([file], {
    strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10, types: [], typeRoots: [join(packageRoot(), 'node_modules', '@types')],
  });
  const errors = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    let name = '(file)';
    if (d.file?.fileName === file && d.start !== undefined) {
      const start = d.start;
      name = [...starts].reverse().find((s) => start >= s.offset)?.name ?? name;
    }
    errors.set(name, [...(errors.get(name) ?? []), message.split('\n').slice(0, 3).join(' / ')]);
  }
  return errors;
}
