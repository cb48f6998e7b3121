// Preloaded into a CLI under test: @fivetrandevelopers/zetasql cannot be resolved, as on a
// machine where the optional package is not installed.
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === '@fivetrandevelopers/zetasql' || request.startsWith('@fivetrandevelopers/zetasql/')) {
    const error = new Error(`Cannot find module '${request}'`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
