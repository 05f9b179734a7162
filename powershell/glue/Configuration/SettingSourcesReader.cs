using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Okta.PowerShell.Native;

namespace Okta.PowerShell.Configuration;

/// <summary>
/// Fills a new default configuration from what the Okta SDKs read too — ~/.okta/okta.yaml, ./okta.yaml, then
/// OKTA_CLIENT_* variables (the core reads them: okta-core's setting_sources) — before any explicit setting of the
/// session, which then wins. Read once per runspace, when its configuration is first needed.
/// </summary>
internal static class SettingSourcesReader
{
    internal static OktaConfiguration NewDefaultConfiguration(List<string> warnings)
    {
        var configuration = new OktaConfiguration();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(NativeCore.SettingSources());
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException or OktaClientException or JsonException)
        {
            warnings.Add("Settings from okta.yaml and OKTA_CLIENT_* variables could not be read: " + exception.Message);
            return configuration;
        }
        using (document)
        {
            var root = document.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            long? Number(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

            if (Text("baseUrl") is { } url) configuration["BaseUrl"] = url;
            if (Text("apiToken") is { } token) configuration["ApiKey"] = new Hashtable { ["apitoken"] = token };
            if (Text("authorizationMode") is { } mode) configuration["AuthorizationMode"] = mode;
            if (Text("clientId") is { } clientId) configuration["ClientId"] = clientId;
            if (root.TryGetProperty("scopes", out var scopes) && scopes.ValueKind == JsonValueKind.Array)
            {
                configuration["Scope"] = string.Join(' ', scopes.EnumerateArray().Select(scope => scope.GetString()));
            }
            if (Text("privateKey") is { } key) configuration["PrivateKey"] = key;
            if (Text("privateKeyId") is { } keyId) configuration["PrivateKeyId"] = keyId;
            if (Number("requestTimeoutMs") is { } timeout) configuration["RequestTimeout"] = (int)Math.Min(timeout, int.MaxValue);
            if (Number("maxRetries") is { } retries) configuration["MaxRetries"] = (int)Math.Min(retries, int.MaxValue);
            if (Text("proxy") is { } proxy) configuration["Proxy"] = proxy;
            if (root.TryGetProperty("problems", out var problems))
            {
                foreach (var problem in problems.EnumerateArray()) warnings.Add("Okta settings: " + problem.GetString() + " (ignored).");
            }
        }
        return configuration;
    }
}
