// End marks: after an invocation's output, a mark line on stdout and stderr tells the runner that every line the
// handler printed has arrived (a pipe and the Runtime API socket are not ordered with each other). A stream nothing
// was written to since the last mark needs none: each mark costs a write here and a wake-up of the runner, which on a
// quiet warm call is a good part of the work. Once the handler has started a child process, the child may write to
// our pipes directly, so from then on both streams are always marked. Required before anything that writes.
'use strict';
const childProcess = require('node:child_process');

const END_MARK = '\u0000lwb-end ';
const streams = { out: process.stdout, err: process.stderr };
const written = { out: true, err: true }; // init's output is marked with the first invocation
const rawWrites = {};
let childStarted = false;

for (const [name, stream] of Object.entries(streams)) {
  const write = stream.write;
  rawWrites[name] = write.bind(stream);
  stream.write = function writeAndNote(...args) {
    written[name] = true;
    return write.apply(this, args);
  };
}

function noteChild(owner, name) {
  const original = owner[name];
  owner[name] = function startsChild(...args) {
    childStarted = true;
    return original.apply(this, args);
  };
}
// spawn, exec, execFile and fork all go through ChildProcess#spawn; the sync ones do not.
noteChild(childProcess.ChildProcess.prototype, 'spawn');
for (const name of ['spawnSync', 'execSync', 'execFileSync']) noteChild(childProcess, name);

/** Writes the marks the runner must wait for (`all`: both) and returns their streams, the value of the end-marks
 *  header (`out,err`, `out`, `err` or `none`). */
function writeMarks(requestId, all = false) {
  const marked = [];
  for (const name of ['out', 'err']) {
    if (!all && !written[name] && !childStarted) continue;
    rawWrites[name](`${END_MARK}${requestId}\n`);
    written[name] = false;
    marked.push(name);
  }
  return marked.length ? marked.join(',') : 'none';
}

module.exports = { writeMarks, END_MARKS_HEADER: 'lambda-workbench-end-marks' };
