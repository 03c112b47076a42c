// extensionTestsPath of the debugger benchmark (npm run bench): measured inside a real extension host.
import { runMochaIn } from '../support/mochaRunner';

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
