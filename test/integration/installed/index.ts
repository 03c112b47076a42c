// extensionTestsPath of the installed-VSIX suite: the extension under test is unpacked from the platform VSIX.
import { runMochaIn } from '../support/mochaRunner';

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
