using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.Json;
using Okta.PowerShell.Configuration;
using Okta.PowerShell.Native;

namespace Okta.PowerShell.Commands;

/// <summary>
/// Tab completion of the main ids from the org: -UserId by login or name, -GroupId by name, -AppId by label, ...
/// through the list endpoint's search (<c>q</c>), inserting the id and showing what it names. The prompt must never
/// hang on the network: one request, at most ~1 s, no retries, and a small per-runspace cache (60 s) so repeated
/// Tabs are instant. Without a configured org, or on any failure, it offers nothing.
/// </summary>
public sealed class OktaIdCompleter : IArgumentCompleter
{
    private const int TimeoutMs = 1000;
    private const int MaxResults = 20;
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(60);

    /// <summary>How to list each kind of id: the list path, whether it searches with q (else filtered here), and the label.</summary>
    private sealed record Lister(string Path, bool ServerSearch, Func<JsonElement, string?> Label);

    private static readonly Dictionary<string, Lister> Listers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UserId"] = new("/api/v1/users", true, item => Text(item, "profile", "login")),
        ["GroupId"] = new("/api/v1/groups", true, item => Text(item, "profile", "name")),
        ["AppId"] = new("/api/v1/apps", true, item => Text(item, "label")),
        ["AuthServerId"] = new("/api/v1/authorizationServers", true, item => Text(item, "name")),
        ["IdpId"] = new("/api/v1/idps", true, item => Text(item, "name")),
        ["BrandId"] = new("/api/v1/brands", true, item => Text(item, "name")),
        ["InlineHookId"] = new("/api/v1/inlineHooks", false, item => Text(item, "name")),
    };

    // (runspace configuration, parameter, prefix) -> answers, per process; entries expire after CacheFor
    private static readonly ConcurrentDictionary<(OktaConfiguration, string, string), (DateTime At, List<(string Id, string Label)> Items)> Cache = new();

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        if (!Listers.TryGetValue(parameterName, out var lister)) return Array.Empty<CompletionResult>();
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var configuration = ConfigurationFor(fakeBoundParameters);
        if (configuration is null || configuration["BaseUrl"] is not string { Length: > 0 }) return Array.Empty<CompletionResult>();
        var key = (configuration, parameterName.ToLowerInvariant(), prefix.ToLowerInvariant());
        if (!Cache.TryGetValue(key, out var cached) || DateTime.UtcNow - cached.At > CacheFor)
        {
            cached = (DateTime.UtcNow, Fetch(configuration, lister, prefix));
            Cache[key] = cached;
        }
        var results = new List<CompletionResult>();
        foreach (var (id, label) in cached.Items)
        {
            results.Add(new CompletionResult(id, string.IsNullOrEmpty(label) ? id : $"{label} ({id})", CompletionResultType.ParameterValue, label ?? id));
        }
        return results;
    }

    private static OktaConfiguration? ConfigurationFor(IDictionary fakeBoundParameters)
    {
        var named = fakeBoundParameters?["Configuration"] as string;
        return NamedConfigurations.OfThisRunspace.Get(named);
    }

    private static List<(string Id, string Label)> Fetch(OktaConfiguration configuration, Lister lister, string prefix)
    {
        var found = new List<(string, string)>();
        try
        {
            var query = new List<OktaParameter>();
            var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["limit"] = lister.ServerSearch ? MaxResults : 200 };
            query.Add(new OktaParameter("limit", ParameterIn.Query, "limit"));
            if (lister.ServerSearch && prefix.Length > 0)
            {
                values["q"] = prefix;
                query.Add(new OktaParameter("q", ParameterIn.Query, "q"));
            }
            var operation = new OktaOperation("completion", "GET", lister.Path, query.ToArray());
            var request = new RequestBuilder(operation, values) { Configuration = Quick(configuration) };
            var requestId = NativeCore.NewRequestId();
            using var response = NativeCore.Send(request.Session, request.Envelope().WrittenSpan.ToArray(), Array.Empty<byte>(), requestId);
            using var meta = JsonDocument.Parse(response.Meta.ToArray());
            if (meta.RootElement.TryGetProperty("error", out _)) return found;
            using var body = JsonDocument.Parse(response.Body.ToArray());
            if (body.RootElement.ValueKind != JsonValueKind.Array) return found;
            foreach (var item in body.RootElement.EnumerateArray())
            {
                if (Text(item, "id") is not { } id) continue;
                var label = lister.Label(item) ?? string.Empty;
                if (!lister.ServerSearch && prefix.Length > 0 && !label.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
                found.Add((id, label));
                if (found.Count == MaxResults) break;
            }
        }
        catch (Exception exception) when (exception is OktaClientException or JsonException or DllNotFoundException)
        {
            Debug.WriteLine("Okta id completion failed: " + exception.Message); // Tab offers nothing; the prompt goes on
        }
        return found;
    }

    /// <summary>The same org and credentials, but one attempt of at most a second: completion must not hang the prompt.</summary>
    private static OktaConfiguration Quick(OktaConfiguration configuration)
    {
        var copy = new OktaConfiguration();
        foreach (var key in new[] { "BaseUrl", "ApiKey", "ApiKeyPrefix", "AccessToken", "ClientId", "Scope", "Cookie", "DefaultHeaders", "Proxy", "SkipCertificateCheck", "PrivateKey", "PrivateKeyId", "AuthorizationMode", "UseDPoP" })
        {
            if (configuration.ContainsKey(key)) copy[key] = configuration[key];
        }
        copy["RequestTimeout"] = TimeoutMs;
        copy["MaxRetries"] = 0;
        return copy;
    }

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
        }
        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}
