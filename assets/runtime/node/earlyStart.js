// An environment started before its function was known: `lambda-workbench invoke` starts this runtime while its own
// code loads (src/core/runtime/earlyStart.ts). The process waits on fd 3 for the function's variables and folder,
// then becomes the process a spawn with them would have made: only variables Node reads after its start can differ
// (the CLI checks that), and NODE_PATH, which Node reads as it starts, is read again here.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');

const CHANNEL = 3;

/** Blocks until the CLI says which function this is (or exits quietly when it needs no runtime after all). */
function awaitFunction() {
  if (!process.env.LWB_EARLY_START) return;
  let text = '';
  try {
    // When it began to wait, on the wall clock: the CLI leaves the wait out of Init Duration.
    fs.writeSync(CHANNEL, `${performance.timeOrigin + performance.now()}\n`);
    const buffer = Buffer.alloc(64 * 1024);
    for (let n; (n = fs.readSync(CHANNEL, buffer, 0, buffer.length, null)) > 0;) text += buffer.toString('utf8', 0, n);
    fs.closeSync(CHANNEL);
  } catch {
    process.exit(0); // the CLI is gone
  }
  if (!text) process.exit(0);
  const { env, cwd } = JSON.parse(text);
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, env);
  process.chdir(cwd);
  // The global module folders come from NODE_PATH at Node's start (Module._initPaths, what a spawn would have run).
  Module._initPaths();
}

module.exports = { awaitFunction };
