"""Runs Okta's official Python SDK (okta 3.4.x) against okta-sim: python python-smoke.py URL TOKEN"""
import asyncio, os, sys
os.environ["OKTA_TESTING_TESTINGDISABLEHTTPSCHECK"] = "true"
from okta.client import Client as OktaClient
from okta.pagination import paginate_all

async def main(url, token):
    async with OktaClient({"orgUrl": url, "token": token}) as client:
        users = [u async for u in paginate_all(client.list_users, limit=100)]
        print("listed", len(users))
        body = {"profile": {"firstName": "Py", "lastName": "Thon", "email": "py@example.com", "login": "py@example.com"},
                "credentials": {"password": {"value": "Passw0rd!!x"}}}
        u, _, err = await client.create_user(body)
        assert err is None, err
        print("created", u.id, u.status)
        await client.suspend_user(u.id)
        u, _, _ = await client.get_user("py@example.com")
        print("suspended", u.status)
        _, _, err = await client.get_user("nobody@example.com")
        print("404", err)
        logs, _, err = await client.list_log_events()
        print("logs", len(logs), err)

asyncio.run(main(sys.argv[1], sys.argv[2]))
