import * as vscode from 'vscode';

const shown = new vscode.EventEmitter<vscode.QuickInput>();
/** Fires for each quick input shown through these helpers: the host tests read and drive the real widget with it. */
export const onDidShowQuickInput = shown.event;

/** What a step of a multi-step input gives: a value, Back (to the previous step), or nothing (the user closed it). */
export const BACK = Symbol('back');
export type StepResult<T> = T | typeof BACK | undefined;

/** One quick-pick step with a Back button from the second step on, as VS Code's own multi-step inputs have. */
export function pickStep<T extends vscode.QuickPickItem>(items: readonly T[], options: { title: string; placeholder?: string; step: number; total: number; matchOnDetail?: boolean }): Promise<StepResult<T>> {
  const pick = vscode.window.createQuickPick<T>();
  Object.assign(pick, { title: options.title, placeholder: options.placeholder, step: options.step, totalSteps: options.total, matchOnDetail: options.matchOnDetail ?? false });
  pick.items = items;
  if (options.step > 1) pick.buttons = [vscode.QuickInputButtons.Back];
  return settle(pick, (resolve) => [
    pick.onDidAccept(() => resolve(pick.selectedItems[0])),
    pick.onDidTriggerButton(() => resolve(BACK)),
  ]);
}

/** One input-box step with a Back button, validated as the user types. */
export function inputStep(options: { title: string; prompt: string; placeholder?: string; value?: string; step: number; total: number; validate: (value: string) => string | undefined }): Promise<StepResult<string>> {
  const box = vscode.window.createInputBox();
  Object.assign(box, { title: options.title, prompt: options.prompt, placeholder: options.placeholder, value: options.value ?? '', step: options.step, totalSteps: options.total });
  if (options.step > 1) box.buttons = [vscode.QuickInputButtons.Back];
  return settle(box, (resolve) => [
    box.onDidChangeValue((value) => { box.validationMessage = value ? options.validate(value) : undefined; }),
    box.onDidAccept(() => {
      const problem = options.validate(box.value);
      if (problem) box.validationMessage = problem;
      else resolve(box.value);
    }),
    box.onDidTriggerButton(() => resolve(BACK)),
  ]);
}

/** Shows `input` and resolves with what `wire`'s handlers resolve, or undefined when it is hidden; disposes it. */
export function settle<T>(input: vscode.QuickInput, wire: (resolve: (value: StepResult<T>) => void) => vscode.Disposable[]): Promise<StepResult<T>> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (value: StepResult<T>): void => {
      if (done) return;
      done = true;
      for (const d of disposables) d.dispose();
      input.dispose();
      resolve(value);
    };
    const disposables = [...wire(finish), input.onDidHide(() => finish(undefined))];
    input.show();
    shown.fire(input);
  });
}
