using System;
using System.Buffers;
using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Security;
using System.Text.Json;
using Okta.PowerShell.Internal;
using Okta.PowerShell.Native;

namespace Okta.PowerShell.Configuration;

/// <summary>
/// The module's live configuration. It behaves like the official module's hashtable (case-insensitive
/// keys, <c>$c.BaseUrl = '…'</c>, <c>$c["ApiKey"]</c>, ContainsKey), and the next command sees every
/// change. Printing, ConvertTo-Json or Export-Clixml of it mask secrets, so a token is never shown:
/// ApiKey (a table, a plain string or a SecureString, all kept as a <see cref="SecretTable"/>),
/// AccessToken, PrivateKey, Cookie, credential headers in DefaultHeaders (kept as a <see cref="HeaderTable"/>),
/// and the user:password@ of BaseUrl or Proxy.
/// </summary>
public sealed class OktaConfiguration : MaskedDictionary
{
    private static readonly string[] SecretKeys = { "AccessToken", "PrivateKey", "Cookie" };

    /// <summary>The values of AuthorizationMode, as the Okta SDKs name them (OKTA_CLIENT_AUTHORIZATIONMODE).</summary>
    public static readonly string[] AuthorizationModes = { "SSWS", "Bearer", "PrivateKey" };

    /// <summary>
    /// The configuration of the calling runspace in use (like the official module's $Script:Configuration:
    /// runspaces — ForEach-Object -Parallel, RunspacePool — never see each other's org or token), see
    /// <see cref="NamedConfigurations"/>.
    /// </summary>
    public static OktaConfiguration Current => NamedConfigurations.OfThisRunspace.Current;

    public OktaConfiguration()
    {
        this["BaseUrl"] = null;
        this["ApiKey"] = new SecretTable();
        this["ApiKeyPrefix"] = new SettingTable();
        this["AccessToken"] = null;
        this["ClientId"] = null;
        this["Scope"] = null;
        this["PrivateKey"] = null;
        this["PrivateKeyId"] = null;
        this["AuthorizationMode"] = null;
        this["UseDPoP"] = false;
        this["Cookie"] = null;
        this["DefaultHeaders"] = new HeaderTable();
        this["Proxy"] = null;
        this["MaxRetries"] = null;
        this["MaxApiCapacity"] = null;
        this["MaxConcurrency"] = null;
        this["RequestTimeout"] = null;
        this["SkipCertificateCheck"] = false;
    }

    /// <summary>
    /// Secrets are kept in masking tables however they are assigned: an ApiKey table, string or
    /// SecureString becomes a <see cref="SecretTable"/> (a string as @{ apitoken = … }, the official
    /// module's shape), and a DefaultHeaders table a <see cref="HeaderTable"/>. They are copies:
    /// change them through the configuration ($c.DefaultHeaders['X'] = …), as with the official module.
    /// </summary>
    protected override object? Store(object key, object? value)
    {
        if (key is not string name) return value;
        var raw = PSValues.Unwrap(value);
        if (name.Equals("ApiKey", StringComparison.OrdinalIgnoreCase))
        {
            switch (raw)
            {
                case SecretTable:
                    return raw;
                case IDictionary table:
                    var secret = new SecretTable();
                    foreach (DictionaryEntry entry in table) secret[entry.Key] = entry.Value;
                    return secret;
                case string or SecureString:
                    return new SecretTable { ["apitoken"] = raw };
            }
        }
        else if (name.Equals("DefaultHeaders", StringComparison.OrdinalIgnoreCase) && raw is IDictionary headers and not HeaderTable)
        {
            var table = new HeaderTable();
            foreach (DictionaryEntry entry in headers) table[entry.Key] = entry.Value;
            return table;
        }
        else if (name.Equals("ApiKeyPrefix", StringComparison.OrdinalIgnoreCase) && raw is IDictionary prefixes and not SettingTable)
        {
            var table = new SettingTable();
            foreach (DictionaryEntry entry in prefixes) table[entry.Key] = entry.Value;
            return table;
        }
        return value;
    }

