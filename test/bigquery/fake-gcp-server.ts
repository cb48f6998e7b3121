/**
 * A local stand-in for Google Cloud on 127.0.0.1: the subset of the BigQuery v2 and Cloud Storage
 * JSON APIs that @google-cloud/bigquery and @google-cloud/storage use for tsdbt (datasets, tables,
 * query jobs, query results, cancel; bucket listing, multipart and resumable uploads, downloads,
 * rewrite, delete, generation preconditions). Every request is recorded so that tests can assert
 * the exact calls and jobs; faults (HTTP errors, failing jobs, slow jobs) are injected per test.
 *
 * BigQuery DDL is simulated from the job's SQL: CREATE [OR REPLACE] TABLE/VIEW/EXTERNAL TABLE and
 * DROP change the fake's tables (with the PARTITION BY / CLUSTER BY they declare), so a second run
 * sees what the first one created.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (uploads: undefined, see bodyBytes). */
  body?: any;
  bodyBytes: number;
}

export interface FakeJob {
  jobId: string;
  projectId: string;
  location?: string;
  query: string;
  dryRun: boolean;
  labels: Record<string, string>;
  configuration: any;
}

export interface JobOutcome {
  /** The job ends in error with this reason and message. */
  error?: { reason: string; message: string; location?: string };
  /** totalBytesProcessed (default 1 MiB). */
  bytes?: number;
  /** Result / dry-run schema: [{name, type}]. */
  schema?: Array<{ name: string; type: string; mode?: string }>;
  /** Rows of the result (getQueryResults), as plain values in schema order. */
  rows?: unknown[][];
  /** jobs.get answers RUNNING this many times before DONE. */
  pendingPolls?: number;
  numDmlAffectedRows?: number;
}

export interface Fault {
  method?: string;
  path: RegExp;
  status: number;
  times: number;
  reason?: string;
}

interface TableState {
  resource: any;
}

interface StoredObject {
  data: Buffer;
  generation: number;
  metadata: Record<string, unknown>;
  created: string;
  updated: string;
}

interface ResumableUpload {
  bucket: string;
  name: string;
  metadata: Record<string, unknown>;
  chunks: Buffer[];
  received: number;
}

const TABLE_TYPE_DEFAULTS = { numRows: '0', numBytes: '0' };

// CRC32C, independent from the code under test.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32cOf(data: Buffer): string {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}

