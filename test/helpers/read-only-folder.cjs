// Preloaded into the CLI under test (NODE_OPTIONS=--require): every write under
// $TEST_READONLY_FOLDER fails with $TEST_READONLY_ERRNO (EROFS, EACCES), as on a read-only mount
// or a folder of another user — which the tests, often run as root, cannot make for real.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { syncBuiltinESMExports } = require('node:module');

const folder = path.resolve(process.env.TEST_READONLY_FOLDER);
const code = process.env.TEST_READONLY_ERRNO || 'EROFS';
const inside = (target) => {
  const resolved = path.resolve(String(target));
  return resolved === folder || resolved.startsWith(folder + path.sep);
};
const refuse = (syscall, target) => {
  const error = new Error(`${code}: refused by the test, ${syscall} '${target}'`);
  error.code = code;
  error.syscall = syscall;
  error.path = String(target);
  return error;
};
for (const name of ['mkdirSync', 'writeFileSync', 'rmSync', 'unlinkSync', 'renameSync']) {
  const original = fs[name];
  fs[name] = function readOnly(target, ...rest) {
    // mkdir of a folder that exists succeeds on a read-only mount too.
    if (inside(target) && !(name === 'mkdirSync' && fs.existsSync(target))) throw refuse(name, target);
    return original.call(this, target, ...rest);
  };
}
const openSync = fs.openSync;
fs.openSync = function readOnlyOpen(target, flags = 'r', ...rest) {
  if (inside(target) && flags !== 'r') throw refuse('open', target);
  return openSync.call(this, target, flags, ...rest);
};
syncBuiltinESMExports();
