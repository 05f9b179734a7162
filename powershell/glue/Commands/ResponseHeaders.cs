using System;
using System.Collections;
using System.Collections.Generic;
using System.Text.Json;

namespace Okta.PowerShell.Commands;

/// <summary>Response headers as scripts read them: <c>$r.Headers['X-Rate-Limit-Remaining']</c>.</summary>
internal static class ResponseHeaders
{
    /// <summary>[["name","value"], ...] → case-insensitive name → string[] (repeated headers kept, in order).</summary>
    internal static Hashtable From(JsonElement pairs)
    {
        var grouped = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        foreach (var pair in pairs.EnumerateArray())
        {
            var name = pair[0].GetString() ?? string.Empty;
            if (!grouped.TryGetValue(name, out var values))
            {
                grouped[name] = values = new List<string>(1);
                order.Add(name);
            }
            values.Add(pair[1].GetString() ?? string.Empty);
        }
        var headers = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var name in order) headers[name] = grouped[name].ToArray();
        return headers;
    }
}
