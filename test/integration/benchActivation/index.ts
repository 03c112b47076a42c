// extensionTestsPath of the activation and discovery benchmark (npm run bench:activation), on a generated workspace.
import { runMochaIn } from '../support/mochaRunner';

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