    private readonly object _sessionLock = new();
    private NativeSession? _session;
    private long _sessionVersion = -1;

    /// <summary>
    /// The core's session for this configuration as it is now: opened on first use and again whenever
    /// <see cref="MaskedDictionary.Version"/> moved (any setting changed, nested tables included), closing the
    /// previous one. A session shares its org's warm connection pool, so a new token costs no new connection.
    /// Throws <see cref="OktaClientException"/> for a setting the glue can tell is unusable (MaxRetries -1…);
    /// one only the core can judge (an empty BaseUrl) gives a session that answers every call with that error.
    /// Not tracked: in-place changes inside other mutable values (an ArrayList Scope, a SecureString, a key
    /// file's contents); assigning the setting again is noticed.
    /// </summary>
    internal NativeSession Session()
    {
        lock (_sessionLock)
        {
            var version = Version;
            if (_session is not null && _sessionVersion == version) return _session;
            var buffer = new ArrayBufferWriter<byte>(512);
            using (var json = new Utf8JsonWriter(buffer))
            {
                WriteCoreConfig(json, Commands.RequestBuilder.UserAgent);
            }
            var opened = NativeSession.Open(buffer.WrittenSpan);
            var previous = _session;
            _session = opened;
            _sessionVersion = version;
            // closed now unless a call still holds it (then when that call ends)
            previous?.Dispose();
            return opened;
        }
    }

