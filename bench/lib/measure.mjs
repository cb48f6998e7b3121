// Runs a command and measures its wall time and the peak resident memory of its whole process
// tree (the command and every descendant), by sampling /proc.
import fs from 'node:fs';
import { spawn } from 'node:child_process';

const PAGE_KB = 4; // x86-64 Linux page size

function listPids() {
  const pids = [];
  for (const d of fs.readdirSync('/proc')) {
    const c = d.charCodeAt(0);
    if (c >= 48 && c <= 57) pids.push(Number(d));
  }
  return pids;
}

const TICK_MS = 10; // USER_HZ = 100 on Linux

/** [ppid, rssKB, userMs, sysMs] of a process, or null if it has gone. */
function readStat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return [Number(f[1]), Number(f[21]) * PAGE_KB, Number(f[11]) * TICK_MS, Number(f[12]) * TICK_MS];
  } catch {
    return null;
  }
}

/**
 * Spawns `cmd args` and resolves with
 * { ok, code, signal, timedOut, wallMs, peakTreeKB, peakSingleKB, maxProcs, userMs, sysMs,
 *   stderrTail }. CPU times are the last sampled values of each process of the tree (so the last
 * sampling interval of each process is missed).
 * stdout/stderr go to the given files (default: discarded / kept in memory for stderr).
 */
export function measure(cmd, args, { cwd, env, stdoutFile, stderrFile, timeoutMs = 3_600_000, pollMs = 25 } = {}) {
  // Processes that exist before the spawn can never be part of the new tree; only newer pids
  // need their stat read on each sample, which keeps sampling cheap (well under 1 ms).
  const before = new Set(listPids());
  const outFd = fs.openSync(stdoutFile ?? '/dev/null', 'w');
  const errFd = stderrFile ? fs.openSync(stderrFile, 'w') : 'pipe';
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', outFd, errFd] });
  let stderr = '';
  if (errFd === 'pipe') {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-20000);
    });
  }
  let peakTreeKB = 0;
  let peakSingleKB = 0;
  let maxProcs = 0;
  const cpu = new Map(); // pid -> [userMs, sysMs], last seen
  const sample = () => {
    const info = new Map();
    for (const pid of listPids()) {
      if (before.has(pid)) continue;
      const st = readStat(pid);
      if (st) info.set(pid, st);
    }
    const inTree = new Set([child.pid]);
    // Descendants: iterate until no new member (pids are few, so this is cheap).
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, [ppid]] of info) {
        if (!inTree.has(pid) && inTree.has(ppid)) {
          inTree.add(pid);
          grew = true;
        }
      }
    }
    let total = 0;
    let n = 0;
    for (const pid of inTree) {
      const st = info.get(pid);
      if (!st) continue;
      total += st[1];
      n++;
      cpu.set(pid, [st[2], st[3]]);
      if (st[1] > peakSingleKB) peakSingleKB = st[1];
    }
    if (total > peakTreeKB) peakTreeKB = total;
    if (n > maxProcs) maxProcs = n;
  };
  const timer = setInterval(sample, pollMs);
  sample();
  let timedOut = false;
  const killer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, timeoutMs);
  return new Promise((resolve) => {
    let done = false;
    const finish = (code, signal, spawnError) => {
      if (done) return;
      done = true;
      const wallMs = performance.now() - t0;
      clearInterval(timer);
      clearTimeout(killer);
      fs.closeSync(outFd);
      if (typeof errFd === 'number') {
        fs.closeSync(errFd);
        try {
          const buf = fs.readFileSync(stderrFile, 'utf8');
          stderr = buf.slice(-20000);
        } catch {
          /* ignore */
        }
      }
      if (spawnError) stderr += `\n${spawnError.message}`;
      resolve({
        ok: code === 0 && !timedOut,
        code,
        signal,
        timedOut,
        wallMs,
        peakTreeKB,
        peakSingleKB,
        maxProcs,
        userMs: [...cpu.values()].reduce((a, c) => a + c[0], 0),
        sysMs: [...cpu.values()].reduce((a, c) => a + c[1], 0),
        stderrTail: stderr.split('\n').slice(-15).join('\n'),
      });
    };
    child.on('error', (e) => finish(null, null, e));
    child.on('exit', (code, signal) => finish(code, signal));
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
