// The .NET floor: a raw HttpClient loop against okta-sim, compiled into the benchmark process with Add-Type.
// One SocketsHttpHandler (pooled keep-alive connections), no parsing beyond what a client must do.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text.Json;

public static class OktaBenchHttpFloor
{
    static readonly HttpClient Client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) });

    static HttpRequestMessage Request(string url, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Authorization", "SSWS " + token);
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        return request;
    }

    /// Per-call milliseconds of `calls` GETs after `warmup` untimed ones; the body is read to the end.
    public static double[] Get(string url, string token, int warmup, int calls)
    {
        var samples = new double[calls];
        for (int i = 0; i < warmup + calls; i++)
        {
            long started = Stopwatch.GetTimestamp();
            using (var response = Client.Send(Request(url, token)))
            {
                response.EnsureSuccessStatusCode();
                response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            }
            if (i >= warmup) samples[i - warmup] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        return samples;
    }

    /// Follows rel="next" from the first URL; each page parsed with JsonDocument. Returns {count, pages, ms}.
    public static double[] List(string firstUrl, string token)
    {
        long started = Stopwatch.GetTimestamp();
        string url = firstUrl;
        long count = 0, pages = 0;
        while (url != null)
        {
            using var response = Client.Send(Request(url, token));
            response.EnsureSuccessStatusCode();
            var bytes = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            using (var doc = JsonDocument.Parse(bytes)) count += doc.RootElement.GetArrayLength();
            pages++;
            url = null;
            if (response.Headers.TryGetValues("Link", out var links))
            {
                foreach (var part in links.SelectMany(l => l.Split(',')))
                {
                    if (!part.Contains("rel=\"next\"")) continue;
                    int a = part.IndexOf('<'), b = part.IndexOf('>');
                    url = part.Substring(a + 1, b - a - 1);
                }
            }
        }
        return new double[] { count, pages, Stopwatch.GetElapsedTime(started).TotalMilliseconds };
    }
}
