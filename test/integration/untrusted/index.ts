// extensionTestsPath of the Restricted Mode suite (a host started with Workspace Trust on).
import { runMochaIn } from '../support/mochaRunner';

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