export class FakeGcpServer {
  readonly requests: RecordedRequest[] = [];
  readonly jobs: FakeJob[] = [];
  readonly datasets = new Map<string, any>();
  readonly tables = new Map<string, TableState>();
  readonly objects = new Map<string, StoredObject>();
  readonly buckets = new Map<string, any>();
  readonly uploads = new Map<string, ResumableUpload>();
  /** Decides the outcome of a job (undefined: success). */
  jobHandler: (job: FakeJob) => JobOutcome | undefined = () => undefined;
  /** Schemas that created tables get, by `project.dataset.table`. */
  readonly schemas = new Map<string, Array<{ name: string; type: string; mode?: string }>>();
  readonly rowCounts = new Map<string, number>();
  private readonly faults: Fault[] = [];
  private readonly jobState = new Map<string, { resource: any; outcome: JobOutcome; polls: number }>();
  private generation = 1000;
  private server!: Server;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          this.handle(req, Buffer.concat(chunks), res);
        } catch (error) {
          this.send(res, 500, { error: { code: 500, message: `fake server bug: ${(error as Error).stack}` } });
        }
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /** The next `times` requests matching `method` and `path` answer `status`. */
  failNext(fault: Partial<Fault> & { path: RegExp }): void {
    this.faults.push({ status: 503, times: 1, ...fault });
  }

  /** Jobs that really ran (not dry runs), in the order they were inserted. */
  realJobs(): FakeJob[] {
    return this.jobs.filter((j) => !j.dryRun);
  }

  addDataset(projectId: string, datasetId: string, location = 'EU'): void {
    this.datasets.set(`${projectId}.${datasetId}`, {
      kind: 'bigquery#dataset',
      id: `${projectId}:${datasetId}`,
      datasetReference: { projectId, datasetId },
      location,
    });
  }

  addBucket(name: string): void {
    this.buckets.set(name, { kind: 'storage#bucket', id: name, name, location: 'EU', storageClass: 'STANDARD' });
  }

  /** Puts an object in a bucket as if uploaded. */
  putObject(bucket: string, name: string, data: Buffer | string): void {
    this.storeObject(bucket, name, Buffer.from(data), {});
  }

  reset(): void {
    this.requests.length = 0;
    this.jobs.length = 0;
  }

  // ---------------------------------------------------------------------------------------------

  private send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(text);
  }

  private error(res: ServerResponse, status: number, reason: string, message: string): void {
    this.send(res, status, { error: { code: status, message, errors: [{ reason, message, domain: 'global' }], status: reason } });
  }

  private handle(req: IncomingMessage, raw: Buffer, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = decodeURI(url.pathname);
    const query = Object.fromEntries(url.searchParams);
    const isJson = String(req.headers['content-type'] ?? '').includes('application/json');
    let body: any;
    if (isJson && raw.length > 0) body = JSON.parse(raw.toString('utf8'));
    this.requests.push({ method, path, query, headers: req.headers, body, bodyBytes: raw.length });

    const fault = this.faults.find((f) => f.times > 0 && (!f.method || f.method === method) && f.path.test(path));
    if (fault) {
      fault.times--;
      return this.error(res, fault.status, fault.reason ?? (fault.status >= 500 ? 'backendError' : 'invalid'), `injected fault ${fault.status}`);
    }
    if (path.startsWith('/bigquery/v2/')) return this.bigquery(method, path.slice('/bigquery/v2'.length), query, body, res);
    if (path.startsWith('/upload/storage/v1/b/')) return this.upload(method, path, url, query, body, raw, req.headers, res);
    if (path.startsWith('/storage/v1/') || path.startsWith('/download/storage/v1/')) return this.storage(method, url, query, body, req.headers, res);
    this.error(res, 404, 'notFound', `no fake route for ${method} ${path}`);
  }

  // --- BigQuery ---------------------------------------------------------------------------------

  private bigquery(method: string, path: string, query: Record<string, string>, body: any, res: ServerResponse): void {
    let m: RegExpExecArray | null;
    if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)$/.exec(path)) && method === 'GET') {
      const dataset = this.datasets.get(`${m[1]}.${m[2]}`);
      return dataset ? this.send(res, 200, dataset) : this.error(res, 404, 'notFound', `Not found: Dataset ${m[1]}:${m[2]}`);
    }
    if ((m = /^\/projects\/([^/]+)\/datasets$/.exec(path)) && method === 'POST') {
      const id = body?.datasetReference?.datasetId;
      const key = `${m[1]}.${id}`;
      if (this.datasets.has(key)) return this.error(res, 409, 'duplicate', `Already Exists: Dataset ${m[1]}:${id}`);
      this.addDataset(m[1]!, id, body?.location);
      return this.send(res, 200, this.datasets.get(key));
    }
    if ((m = /^\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(path)) && method === 'GET') {
      const table = this.tables.get(`${m[1]}.${m[2]}.${m[3]}`);
      return table ? this.send(res, 200, table.resource) : this.error(res, 404, 'notFound', `Not found: Table ${m[1]}:${m[2]}.${m[3]}`);
    }
    if ((m = /^\/projects\/([^/]+)\/jobs$/.exec(path)) && method === 'POST') return this.insertJob(m[1]!, body, res);
    if ((m = /^\/projects\/([^/]+)\/jobs\/([^/]+)$/.exec(path)) && method === 'GET') {
      const state = this.jobState.get(m[2]!);
      if (!state) return this.error(res, 404, 'notFound', `Not found: Job ${m[1]}:${m[2]}`);
      if (state.resource.status.state !== 'DONE' && state.polls-- <= 0) this.finishJob(state);
      return this.send(res, 200, state.resource);
    }
    if ((m = /^\/projects\/([^/]+)\/jobs\/([^/]+)\/cancel$/.exec(path)) && method === 'POST') {
      const state = this.jobState.get(m[2]!);
      if (!state) return this.error(res, 404, 'notFound', `Not found: Job ${m[1]}:${m[2]}`);
      if (state.resource.status.state !== 'DONE') {
        state.outcome = { error: { reason: 'stopped', message: 'Job execution was cancelled: User requested cancellation' } };
        this.finishJob(state);
      }
      return this.send(res, 200, { kind: 'bigquery#jobCancelResponse', job: state.resource });
    }
    if ((m = /^\/projects\/([^/]+)\/queries\/([^/]+)$/.exec(path)) && method === 'GET') {
      const state = this.jobState.get(m[2]!);
      if (!state) return this.error(res, 404, 'notFound', `Not found: Job ${m[1]}:${m[2]}`);
      if (state.resource.status.state !== 'DONE' && state.polls-- <= 0) this.finishJob(state);
      if (state.resource.status.errorResult) {
        const e = state.resource.status.errorResult;
        return this.error(res, 400, e.reason, e.message);
      }
      return this.send(res, 200, this.queryResults(state, query));
    }
    if ((m = /^\/projects\/([^/]+)\/queries$/.exec(path)) && method === 'POST') {
      const jobId = body?.requestId ?? randomUUID();
      this.insertJob(
        m[1]!,
        { jobReference: { projectId: m[1], jobId, location: body?.location }, configuration: { query: body, dryRun: body?.dryRun, labels: body?.labels } },
        undefined,
      );
      const state = this.jobState.get(jobId)!;
      if (state.resource.status.errorResult) return this.error(res, 400, state.resource.status.errorResult.reason, state.resource.status.errorResult.message);
      return this.send(res, 200, { ...this.queryResults(state, query), kind: 'bigquery#queryResponse' });
    }
    this.error(res, 404, 'notFound', `no fake BigQuery route for ${method} ${path}`);
  }

  private insertJob(projectId: string, body: any, res: ServerResponse | undefined): void {
    const reference = body?.jobReference ?? {};
    const jobId = String(reference.jobId ?? randomUUID());
    const configuration = body?.configuration ?? {};
    const dryRun = configuration.dryRun === true;
    if (!dryRun && this.jobState.has(jobId)) {
      if (res) this.error(res, 409, 'duplicate', `Already Exists: Job ${projectId}:${reference.location ?? 'US'}.${jobId}`);
      return;
    }
    const job: FakeJob = {
      jobId,
      projectId,
      location: reference.location,
      query: String(configuration.query?.query ?? ''),
      dryRun,
      labels: configuration.labels ?? {},
      configuration,
    };
    this.jobs.push(job);
    const outcome = this.jobHandler(job) ?? {};
    const bytes = String(outcome.bytes ?? 1048576);
    const resource: any = {
      kind: 'bigquery#job',
      id: `${projectId}:${reference.location ?? 'US'}.${jobId}`,
      jobReference: { projectId, jobId, location: reference.location ?? 'US' },
      configuration,
      status: { state: 'RUNNING' },
      statistics: {
        creationTime: String(Date.now()),
        totalBytesProcessed: bytes,
        query: { totalBytesProcessed: bytes, statementType: statementType(job.query) },
      },
    };
    if (dryRun) {
      if (outcome.error) {
        if (res) this.error(res, 400, outcome.error.reason, outcome.error.message);
        return;
      }
      resource.status = { state: 'DONE' };
      if (outcome.schema) resource.statistics.query.schema = { fields: outcome.schema };
      if (res) this.send(res, 200, resource);
      return;
    }
    const state = { resource, outcome, polls: outcome.pendingPolls ?? 0 };
    this.jobState.set(jobId, state);
    if (state.polls === 0) this.finishJob(state);
    if (res) this.send(res, 200, resource);
  }

  private finishJob(state: { resource: any; outcome: JobOutcome }): void {
    const { resource, outcome } = state;
    resource.status = { state: 'DONE' };
    resource.statistics.endTime = String(Date.now());
    if (outcome.error) {
      const error = { reason: outcome.error.reason, message: outcome.error.message, location: outcome.error.location ?? 'query' };
      resource.status.errorResult = error;
      resource.status.errors = [error];
      return;
    }
    if (outcome.numDmlAffectedRows !== undefined) resource.statistics.query.numDmlAffectedRows = String(outcome.numDmlAffectedRows);
    if (outcome.schema) resource.statistics.query.schema = { fields: outcome.schema };
    this.applyDdl(resource.jobReference.projectId, resource.configuration.query?.query ?? '', resource.configuration.query?.defaultDataset);
  }

  private queryResults(state: { resource: any; outcome: JobOutcome }, query: Record<string, string>): any {
    const schema = state.outcome.schema ?? [];
    const all = state.outcome.rows ?? [];
    const rows = query.maxResults ? all.slice(0, Number(query.maxResults)) : all;
    const done = state.resource.status.state === 'DONE';
    return {
      kind: 'bigquery#getQueryResultsResponse',
      jobReference: state.resource.jobReference,
      jobComplete: done,
      ...(done
        ? {
            schema: { fields: schema },
            rows: rows.map((row) => ({ f: row.map((v) => ({ v: v === null ? null : String(v) })) })),
            totalRows: String(all.length),
          }
        : {}),
    };
  }

  /** CREATE OR REPLACE … / DROP … of the job's SQL, in order, applied to the fake's tables. */
  private applyDdl(defaultProject: string, sql: string, _defaultDataset?: unknown): void {
    const events: Array<{ at: number; kind: string; name: string; rest: string }> = [];
    for (const m of sql.matchAll(
      /CREATE\s+(?:OR\s+REPLACE\s+)?(EXTERNAL\s+TABLE|TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?`([^`]+)`([\s\S]*?)(?=\nAS \(|;\n|$)/gi,
    )) {
      events.push({ at: m.index!, kind: m[1]!.toUpperCase().replace(/\s+/g, ' '), name: m[2]!, rest: m[3]! });
    }
    for (const m of sql.matchAll(/DROP\s+(TABLE|VIEW)\s+(?:IF\s+EXISTS\s+)?`([^`]+)`/gi)) events.push({ at: m.index!, kind: 'DROP', name: m[2]!, rest: '' });
    for (const event of events.sort((a, b) => a.at - b.at)) {
      const parts = event.name.split('.');
      const full = parts.length === 3 ? event.name : `${defaultProject}.${event.name}`;
      if (event.kind === 'DROP') {
        this.tables.delete(full);
        continue;
      }
      const [projectId, datasetId, tableId] = full.split('.') as [string, string, string];
      const type = event.kind === 'VIEW' ? 'VIEW' : event.kind === 'EXTERNAL TABLE' ? 'EXTERNAL' : 'TABLE';
      const fields = [...(this.schemas.get(full) ?? declaredColumns(event.rest))];
      const resource: any = {
        kind: 'bigquery#table',
        id: `${projectId}:${datasetId}.${tableId}`,
        tableReference: { projectId, datasetId, tableId },
        type,
        schema: { fields },
        ...TABLE_TYPE_DEFAULTS,
        numRows: String(this.rowCounts.get(full) ?? 0),
      };
      if (type === 'TABLE') {
        const partition = /PARTITION BY\s+(.+)/i.exec(event.rest)?.[1]?.trim();
        if (partition) {
          const range = /^RANGE_BUCKET\((\w+), GENERATE_ARRAY\((-?\d+), (-?\d+), (\d+)\)\)$/i.exec(partition);
          const trunc = /^(DATE|TIMESTAMP|DATETIME)_TRUNC\((\w+), (\w+)\)$/i.exec(partition);
          if (range) resource.rangePartitioning = { field: range[1], range: { start: range[2], end: range[3], interval: range[4] } };
          else if (trunc) {
            resource.timePartitioning = { type: trunc[3]!.toUpperCase(), field: trunc[2] };
            if (!fields.some((f) => f.name === trunc[2])) fields.push({ name: trunc[2]!, type: trunc[1]!.toUpperCase() });
          } else {
            resource.timePartitioning = { type: 'DAY', field: partition };
            if (!fields.some((f) => f.name === partition)) fields.push({ name: partition, type: 'DATE' });
          }
        }
        const cluster = /CLUSTER BY\s+(.+)/i.exec(event.rest)?.[1];
        if (cluster) resource.clustering = { fields: cluster.split(',').map((c) => c.trim().replace(/`/g, '')) };
      }
      this.tables.set(full, { resource });
    }
  }

  // --- Cloud Storage ----------------------------------------------------------------------------

  private objectResource(bucket: string, name: string, object: StoredObject): any {
    return {
      kind: 'storage#object',
      id: `${bucket}/${name}/${object.generation}`,
      selfLink: `${this.url}/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}`,
      mediaLink: `${this.url}/download/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}?generation=${object.generation}&alt=media`,
      name,
      bucket,
      generation: String(object.generation),
      metageneration: '1',
      contentType: (object.metadata.contentType as string | undefined) ?? 'application/octet-stream',
      storageClass: 'STANDARD',
      size: String(object.data.length),
      md5Hash: createHash('md5').update(object.data).digest('base64'),
      crc32c: crc32cOf(object.data),
      etag: `CP${object.generation}`,
      timeCreated: object.created,
      updated: object.updated,
      ...(object.metadata.metadata ? { metadata: object.metadata.metadata } : {}),
    };
  }

  private storeObject(bucket: string, name: string, data: Buffer, metadata: Record<string, unknown>): StoredObject {
    const now = new Date().toISOString();
    const previous = this.objects.get(`${bucket}/${name}`);
    const object = { data, generation: ++this.generation, metadata, created: previous?.created ?? now, updated: now };
    this.objects.set(`${bucket}/${name}`, object);
    return object;
  }

  /** ifGenerationMatch / ifGenerationNotMatch: an error message when a precondition fails. */
  private precondition(bucket: string, name: string, query: Record<string, string>): string | undefined {
    const existing = this.objects.get(`${bucket}/${name}`);
    if (query.ifGenerationMatch !== undefined) {
      const wanted = Number(query.ifGenerationMatch);
      if (wanted === 0 ? existing !== undefined : existing?.generation !== wanted) return 'At least one of the pre-conditions you specified did not hold.';
    }
    if (query.ifGenerationNotMatch !== undefined && existing?.generation === Number(query.ifGenerationNotMatch))
      return 'At least one of the pre-conditions you specified did not hold.';
    return undefined;
  }

  private storage(method: string, url: URL, query: Record<string, string>, body: any, headers: IncomingHttpHeaders, res: ServerResponse): void {
    const path = url.pathname.replace(/^\/download/, '');
    let m: RegExpExecArray | null;
    if (path === '/storage/v1/b' && method === 'POST') {
      if (this.buckets.has(body?.name))
        return this.error(res, 409, 'conflict', 'Your previous request to create the named bucket succeeded and you already own it.');
      this.addBucket(body.name);
      return this.send(res, 200, this.buckets.get(body.name));
    }
    if ((m = /^\/storage\/v1\/b\/([^/]+)$/.exec(path)) && method === 'GET') {
      const bucket = this.buckets.get(m[1]!);
      return bucket ? this.send(res, 200, bucket) : this.error(res, 404, 'notFound', 'The specified bucket does not exist.');
    }
    if ((m = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(path)) && method === 'GET') {
      const bucket = m[1]!;
      if (!this.buckets.has(bucket)) return this.error(res, 404, 'notFound', 'The specified bucket does not exist.');
      const prefix = query.prefix ?? '';
      const delimiter = query.delimiter;
      const names = [...this.objects.keys()]
        .filter((k) => k.startsWith(`${bucket}/`))
        .map((k) => k.slice(bucket.length + 1))
        .filter((n) => n.startsWith(prefix))
        .sort();
      const items: string[] = [];
      const prefixes = new Set<string>();
      for (const name of names) {
        const rest = name.slice(prefix.length);
        const cut = delimiter ? rest.indexOf(delimiter) : -1;
        if (cut >= 0) prefixes.add(prefix + rest.slice(0, cut + delimiter!.length));
        else items.push(name);
      }
      const start = Number(query.pageToken ?? 0);
      const size = Number(query.maxResults ?? 1000);
      const page = items.slice(start, start + size);
      return this.send(res, 200, {
        kind: 'storage#objects',
        ...(page.length > 0 ? { items: page.map((n) => this.objectResource(bucket, n, this.objects.get(`${bucket}/${n}`)!)) } : {}),
        ...(prefixes.size > 0 && start === 0 ? { prefixes: [...prefixes] } : {}),
        ...(start + size < items.length ? { nextPageToken: String(start + size) } : {}),
      });
    }
    if ((m = /^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)\/rewriteTo\/b\/([^/]+)\/o\/([^/]+)$/.exec(path)) && method === 'POST') {
      const source = this.objects.get(`${m[1]}/${decodeURIComponent(m[2]!)}`);
      if (!source) return this.error(res, 404, 'notFound', 'No such object');
      const failed = this.precondition(m[3]!, decodeURIComponent(m[4]!), query);
      if (failed) return this.error(res, 412, 'conditionNotMet', failed);
      const copy = this.storeObject(m[3]!, decodeURIComponent(m[4]!), source.data, { ...source.metadata, ...(body ?? {}) });
      const size = String(source.data.length);
      return this.send(res, 200, {
        kind: 'storage#rewriteResponse',
        totalBytesRewritten: size,
        objectSize: size,
        done: true,
        resource: this.objectResource(m[3]!, decodeURIComponent(m[4]!), copy),
      });
    }
    if ((m = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(path))) {
      const bucket = m[1]!;
      const name = decodeURIComponent(m[2]!);
      const object = this.objects.get(`${bucket}/${name}`);
      if (method === 'DELETE') {
        if (!object) return this.error(res, 404, 'notFound', `No such object: ${bucket}/${name}`);
        const failed = this.precondition(bucket, name, query);
        if (failed) return this.error(res, 412, 'conditionNotMet', failed);
        this.objects.delete(`${bucket}/${name}`);
        res.writeHead(204);
        return void res.end();
      }
      if (method === 'GET') {
        if (!object) return this.error(res, 404, 'notFound', `No such object: ${bucket}/${name}`);
        if (query.alt !== 'media') return this.send(res, 200, this.objectResource(bucket, name, object));
        const hash = `crc32c=${crc32cOf(object.data)},md5=${createHash('md5').update(object.data).digest('base64')}`;
        const range = /^bytes=(\d+)-(\d*)$/.exec(String(headers.range ?? ''));
        const common = {
          'x-goog-hash': hash,
          'x-goog-generation': String(object.generation),
          'x-goog-stored-content-length': String(object.data.length),
          'content-type': 'application/octet-stream',
        };
        if (range) {
          const start = Number(range[1]);
          const end = range[2] ? Math.min(Number(range[2]), object.data.length - 1) : object.data.length - 1;
          res.writeHead(206, { ...common, 'content-range': `bytes ${start}-${end}/${object.data.length}`, 'content-length': String(end - start + 1) });
          return void res.end(object.data.subarray(start, end + 1));
        }
        res.writeHead(200, { ...common, 'content-length': String(object.data.length) });
        return void res.end(object.data);
      }
    }
    this.error(res, 404, 'notFound', `no fake Storage route for ${method} ${path}`);
  }

  private upload(
    method: string,
    path: string,
    url: URL,
    query: Record<string, string>,
    body: any,
    raw: Buffer,
    headers: IncomingHttpHeaders,
    res: ServerResponse,
  ): void {
    const bucket = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(path)?.[1];
    if (!bucket) return this.error(res, 404, 'notFound', `no fake upload route for ${path}`);
    if (!this.buckets.has(bucket)) return this.error(res, 404, 'notFound', 'The specified bucket does not exist.');
    if (method === 'POST' && query.uploadType === 'multipart') {
      const boundary = /boundary="?([^";]+)"?/.exec(String(headers['content-type']))?.[1];
      if (!boundary) return this.error(res, 400, 'invalid', 'multipart upload without boundary');
      const parts = splitMultipart(raw, boundary);
      const metadata = JSON.parse(parts[0]!.toString('utf8')) as Record<string, unknown>;
      const name = String(query.name ?? metadata.name);
      const failed = this.precondition(bucket, name, query);
      if (failed) return this.error(res, 412, 'conditionNotMet', failed);
      const object = this.storeObject(bucket, name, parts[1] ?? Buffer.alloc(0), metadata);
      return this.send(res, 200, this.objectResource(bucket, name, object));
    }
    if (method === 'POST' && query.uploadType === 'resumable') {
      const name = String(query.name ?? body?.name);
      const failed = this.precondition(bucket, name, query);
      if (failed) return this.error(res, 412, 'conditionNotMet', failed);
      const id = randomUUID();
      this.uploads.set(id, { bucket, name, metadata: body ?? {}, chunks: [], received: 0 });
      const location = `${this.url}/upload/storage/v1/b/${bucket}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${id}`;
      return this.send(res, 200, undefined, { location });
    }
    if (method === 'PUT' && query.upload_id) {
      const upload = this.uploads.get(query.upload_id);
      if (!upload) return this.error(res, 404, 'notFound', 'No such upload session');
      const range = /^bytes (\*|(\d+)-(\d+))\/(\*|\d+)$/.exec(String(headers['content-range'] ?? ''));
      let total: number | undefined;
      if (range) {
        total = range[4] === '*' ? undefined : Number(range[4]);
        if (range[1] !== '*') {
          const start = Number(range[2]);
          const chunk = start < upload.received ? raw.subarray(upload.received - start) : raw;
          upload.chunks.push(chunk);
          upload.received += chunk.length;
        }
      } else {
        upload.chunks.push(raw);
        upload.received += raw.length;
        total = upload.received;
      }
      if (total !== undefined && upload.received >= total) {
        this.uploads.delete(query.upload_id);
        const object = this.storeObject(upload.bucket, upload.name, Buffer.concat(upload.chunks), upload.metadata);
        return this.send(res, 200, this.objectResource(upload.bucket, upload.name, object));
      }
      res.writeHead(308, upload.received > 0 ? { range: `bytes=0-${upload.received - 1}` } : {});
      return void res.end();
    }
    this.error(res, 400, 'invalid', `unsupported upload ${method} ${url.search}`);
  }
}

function statementType(sql: string): string {
  const s = sql.trim().toUpperCase();
  if (/^(DECLARE|BEGIN)/.test(s) || /;\s*\S/.test(sql.trim())) return 'SCRIPT';
  if (s.startsWith('CREATE OR REPLACE EXTERNAL')) return 'CREATE_EXTERNAL_TABLE';
  if (s.startsWith('CREATE OR REPLACE VIEW')) return 'CREATE_VIEW';
  if (s.startsWith('CREATE OR REPLACE TABLE')) return 'CREATE_TABLE_AS_SELECT';
  if (s.startsWith('MERGE')) return 'MERGE';
  if (s.startsWith('INSERT')) return 'INSERT';
  return 'SELECT';
}

/** Columns of `(name TYPE OPTIONS(...), ...)` in a CREATE statement, when it declares them. */
function declaredColumns(rest: string): Array<{ name: string; type: string; mode?: string }> {
  // An external table's list (before its OPTIONS), or a table's (a model contract's: keys after the columns).
  const list = /^\s*\(([\s\S]*?)\)\s*OPTIONS\s*\(/i.exec(rest)?.[1] ?? /^\s*\(\n([\s\S]*?)\n\)/.exec(rest)?.[1];
  if (!list) return [];
  return list
    .split('\n')
    .map((line) => /^\s*`?(\w+)`?\s+([A-Z0-9]+)/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && !/^(PRIMARY|FOREIGN|CONSTRAINT)$/i.test(m[1]!))
    .map((m) => ({
      name: m[1]!,
      type: m[2]! === 'INT64' ? 'INTEGER' : m[2]! === 'FLOAT64' ? 'FLOAT' : m[2]! === 'BOOL' ? 'BOOLEAN' : m[2]!,
      ...(/ NOT NULL,?$/.test(m.input) ? { mode: 'REQUIRED' } : {}),
    }));
}

function splitMultipart(raw: Buffer, boundary: string): Buffer[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let at = raw.indexOf(delimiter);
  while (at !== -1) {
    const next = raw.indexOf(delimiter, at + delimiter.length);
    if (next === -1) break;
    const part = raw.subarray(at + delimiter.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      let content = part.subarray(headerEnd + 4);
      if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
      parts.push(content);
    }
    at = next;
  }
  return parts;
}

export async function startFakeGcp(): Promise<FakeGcpServer> {
  const server = new FakeGcpServer();
  await server.start();
  return server;
}
