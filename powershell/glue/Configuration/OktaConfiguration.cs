using System;
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Security;
using System.Text.Json;
using Okta.PowerShell.Internal;

namespace Okta.PowerShell.Configuration;

/// <summary>
/// The module's live configuration. It behaves like the official module's hashtable (case-insensitive
/// keys, <c>$c.BaseUrl = '…'</c>, <c>$c["ApiKey"]</c>, ContainsKey), and the next command sees every
/// change. Printing, ConvertTo-Json or Export-Clixml of it mask secrets, so a token is never shown.
/// </summary>
public sealed class OktaConfiguration : MaskedDictionary
{
    private static readonly string[] SecretKeys = { "AccessToken", "Cookie" };

    // One configuration per runspace, like the official module's $Script:Configuration: runspaces
    // (ForEach-Object -Parallel, RunspacePool) never see each other's org or token.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Runspace, OktaConfiguration> PerRunspace = new();
    private static readonly OktaConfiguration NoRunspace = new();

    /// <summary>The configuration of the calling runspace.</summary>
    public static OktaConfiguration Current =>
        Runspace.DefaultRunspace is { } runspace ? PerRunspace.GetValue(runspace, _ => new OktaConfiguration()) : NoRunspace;

    public OktaConfiguration()
    {
        this["BaseUrl"] = null;
        this["ApiKey"] = new SecretTable();
        this["ApiKeyPrefix"] = new Hashtable(StringComparer.OrdinalIgnoreCase);
        this["AccessToken"] = null;
        this["ClientId"] = null;
        this["Scope"] = null;
        this["Cookie"] = null;
        this["DefaultHeaders"] = new Hashtable(StringComparer.OrdinalIgnoreCase);
        this["Proxy"] = null;
        this["MaxRetries"] = null;
        this["RequestTimeout"] = null;
        this["SkipCertificateCheck"] = false;
    }

    /// <summary>Dictionaries assigned to ApiKey are kept as <see cref="SecretTable"/> so they print masked too.</summary>
    protected override object? Store(object key, object? value)
    {
        if (key is string name && name.Equals("ApiKey", StringComparison.OrdinalIgnoreCase)
            && PSValues.Unwrap(value) is IDictionary table && table is not SecretTable)
        {
            var secret = new SecretTable();
            foreach (DictionaryEntry entry in table) secret[entry.Key] = entry.Value;
            return secret;
        }
        return value;
    }

    protected override bool IsSecret(object key) =>
        key is string name && Array.Exists(SecretKeys, k => k.Equals(name, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => "OktaConfiguration(BaseUrl=" + (this["BaseUrl"] ?? "<not set>") + ")";

    /// <summary>
    /// The settings the Rust core needs, as the JSON object okta-core's Config deserializes.
    /// Read fresh for every request: the hashtable may have been changed in place.
    /// </summary>
    internal void WriteCoreConfig(Utf8JsonWriter json, string userAgent)
    {
        json.WriteStartObject();
        json.WriteString("baseUrl", AsString(this["BaseUrl"]) ?? string.Empty);
        WriteIfPresent(json, "apiToken", ApiToken());
        WriteIfPresent(json, "apiKeyPrefix", ApiKeyPrefix());
        WriteIfPresent(json, "accessToken", AsString(this["AccessToken"]));
        if (PSValues.Unwrap(this["DefaultHeaders"]) is IDictionary headers && headers.Count > 0)
        {
            json.WriteStartObject("defaultHeaders");
            foreach (DictionaryEntry header in headers)
            {
                json.WriteString(Convert.ToString(PSValues.Unwrap(header.Key)) ?? string.Empty, AsString(header.Value) ?? string.Empty);
            }
            json.WriteEndObject();
        }
        var timeout = AsLong(this["RequestTimeout"], "RequestTimeout");
        if (timeout > 0) json.WriteNumber("requestTimeoutMs", timeout.Value);
        var retries = AsLong(this["MaxRetries"], "MaxRetries");
        if (retries is > 0) json.WriteNumber("maxRetries", retries.Value);
        WriteIfPresent(json, "proxy", ProxyUrl());
        json.WriteBoolean("skipCertificateCheck", LanguagePrimitives.IsTrue(PSValues.Unwrap(this["SkipCertificateCheck"])));
        json.WriteString("userAgent", userAgent);
        json.WriteEndObject();
    }

    private string? ApiToken()
    {
        var apiKey = PSValues.Unwrap(this["ApiKey"]);
        return apiKey switch
        {
            IDictionary table => AsString(table["apitoken"]),
            _ => AsString(apiKey),
        };
    }

    private string? ApiKeyPrefix()
    {
        var prefix = PSValues.Unwrap(this["ApiKeyPrefix"]);
        return prefix switch
        {
            IDictionary table => AsString(table["apitoken"]),
            _ => AsString(prefix),
        };
    }

    private string? ProxyUrl()
    {
        var proxy = PSValues.Unwrap(this["Proxy"]);
        return proxy switch
        {
            null => null,
            WebProxy web => web.Address?.AbsoluteUri,
            Uri uri => uri.AbsoluteUri,
            string text when text.Length > 0 => text,
            IWebProxy other when Uri.TryCreate(AsString(this["BaseUrl"]), UriKind.Absolute, out var target)
                => other.IsBypassed(target) ? null : other.GetProxy(target)?.AbsoluteUri,
            _ => null,
        };
    }

    private static void WriteIfPresent(Utf8JsonWriter json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) json.WriteString(name, value);
    }

    private static string? AsString(object? value) => PSValues.Unwrap(value) switch
    {
        null => null,
        string s => s,
        SecureString secure => new NetworkCredential(string.Empty, secure).Password,
        var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static long? AsLong(object? value, string setting)
    {
        var raw = PSValues.Unwrap(value);
        if (raw is null || raw is string { Length: 0 }) return null;
        try
        {
            return Convert.ToInt64(raw, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new OktaClientException(OktaClientErrorKind.Configuration,
                $"The configuration setting {setting} must be a whole number, not '{raw}'.");
        }
    }
}
