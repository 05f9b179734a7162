// Smoke test of the official Node SDK against okta-sim: node smoke.js URL TOKEN
const okta = require('@okta/okta-sdk-nodejs');
const [url, token] = process.argv.slice(2);
(async () => {
  const client = new okta.Client({ orgUrl: url, token, cacheMiddleware: null,
    requestExecutor: new okta.DefaultRequestExecutor({ maxRetries: 2 }) });
  let n = 0;
  const users = await client.userApi.listUsers({ limit: 50 });
  await users.each(() => { n++; });
  console.log('listed', n);
  const u = await client.userApi.createUser({ body: { profile: { firstName: 'No', lastName: 'De', email: 'node@example.com', login: 'node@example.com' },
    credentials: { password: { value: 'Passw0rd!!x' } } }, activate: true });
  console.log('created', u.id, u.status);
  const g = await client.userApi.getUser({ userId: 'node@example.com' });
  console.log('got', g.profile.login);
  await client.userApi.suspendUser({ userId: u.id });
  console.log('suspended', (await client.userApi.getUser({ userId: u.id })).status);
  try { await client.userApi.getUser({ userId: 'nobody@example.com' }); } catch (e) { console.log('404', e.status, e.errorCode); }
  let gcount = 0; await (await client.groupApi.listGroups()).each(() => { gcount++; });
  console.log('groups', gcount);
  await client.userApi.deleteUser({ userId: u.id });
  await client.userApi.deleteUser({ userId: u.id });
  try { await client.userApi.getUser({ userId: u.id }); } catch (e) { console.log('deleted', e.status); }
  let logs = 0; await (await client.systemLogApi.listLogEvents({ limit: 5 })).each(() => { logs++; if (logs >= 8) return false; });
  console.log('logs', logs);
})().catch(e => { console.error('FAILED', e); process.exit(1); });
