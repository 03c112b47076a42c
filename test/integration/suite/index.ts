// extensionTestsPath of the main suite: VS Code calls run() inside the extension host.
import { runMochaIn } from '../support/mochaRunner';

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
