// Preloaded into the CLI under test (NODE_OPTIONS=--require): any connection or DNS lookup that
// is not for the loopback interface is refused and reported on stderr, so a test fails if tsdbt
// (or a Google library) tries to reach Google, a metadata server or anything else.
'use strict';
const net = require('node:net');
const dns = require('node:dns');

const LOCAL = /^(localhost|127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const refuse = (what) => {
  process.stderr.write(`LOOPBACK-GUARD: refused ${what}\n`);
  return new Error(`loopback guard: refused ${what}`);
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const first = args[0];
  const options = Array.isArray(first)
    ? first[0]
    : typeof first === 'object' && first !== null
      ? first
      : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  if (options && options.path === undefined && options.host !== undefined && !LOCAL.test(String(options.host))) {
    throw refuse(`connection to ${options.host}:${options.port}`);
  }
  return connect.apply(this, args);
};

const lookup = dns.lookup;
dns.lookup = function guardedLookup(hostname, ...rest) {
  if (!LOCAL.test(String(hostname))) {
    const callback = rest.find((r) => typeof r === 'function');
    const error = refuse(`DNS lookup of ${hostname}`);
    if (callback) return process.nextTick(() => callback(error));
    throw error;
  }
  return lookup.call(this, hostname, ...rest);
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = async function guardedPromisesLookup(hostname, ...rest) {
  if (!LOCAL.test(String(hostname))) throw refuse(`DNS lookup of ${hostname}`);
  return promisesLookup.call(this, hostname, ...rest);
};

// With FORBID_GOOGLE_LIBS=1, loading a Google client library is reported: commands that never
// talk to Google (compile, --help) must not pay for importing them.
if (process.env.FORBID_GOOGLE_LIBS === '1') {
  const Module = require('node:module');
  const load = Module._load;
  Module._load = function guardedLoad(request, ...rest) {
    if (/@google-cloud[\\/]|google-auth-library|gaxios/.test(String(request))) process.stderr.write(`GOOGLE-LIB-GUARD: loaded ${request}\n`);
    return load.call(this, request, ...rest);
  };
}
