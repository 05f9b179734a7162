"""Okta's Python SDK (okta 3.4.x) as a benchmark peer: one OktaClient session, no cache, the SDK's own retries.

    python python-peer.py <mode> <orgUrl> <token> '<json options>'

Prints one JSON line with the measurements (the harness computes medians and ratios). Importing okta.client
takes seconds, so it happens before any clock starts.
"""
import asyncio, json, os, sys, time

os.environ["OKTA_TESTING_TESTINGDISABLEHTTPSCHECK"] = "true"  # the simulator speaks plain http on loopback
from okta.client import Client as OktaClient  # noqa: E402
from okta.pagination import paginate_all  # noqa: E402


def now_ms():
    return time.perf_counter() * 1000.0


def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576


async def get_mode(client, o):
    samples = []
    for i in range(o["warmup"] + o["calls"]):
        started = now_ms()
        _, _, err = await client.get_user(o["userId"])
        if err:
            raise RuntimeError(err)
        if i >= o["warmup"]:
            samples.append(now_ms() - started)
    return {"samplesMs": samples}


async def list_mode(client, o):
    started = now_ms()
    memory = []
    count = 0
    if o.get("sampleEvery"):
        # Streaming: paginate_all is an async generator, one page held at a time.
        async for _ in paginate_all(client.list_users, limit=o["limit"]):
            count += 1
            if count % o["sampleEvery"] == 0:
                memory.append({"users": count, "mib": rss_mib()})
    else:
        users = [u async for u in paginate_all(client.list_users, limit=o["limit"])]
        count = len(users)
    return {"count": count, "ms": now_ms() - started, "memory": memory}


async def create_mode(client, o):
    started = now_ms()
    created = errors = 0
    messages = {}
    for i in range(o["count"]):
        login = f"{o['prefix']}{i}@example.com"
        body = {"profile": {"firstName": "Bench", "lastName": "Python", "email": login, "login": login}}
        _, _, err = await client.create_user(body, activate=False)
        if err:
            errors += 1
            key = str(err)[:80]
            messages[key] = messages.get(key, 0) + 1
        else:
            created += 1
    return {"created": created, "errors": errors, "messages": messages, "ms": now_ms() - started}


async def parallel_mode(client, o):
    deadline = now_ms() + o["seconds"] * 1000
    ids = o["userIds"]
    ops = [0] * o["workers"]
    errors = [0] * o["workers"]

    async def worker(w):
        own = ids[w % len(ids)]
        i = 0
        while now_ms() < deadline:
            if i % 4 == 3:
                _, _, err = await client.update_user(own, {"profile": {"nickName": f"n{w}-{i}"}})
            else:
                _, _, err = await client.get_user(ids[(w + i) % len(ids)])
            if err:
                errors[w] += 1
            else:
                ops[w] += 1
            i += 1

    await asyncio.gather(*(worker(w) for w in range(o["workers"])))
    return {"ops": ops, "errors": errors}


async def main(mode, url, token, o):
    config = {"orgUrl": url, "token": token, "cache": {"enabled": False},
              "rateLimit": {"maxRetries": o.get("maxRetries", 10)}}
    async with OktaClient(config) as client:
        modes = {"get": get_mode, "list": list_mode, "create": create_mode, "parallel": parallel_mode}
        print(json.dumps(await modes[mode](client, o)))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4] if len(sys.argv) > 4 else "{}")))
