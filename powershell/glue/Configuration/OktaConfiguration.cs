using System;
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Security;
using System.Text.Json;

namespace Okta.PowerShell.Configuration;

/// <summary>
/// The module's live configuration. It is a case-insensitive Hashtable, like the official module's,
/// so scripts that do <c>$c = Get-OktaConfiguration; $c.BaseUrl = '…'</c> or <c>$c["ApiKey"]</c> keep
/// working and the next command sees the change. Enumerating it (what Format-*, ConvertTo-Json and
/// Export-Clixml do) masks secrets, so printing the configuration never prints a token.
/// </summary>
public sealed class OktaConfiguration : Hashtable
{
    internal const string Masked = "********";

    private static readonly string[] SecretKeys = { "AccessToken", "Cookie" };
    private static readonly string[] SecretTableKeys = { "ApiKey" };

    // One configuration per runspace, like the official module's $Script:Configuration: runspaces
    // (ForEach-Object -Parallel, RunspacePool) never see each other's org or token.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Runspace, OktaConfiguration> PerRunspace = new();
    private static readonly OktaConfiguration NoRunspace = new();

    /// <summary>The configuration of the calling runspace.</summary>
    public static OktaConfiguration Current =>
        Runspace.DefaultRunspace is { } runspace ? PerRunspace.GetValue(runspace, _ => new OktaConfiguration()) : NoRunspace;

    public OktaConfiguration() : base(StringComparer.OrdinalIgnoreCase)
    {
        foreach (var key in new[] { "BaseUrl", "ClientId", "Scope", "AccessToken", "Cookie", "Proxy", "MaxRetries", "RequestTimeout" })
        {
            base[key] = null;
        }
        base["ApiKey"] = new SecretTable();
        base["ApiKeyPrefix"] = new Hashtable(StringComparer.OrdinalIgnoreCase);
        base["DefaultHeaders"] = new Hashtable(StringComparer.OrdinalIgnoreCase);
        base["SkipCertificateCheck"] = false;
    }

    /// <summary>Hashtables assigned to ApiKey are kept as <see cref="SecretTable"/> so they print masked too.</summary>
    public override object? this[object key]
    {
        get => base[key];
        set => base[key] = Wrap(key, value);
    }

    public override void Add(object key, object? value) => base.Add(key, Wrap(key, value));

    private static object? Wrap(object key, object? value)
    {
        if (key is string name && Array.Exists(SecretTableKeys, k => k.Equals(name, StringComparison.OrdinalIgnoreCase))
            && PSObjectUnwrap(value) is IDictionary table && table is not SecretTable)
        {
            var secret = new SecretTable();
            foreach (DictionaryEntry entry in table) secret[entry.Key] = entry.Value;
            return secret;
        }
        return value;
    }

    public override IDictionaryEnumerator GetEnumerator() => new MaskingEnumerator(base.GetEnumerator(), IsSecret);

