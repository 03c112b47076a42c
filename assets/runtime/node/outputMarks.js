// End marks: after an invocation's output, a mark line on stdout and stderr tells the runner that every line the
// handler printed has arrived (a pipe and the Runtime API socket are not ordered with each other). A stream nothing
// was written to since the last mark needs none: each mark costs a write here and a wake-up of the runner, which on a
// quiet warm call is a good part of the work. A child process may write to our pipes directly, so once the handler
// has loaded child_process both streams are always marked (requiring it here to watch its spawns would cost every
// cold start ~5 ms). Required before anything that writes.
'use strict';

const END_MARK = '\u0000lwb-end ';
const streams = { out: process.stdout, err: process.stderr };
const written = { out: true, err: true }; // init's output is marked with the first invocation
const rawWrites = {};
let mayHaveChildren = false;
let modulesSeen = 0;

for (const [name, stream] of Object.entries(streams)) {
  const write = stream.write;
  rawWrites[name] = write.bind(stream);
  stream.write = function writeAndNote(...args) {
    written[name] = true;
    return write.apply(this, args);
  };
}

/** Whether child_process has been loaded by anyone (process.moduleLoadList grows as built-in modules load; without
 *  it, assume so). Sticky: a child started once may outlive the call. */
function childProcessLoaded() {
  if (mayHaveChildren) return true;
  const loaded = process.moduleLoadList;
  if (!Array.isArray(loaded)) return (mayHaveChildren = true);
  if (loaded.length === modulesSeen) return false;
  modulesSeen = loaded.length;
  return (mayHaveChildren = loaded.includes('NativeModule child_process'));
}

/** Writes the marks the runner must wait for (`all`: both) and returns their streams, the value of the end-marks
 *  header (`out,err`, `out`, `err` or `none`). */
function writeMarks(requestId, all = false) {
  const marked = [];
  for (const name of ['out', 'err']) {
    if (!all && !written[name] && !childProcessLoaded()) continue;
    rawWrites[name](`${END_MARK}${requestId}\n`);
    written[name] = false;
    marked.push(name);
  }
  return marked.length ? marked.join(',') : 'none';
}

module.exports = { writeMarks, END_MARKS_HEADER: 'lambda-workbench-end-marks' };
