// Okta's Node SDK (@okta/okta-sdk-nodejs) as a benchmark peer: one client, no cache, the SDK's own retries.
//   node node-peer.js <mode> <orgUrl> <token> '<json options>'
// Prints one JSON line with the measurements (the harness computes medians and ratios).
const path = require('path');
const okta = require(require.resolve('@okta/okta-sdk-nodejs', { paths: [process.env.OKTA_BENCH_NODE_MODULES || path.join(__dirname, 'node_modules')] }));
const [mode, orgUrl, token, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson || '{}');
const client = new okta.Client({
  orgUrl, token, cacheMiddleware: null,
  requestExecutor: new okta.DefaultRequestExecutor({ maxRetries: options.maxRetries ?? 10 }),
});
const now = () => Number(process.hrtime.bigint()) / 1e6;
const rssMiB = () => process.memoryUsage().rss / 1048576;

async function getMode() {
  const samples = [];
  for (let i = 0; i < options.warmup + options.calls; i++) {
    const started = now();
    await client.userApi.getUser({ userId: options.userId });
    if (i >= options.warmup) samples.push(now() - started);
  }
  return { samplesMs: samples };
}

async function listMode() {
  const started = now();
  let count = 0;
  const memory = [];
  const kept = [];
  const collection = await client.userApi.listUsers({ limit: options.limit });
  await collection.each((user) => {
    count++;
    if (options.keep) kept.push(user);   // as a script that keeps what it listed
    if (options.sampleEvery && count % options.sampleEvery === 0) memory.push({ users: count, mib: rssMiB() });
  });
  return { count, ms: now() - started, memory };
}

async function createMode() {
  // Sequential creates, as a scripter writes them; the SDK retries 429s itself.
  const started = now();
  let created = 0, errors = 0;
  const messages = {};
  for (let i = 0; i < options.count; i++) {
    const login = `${options.prefix}${i}@example.com`;
    try {
      await client.userApi.createUser({ body: { profile: { firstName: 'Bench', lastName: 'Node', email: login, login } }, activate: false });
      created++;
    } catch (e) { errors++; const k = String(e.status || e.message).slice(0, 80); messages[k] = (messages[k] || 0) + 1; }
  }
  return { created, errors, messages, ms: now() - started };
}

async function parallelMode() {
  // `workers` concurrent loops for `seconds`: three reads, then one partial update of the worker's own user.
  const deadline = now() + options.seconds * 1000;
  const ops = new Array(options.workers).fill(0);
  const errors = new Array(options.workers).fill(0);
  await Promise.all(ops.map(async (_, w) => {
    const own = options.userIds[w % options.userIds.length];
    let i = 0;
    while (now() < deadline) {
      try {
        if (i % 4 === 3) await client.userApi.updateUser({ userId: own, user: { profile: { nickName: `n${w}-${i}` } } });
        else await client.userApi.getUser({ userId: options.userIds[(w + i) % options.userIds.length] });
        ops[w]++;
      } catch (e) { errors[w]++; }
      i++;
    }
  }));
  return { ops, errors };
}

const modes = { get: getMode, list: listMode, create: createMode, parallel: parallelMode };
modes[mode]().then(r => { console.log(JSON.stringify(r)); }, e => { console.error('FAILED', e && (e.stack || e)); process.exit(1); });