    private static bool IsSecret(object key) =>
        key is string name && Array.Exists(SecretKeys, k => k.Equals(name, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => "OktaConfiguration(BaseUrl=" + (base["BaseUrl"] ?? "<not set>") + ")";

    /// <summary>
    /// The settings the Rust core needs, as the JSON object okta-core's Config deserializes.
    /// Read fresh for every request: the hashtable may have been changed in place.
    /// </summary>
    internal void WriteCoreConfig(Utf8JsonWriter json, string userAgent)
    {
        json.WriteStartObject();
        json.WriteString("baseUrl", AsString(base["BaseUrl"]) ?? string.Empty);
        WriteIfPresent(json, "apiToken", ApiToken());
        WriteIfPresent(json, "apiKeyPrefix", ApiKeyPrefix());
        WriteIfPresent(json, "accessToken", AsString(base["AccessToken"]));
        if (PSObjectUnwrap(base["DefaultHeaders"]) is IDictionary headers && headers.Count > 0)
        {
            json.WriteStartObject("defaultHeaders");
            foreach (DictionaryEntry header in headers)
            {
                json.WriteString(Convert.ToString(PSObjectUnwrap(header.Key)) ?? string.Empty, AsString(header.Value) ?? string.Empty);
            }
            json.WriteEndObject();
        }
        var timeout = AsLong(base["RequestTimeout"], "RequestTimeout");
        if (timeout > 0) json.WriteNumber("requestTimeoutMs", timeout.Value);
        var retries = AsLong(base["MaxRetries"], "MaxRetries");
        if (retries is > 0) json.WriteNumber("maxRetries", retries.Value);
        WriteIfPresent(json, "proxy", ProxyUrl());
        json.WriteBoolean("skipCertificateCheck", LanguagePrimitives.IsTrue(PSObjectUnwrap(base["SkipCertificateCheck"])));
        json.WriteString("userAgent", userAgent);
        json.WriteEndObject();
    }

    private string? ApiToken()
    {
        var apiKey = PSObjectUnwrap(base["ApiKey"]);
        return apiKey switch
        {
            IDictionary table => AsString(table["apitoken"]),
            _ => AsString(apiKey),
        };
    }

    private string? ApiKeyPrefix()
    {
        var prefix = PSObjectUnwrap(base["ApiKeyPrefix"]);
        return prefix switch
        {
            IDictionary table => AsString(table["apitoken"]),
            _ => AsString(prefix),
        };
    }

    private string? ProxyUrl()
    {
        var proxy = PSObjectUnwrap(base["Proxy"]);
        return proxy switch
        {
            null => null,
            WebProxy web => web.Address?.AbsoluteUri,
            Uri uri => uri.AbsoluteUri,
            string text when text.Length > 0 => text,
            IWebProxy other when Uri.TryCreate(AsString(base["BaseUrl"]), UriKind.Absolute, out var target)
                => other.IsBypassed(target) ? null : other.GetProxy(target)?.AbsoluteUri,
            _ => null,
        };
    }

    private static void WriteIfPresent(Utf8JsonWriter json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) json.WriteString(name, value);
    }

    internal static object? PSObjectUnwrap(object? value) => value is PSObject ps ? ps.BaseObject : value;

    private static string? AsString(object? value) => PSObjectUnwrap(value) switch
    {
        null => null,
        string s => s,
        SecureString secure => new NetworkCredential(string.Empty, secure).Password,
        var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static long? AsLong(object? value, string setting)
    {
        var raw = PSObjectUnwrap(value);
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

    /// <summary>A case-insensitive Hashtable whose enumeration masks every value (holds API keys).</summary>
    public sealed class SecretTable : Hashtable
    {
        public SecretTable() : base(StringComparer.OrdinalIgnoreCase) { }
        public override IDictionaryEnumerator GetEnumerator() => new MaskingEnumerator(base.GetEnumerator(), _ => true);
        public override string ToString() => "{" + string.Join(", ", KeysAsStrings()) + "}";
        private string[] KeysAsStrings()
        {
            var keys = new string[Count];
            var i = 0;
            foreach (var key in Keys) keys[i++] = Convert.ToString(key) + " = " + Masked;
            return keys;
        }
    }

    private sealed class MaskingEnumerator : IDictionaryEnumerator
    {
        private readonly IDictionaryEnumerator _inner;
        private readonly Func<object, bool> _isSecret;

        internal MaskingEnumerator(IDictionaryEnumerator inner, Func<object, bool> isSecret)
        {
            _inner = inner;
            _isSecret = isSecret;
        }

        public DictionaryEntry Entry => new(_inner.Key, Value);
        public object Key => _inner.Key;
        public object? Value => _inner.Value is not null && _isSecret(_inner.Key) ? Masked : _inner.Value;
        public object Current => Entry;
        public bool MoveNext() => _inner.MoveNext();
        public void Reset() => _inner.Reset();
    }
}