    protected override bool IsSecret(object key) =>
        key is string name && Array.Exists(SecretKeys, k => k.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Besides the secret settings, any URL shown (BaseUrl, Proxy) has its user:password@ masked.</summary>
    protected override object? Shown(object key, object? value)
    {
        if (value is null) return null;
        if (IsSecret(key)) return Masked;
        return PSValues.Unwrap(value) switch
        {
            string text => Secrets.RedactUrls(text),
            Uri uri => Secrets.RedactUrls(uri.OriginalString),
            IWebProxy proxy => Secrets.DescribeProxy(proxy),
            _ => value,
        };
    }

    public override string ToString() =>
        "OktaConfiguration(BaseUrl=" + (this["BaseUrl"] is { } url ? Secrets.RedactUrls(AsString(url) ?? string.Empty) : "<not set>") + ")";

    /// <summary>
    /// Why a value cannot be the Proxy setting, or null when it can (null and "" mean no proxy).
    /// Accepted: an absolute http, https or socks5 URL (string or Uri), or an IWebProxy. The message
    /// never repeats a password.
    /// </summary>
    public static string? ProxyProblem(object? value)
    {
        var raw = PSValues.Unwrap(value);
        string? text = raw switch
        {
            null => null,
            string s => s.Trim(),
            Uri uri => uri.OriginalString,
            IWebProxy => null,
            _ => Convert.ToString(raw, System.Globalization.CultureInfo.InvariantCulture),
        };
        if (raw is null or IWebProxy || text is { Length: 0 } && raw is string) return null;
        if (raw is not (string or Uri))
        {
            return $"The Proxy setting must be a proxy URL (a string or a System.Uri) or a System.Net.WebProxy, not the {raw.GetType().Name} '{Secrets.RedactUrls(text ?? string.Empty)}'.";
        }
        if (Uri.TryCreate(text, UriKind.Absolute, out var url)
            && url.Scheme is "http" or "https" or "socks5" or "socks5h" && url.Host.Length > 0)
        {
            return null;
        }
        return $"The Proxy setting '{Secrets.RedactUrls(text ?? string.Empty)}' is not a proxy URL: use an absolute URL such as http://proxy.example.com:3128.";
    }

    /// <summary>
    /// The settings the Rust core needs, as the JSON object okta-ffi's configuration reads (see its wire module).
    /// Written when a session is opened for a new version of this configuration.
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
            // Through the indexer: enumerating a HeaderTable gives the masked values.
            foreach (var name in headers.Keys)
            {
                json.WriteString(Convert.ToString(PSValues.Unwrap(name)) ?? string.Empty, AsString(headers[name!]) ?? string.Empty);
            }
            json.WriteEndObject();
        }
        var timeout = AsLong(this["RequestTimeout"], "RequestTimeout");
        if (timeout > 0) json.WriteNumber("requestTimeoutMs", timeout.Value);
        var retries = AsLong(this["MaxRetries"], "MaxRetries");
        if (retries < 0)
        {
            throw new OktaClientException(OktaClientErrorKind.Configuration,
                $"The configuration setting MaxRetries must be 0 or more, not {retries}.");
        }
        // 0 is sent too: it means "no retries" (unset means the core's default, 4)
        if (retries is not null) json.WriteNumber("maxRetries", retries.Value);
        var capacity = AsLong(this["MaxApiCapacity"], "MaxApiCapacity");
        if (capacity is not null) json.WriteNumber("maxApiCapacity", capacity.Value);
        var concurrency = AsLong(this["MaxConcurrency"], "MaxConcurrency");
        if (concurrency is > 0) json.WriteNumber("maxConcurrency", concurrency.Value);
        WriteIfPresent(json, "proxy", ProxyUrl());
        json.WriteBoolean("skipCertificateCheck", LanguagePrimitives.IsTrue(PSValues.Unwrap(this["SkipCertificateCheck"])));
        json.WriteString("userAgent", userAgent);
        WriteOAuth(json);
        json.WriteEndObject();
    }

    /// <summary>
    /// The OAuth settings (see okta-core's auth module for their precedence): clientId, scopes, privateKey (PEM or
    /// JWK JSON, whatever form it was given in), privateKeyId, authorizationMode, useDpop.
    /// </summary>
    private void WriteOAuth(Utf8JsonWriter json)
    {
        WriteIfPresent(json, "clientId", AsString(this["ClientId"])?.Trim());
        var scopes = Scopes();
        if (scopes.Count > 0)
        {
            json.WriteStartArray("scopes");
            foreach (var scope in scopes) json.WriteStringValue(scope);
            json.WriteEndArray();
        }
        WriteIfPresent(json, "privateKey", PrivateKeyText.Normalize(this["PrivateKey"]));
        WriteIfPresent(json, "privateKeyId", AsString(this["PrivateKeyId"])?.Trim());
        if (AuthorizationMode() is { } mode) json.WriteString("authorizationMode", mode);
        if (LanguagePrimitives.IsTrue(PSValues.Unwrap(this["UseDPoP"]))) json.WriteBoolean("useDpop", true);
    }

    /// <summary>Scope as a string ("okta.users.read okta.groups.read", spaces or commas) or a list of strings.</summary>
    private System.Collections.Generic.List<string> Scopes()
    {
        var scopes = new System.Collections.Generic.List<string>();
        void Add(object? item)
        {
            var text = AsString(item);
            if (text is null) return;
            foreach (var scope in text.Split(new[] { ' ', ',', '\t', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries)) scopes.Add(scope);
        }
        switch (PSValues.Unwrap(this["Scope"]))
        {
            case null:
                break;
            case string text:
                Add(text);
                break;
            case IEnumerable list:
                foreach (var item in list) Add(item);
                break;
            case var other:
                Add(other);
                break;
        }
        return scopes;
    }

    private string? AuthorizationMode()
    {
        var text = AsString(this["AuthorizationMode"])?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        foreach (var mode in AuthorizationModes)
        {
            if (mode.Equals(text, StringComparison.OrdinalIgnoreCase)) return mode;
        }
        throw new OktaClientException(OktaClientErrorKind.Configuration,
            $"The configuration setting AuthorizationMode must be SSWS, Bearer or PrivateKey, not '{Secrets.RedactUrls(text)}'.", "AuthorizationMode");
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
        if (ProxyProblem(proxy) is { } problem) throw new OktaClientException(OktaClientErrorKind.Configuration, problem);
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
                $"The configuration setting {setting} must be a whole number, not '{Secrets.RedactUrls(Convert.ToString(raw) ?? string.Empty)}'.");
        }
    }
}
