/**
 * Walks a DAG with at most `concurrency` nodes in flight. A node starts once all its scheduled
 * parents finished; if one of them failed (or was skipped because of a failure), it is skipped.
 */
export interface ScheduleOptions {
  /** Node ids in topological order (also the start priority). */
  order: readonly string[];
  parents(id: string): readonly string[];
  concurrency: number;
  /** Runs one node; returns true when the node succeeded enough for its children to run. */
  run(id: string): Promise<boolean>;
  skip(id: string, reason: 'upstream' | 'stopped', cause?: string): void;
  /** When aborted, nothing new starts; unstarted nodes are skipped as stopped. */
  signal: AbortSignal;
}

export async function runSchedule(options: ScheduleOptions): Promise<void> {
  const { order } = options;
  const position = new Map(order.map((id, i) => [id, i]));
  const waitingOn = new Map<string, number>();
  const children = new Map<string, string[]>();
  const blockedBy = new Map<string, string>();
  for (const id of order) {
    const parents = options.parents(id).filter((p) => position.has(p));
    waitingOn.set(id, parents.length);
    for (const parent of parents) {
      const list = children.get(parent);
      if (list) list.push(id);
      else children.set(parent, [id]);
    }
  }
  const ready: string[] = order.filter((id) => waitingOn.get(id) === 0);
  const finished = new Set<string>();
  let running = 0;

  await new Promise<void>((resolveAll) => {
    const complete = (id: string, ok: boolean) => {
      finished.add(id);
      for (const child of children.get(id) ?? []) {
        if (!ok && !blockedBy.has(child)) blockedBy.set(child, blockedBy.get(id) ?? id);
        const left = waitingOn.get(child)! - 1;
        waitingOn.set(child, left);
        if (left === 0) insertByPriority(ready, child, position);
      }
    };
    const pump = () => {
      while (ready.length > 0 && (options.signal.aborted || blockedBy.has(ready[0]!))) {
        const id = ready.shift()!;
        if (options.signal.aborted) options.skip(id, 'stopped');
        else options.skip(id, 'upstream', blockedBy.get(id));
        complete(id, false);
      }
      while (running < options.concurrency && ready.length > 0 && !options.signal.aborted) {
        const id = ready.shift()!;
        if (blockedBy.has(id)) {
          options.skip(id, 'upstream', blockedBy.get(id));
          complete(id, false);
          continue;
        }
        running++;
        options.run(id).then(
          (ok) => finish(id, ok),
          () => finish(id, false),
        );
      }
      if (running === 0 && ready.length === 0) {
        // Anything never reached (parents stopped) is skipped so every node has a result.
        for (const id of order)
          if (!finished.has(id)) {
            options.skip(id, options.signal.aborted ? 'stopped' : 'upstream', blockedBy.get(id));
            finished.add(id);
          }
        resolveAll();
      }
    };
    const finish = (id: string, ok: boolean) => {
      running--;
      complete(id, ok);
      pump();
    };
    options.signal.addEventListener('abort', () => pump(), { once: true });
    pump();
  });
}

function insertByPriority(queue: string[], id: string, position: Map<string, number>): void {
  const p = position.get(id)!;
  let lo = 0;
  let hi = queue.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (position.get(queue[mid]!)! < p) lo = mid + 1;
    else hi = mid;
  }
  queue.splice(lo, 0, id);
}
