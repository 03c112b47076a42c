import { request } from 'node:http';
import * as vscode from 'vscode';

/** A part of the window to photograph. */
export type ScreenPart = 'window' | 'sidebar' | 'editor' | 'panel';

/** Whether this host can take screenshots (the code-server host does; a downloaded desktop VS Code does not). */
export const canScreenshot = (): boolean => Boolean(process.env.LWB_SCREENSHOT_URL);

/**
 * Asks the test host (scripts/test-host/code-host.js) to save test-results/screens/<name>.png from the real window,
 * and returns the picture's pixel spread (0: blank).
 */
export async function screenshot(name: string, part: ScreenPart = 'window'): Promise<{ file: string; stdev: number }> {
  // Let the workbench paint what the last command changed.
  await new Promise((resolve) => setTimeout(resolve, 700));
  const body = JSON.stringify({ name, part });
  const reply = await new Promise<string>((resolve, reject) => {
    const req = request(process.env.LWB_SCREENSHOT_URL!, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`screenshot ${name}: ${text}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
  return JSON.parse(reply) as { file: string; stdev: number };
}

/** Switches the colour theme (user settings) and waits for the workbench to repaint. */
export async function useTheme(theme: 'Default Dark Modern' | 'Default Light Modern'): Promise<void> {
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
  await new Promise((resolve) => setTimeout(resolve, 500));
}

/** Opens a loopback page in a tab of the test host's Chromium and returns its text once it contains `waitFor`. */
export async function readPage(url: string, waitFor: string): Promise<string> {
  const reply = await new Promise<string>((resolve, reject) => {
    const req = request(new URL('page', process.env.LWB_SCREENSHOT_URL!), { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`page ${url}: ${text}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ url, waitFor }));
  });
  return (JSON.parse(reply) as { text: string }).text;
}
