using System;
using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Management.Automation;
using System.Security;
using Okta.PowerShell.Configuration;
using Okta.PowerShell.Internal;

namespace Okta.PowerShell.Commands.Client;

// The small helpers the official module 2.0.2 exports besides its API and model commands. Scripts written for it
// call some of them (Set-OktaConfigurationApiKey, Get-OktaHostSetting...), so they exist with the same names and
// parameters and work on this module's live configuration. Three official names are not verb-noun
// (ShouldRetry, CalculateDelay, AddRetryHeaders): a compiled command needs one, so they are aliases of one.

/// <summary>Set-OktaConfigurationAccessToken: the OAuth access token (Bearer; wins over the API token).</summary>
[Cmdlet(VerbsCommon.Set, "OktaConfigurationAccessToken")]
public sealed class SetOktaConfigurationAccessTokenCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    [AllowNull, AllowEmptyString]
    public string? AccessToken { get; set; }

    protected override void ProcessRecord() => OktaConfiguration.Current["AccessToken"] = AccessToken;
}

/// <summary>Set-OktaConfigurationMaxRetries.</summary>
[Cmdlet(VerbsCommon.Set, "OktaConfigurationMaxRetries")]
public sealed class SetOktaConfigurationMaxRetriesCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    public int MaxRetries { get; set; }

    protected override void ProcessRecord()
    {
        if (MaxRetries < 0)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, $"-MaxRetries must be 0 or more, not {MaxRetries}."),
                "InvalidMaxRetries", ErrorCategory.InvalidArgument, MaxRetries));
        }
        OktaConfiguration.Current["MaxRetries"] = MaxRetries;
    }
}

/// <summary>Set-OktaConfigurationRequestTimeout (milliseconds; 0 = none).</summary>
[Cmdlet(VerbsCommon.Set, "OktaConfigurationRequestTimeout")]
public sealed class SetOktaConfigurationRequestTimeoutCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    public int RequestTimeout { get; set; }

    protected override void ProcessRecord() => OktaConfiguration.Current["RequestTimeout"] = RequestTimeout;
}

/// <summary>Set-OktaConfigurationApiKey -Id apitoken -ApiKey token.</summary>
[Cmdlet(VerbsCommon.Set, "OktaConfigurationApiKey")]
public sealed class SetOktaConfigurationApiKeyCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    public string? Id { get; set; }

    [Parameter(Position = 1)]
    [AllowEmptyString]
    public string? ApiKey { get; set; }

    protected override void ProcessRecord() => SetEntry(OktaConfiguration.Current, "ApiKey", Id, ApiKey);

    internal static void SetEntry(OktaConfiguration configuration, string setting, string? key, object? value)
    {
        if (PSValues.Unwrap(configuration[setting]) is not IDictionary table)
        {
            table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        }
        table[key ?? string.Empty] = value;
        // assigned back: the configuration keeps secrets in its masking tables, whatever was there before
        configuration[setting] = table;
    }
}

/// <summary>Set-OktaConfigurationApiKeyPrefix -Id apitoken -ApiKeyPrefix SSWS.</summary>
[Cmdlet(VerbsCommon.Set, "OktaConfigurationApiKeyPrefix")]
public sealed class SetOktaConfigurationApiKeyPrefixCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    public string? Id { get; set; }

    [Parameter(Position = 1)]
    [AllowEmptyString]
    public string? ApiKeyPrefix { get; set; }

    protected override void ProcessRecord() => SetOktaConfigurationApiKeyCommand.SetEntry(OktaConfiguration.Current, "ApiKeyPrefix", Id, ApiKeyPrefix);
}

/// <summary>Set-OktaConfigurationDefaultHeader -Key X -Value Y.</summary>
[Cmdlet(VerbsCommon.Set, "OktaConfigurationDefaultHeader")]
public sealed class SetOktaConfigurationDefaultHeaderCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    public string? Key { get; set; }

    [Parameter(Position = 1)]
    [AllowEmptyString]
    public string? Value { get; set; }

    protected override void ProcessRecord() => SetOktaConfigurationApiKeyCommand.SetEntry(OktaConfiguration.Current, "DefaultHeaders", Key, Value);
}

/// <summary>Get-OktaHostSetting: the org URL template, as the official module describes its server.</summary>
[Cmdlet(VerbsCommon.Get, "OktaHostSetting")]
[OutputType(typeof(Hashtable[]))]
public sealed class GetOktaHostSettingCommand : PSCmdlet
{
    internal static Hashtable[] Settings() => new[]
    {
        new Hashtable
        {
            ["Url"] = "https://{yourOktaDomain}",
            ["Description"] = "Your Okta org",
            ["Variables"] = new Hashtable
            {
                ["yourOktaDomain"] = new Hashtable
                {
                    ["Description"] = "The domain of your org: a subdomain of okta.com, oktapreview.com... or a custom domain.",
                    ["DefaultValue"] = "subdomain.okta.com",
                },
            },
        },
    };

    // one array object, as the official function returns it (`, @(...)`)
    protected override void EndProcessing() => WriteObject(Settings(), enumerateCollection: false);
}

/// <summary>Get-OktaUrlFromHostSetting: the org URL from a host setting with its variables filled in.</summary>
[Cmdlet(VerbsCommon.Get, "OktaUrlFromHostSetting")]
[OutputType(typeof(string))]
public sealed class GetOktaUrlFromHostSettingCommand : PSCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true)]
    public int Index { get; set; }

    [Parameter(Position = 1)]
    public Hashtable Variables { get; set; } = new();

    protected override void ProcessRecord()
    {
        var settings = GetOktaHostSettingCommand.Settings();
        if (Index < 0 || Index >= settings.Length)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentOutOfRangeException(nameof(Index), $"-Index {Index}: there are {settings.Length} host settings."),
                "InvalidHostSettingIndex", ErrorCategory.InvalidArgument, Index));
        }
        var url = (string)settings[Index]["Url"]!;
        foreach (DictionaryEntry variable in (Hashtable)settings[Index]["Variables"]!)
        {
            var name = (string)variable.Key;
            var value = Variables.ContainsKey(name) ? Variables[name] : ((Hashtable)variable.Value!)["DefaultValue"];
            url = url.Replace("{" + name + "}", Convert.ToString(PSValues.Unwrap(value), CultureInfo.InvariantCulture));
        }
        WriteObject(url);
    }
}

/// <summary>Set-OktaConfigurationHttpSigning: refused with a clear error (Okta's Management API has no HTTP signing).</summary>
[Cmdlet(VerbsCommon.Set, "OktaConfigurationHttpSigning")]
public sealed class SetOktaConfigurationHttpSigningCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string KeyId { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    public string KeyFilePath { get; set; } = "";

    [Parameter(Position = 2)]
    public SecureString? KeyPassPhrase { get; set; }

    [Parameter(Position = 3)]
    public string[] HttpSigningHeader { get; set; } = { "(created)" };

    [Parameter(Position = 4)]
    public string HashAlgorithm { get; set; } = "sha256";

    [Parameter(Position = 5)]
    public string? SigningAlgorithm { get; set; }

    [Parameter(Position = 6)]
    public int SignatureValidityPeriod { get; set; }

    protected override void EndProcessing() =>
        ThrowTerminatingError(new ErrorRecord(
            new NotSupportedException("HTTP message signing is not used by the Okta Management API. Use an API token (Set-OktaConfiguration -ApiKey) or OAuth (-AccessToken)."),
            "HttpSigningNotSupported", ErrorCategory.NotImplemented, null));
}

/// <summary>Get-OktaConfigurationHttpSigning: always $null.</summary>
[Cmdlet(VerbsCommon.Get, "OktaConfigurationHttpSigning")]
public sealed class GetOktaConfigurationHttpSigningCommand : PSCmdlet
{
    protected override void EndProcessing() => WriteObject(null);
}

/// <summary>ShouldRetry (the official name, an alias): the official module's retry rule (only 429).</summary>
[Cmdlet(VerbsDiagnostic.Test, "OktaRetry")]
[Alias("ShouldRetry")]
[OutputType(typeof(bool))]
public sealed class TestOktaRetryCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public int StatusCode { get; set; }

    [Parameter(Mandatory = true, Position = 1)]
    public int RetryCount { get; set; }

    [Parameter(Mandatory = true, Position = 2)]
    public int ElapsedTime { get; set; }

    protected override void EndProcessing()
    {
        var configuration = OktaConfiguration.Current;
        var maxRetries = AsLong(configuration["MaxRetries"]);
        var timeout = AsLong(configuration["RequestTimeout"]);
        if (maxRetries is null or <= 0)
        {
            WriteObject(false);
            return;
        }
        var inTime = timeout is null or <= 0 || ElapsedTime < timeout;
        WriteObject(StatusCode == 429 && RetryCount < maxRetries && inTime);
    }

    private static long? AsLong(object? value) =>
        PSValues.Unwrap(value) is { } raw ? LanguagePrimitives.ConvertTo<long>(raw) : null;
}

/// <summary>CalculateDelay (the official name, an alias): milliseconds to wait after a 429.</summary>
[Cmdlet(VerbsCommon.Get, "OktaRetryDelay")]
[Alias("CalculateDelay")]
[OutputType(typeof(double))]
public sealed class GetOktaRetryDelayCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public Hashtable Headers { get; set; } = new();

    protected override void EndProcessing()
    {
        var reset = First(Headers["X-Rate-Limit-Reset"]);
        var date = First(Headers["Date"]);
        if (reset is null) Fail("The X-Rate-Limit-Reset header is missing.");
        if (date is null) Fail("The Date header is missing.");
        var resetAt = DateTimeOffset.FromUnixTimeSeconds(LanguagePrimitives.ConvertTo<long>(reset));
        var answeredAt = DateTimeOffset.Parse(Convert.ToString(date, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture);
        WriteObject((resetAt - answeredAt).TotalMilliseconds + 1000);
    }

    private static object? First(object? value) => PSValues.Unwrap(value) switch
    {
        string text => text,
        IEnumerable many => Enumerate(many),
        var other => other,
    };

    private static object? Enumerate(IEnumerable many)
    {
        foreach (var item in many) return PSValues.Unwrap(item);
        return null;
    }

    private void Fail(string message) => ThrowTerminatingError(new ErrorRecord(
        new ArgumentException(message, nameof(Headers)), "MissingRateLimitHeader", ErrorCategory.InvalidArgument, Headers));
}

/// <summary>AddRetryHeaders (the official name, an alias): the retry headers Okta's SDKs send.</summary>
[Cmdlet(VerbsCommon.Add, "OktaRetryHeader")]
[Alias("AddRetryHeaders")]
public sealed class AddOktaRetryHeaderCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [AllowEmptyCollection]
    public Hashtable Headers { get; set; } = new();

    [Parameter(Mandatory = true, Position = 1)]
    public string RequestId { get; set; } = "";

    [Parameter(Mandatory = true, Position = 2)]
    public int RetryCount { get; set; }

    protected override void EndProcessing()
    {
        Headers["X-Okta-Retry-For"] = RequestId;
        Headers["X-Okta-Retry-Count"] = RetryCount;
    }
}

/// <summary>Invoke-ParseAbsoluteUri: a URL's path and query parameters.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "ParseAbsoluteUri")]
[OutputType(typeof(Hashtable))]
public sealed class InvokeParseAbsoluteUriCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string Uri { get; set; } = "";

    protected override void ProcessRecord()
    {
        if (!System.Uri.TryCreate(Uri, UriKind.Absolute, out var parsed))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-Uri '{Secrets.RedactUrls(Uri)}' is not an absolute URL.", nameof(Uri)),
                "InvalidUri", ErrorCategory.InvalidArgument, null));
            return;
        }
        var query = new Hashtable();
        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            query[System.Uri.UnescapeDataString(parts[0])] = parts.Length > 1 ? System.Uri.UnescapeDataString(parts[1]) : string.Empty;
        }
        WriteObject(new Hashtable { ["RelativeUri"] = parsed.AbsolutePath, ["QueryParameters"] = query });
    }
}

/// <summary>The copies without $null values that the three Remove-NullProperties* helpers return.</summary>
internal static class NullRemoval
{
    internal static object? Clean(object? value)
    {
        if (value is null) return null;
        var raw = PSValues.Unwrap(value);
        return raw switch
        {
            IDictionary table => CleanTable(table),
            object?[] array => CleanArray(array),
            PSCustomObject => CleanObject((PSObject)value),
            _ => value,
        };
    }

    internal static OrderedDictionary CleanTable(IDictionary table)
    {
        var copy = new OrderedDictionary();
        foreach (var key in table.Keys)
        {
            if (table[key] is { } item) copy[key] = Clean(item);
        }
        return copy;
    }

    internal static object?[] CleanArray(object?[] array)
    {
        var kept = new System.Collections.Generic.List<object?>(array.Length);
        foreach (var item in array)
        {
            if (item is not null) kept.Add(Clean(item));
        }
        return kept.ToArray();
    }

    private static PSObject CleanObject(PSObject value)
    {
        var copy = new PSObject();
        foreach (var property in value.Properties)
        {
            if (property.Value is { } item) copy.Properties.Add(new PSNoteProperty(property.Name, Clean(item)));
        }
        return copy;
    }
}

/// <summary>Remove-NullProperties: a copy without $null properties (nested too).</summary>
[Cmdlet(VerbsCommon.Remove, "NullProperties")]
public sealed class RemoveNullPropertiesCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowNull]
    public object? InputObject { get; set; }

    protected override void ProcessRecord()
    {
        var cleaned = NullRemoval.Clean(InputObject);
        // an array stays one array, as the official helper returns it
        WriteObject(cleaned, enumerateCollection: false);
    }
}

/// <summary>Remove-NullPropertiesFromHashMap: a copy of a hashtable without $null values.</summary>
[Cmdlet(VerbsCommon.Remove, "NullPropertiesFromHashMap")]
public sealed class RemoveNullPropertiesFromHashMapCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowNull]
    public IDictionary? InputObject { get; set; }

    protected override void ProcessRecord() =>
        WriteObject(InputObject is null ? new OrderedDictionary() : NullRemoval.CleanTable(InputObject));
}

/// <summary>Remove-NullPropertiesFromArray: a copy of an array without $null items.</summary>
[Cmdlet(VerbsCommon.Remove, "NullPropertiesFromArray")]
public sealed class RemoveNullPropertiesFromArrayCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowNull, AllowEmptyCollection]
    public object?[]? InputObject { get; set; }

    protected override void ProcessRecord() =>
        WriteObject(NullRemoval.CleanArray(InputObject ?? Array.Empty<object?>()), enumerateCollection: false);
}

/// <summary>
/// Connect-Okta token baseUrl: the community module OktaAPI's way to connect, which the seeds' bulk script uses.
/// Only this and the alias Add-OktaGroupMember come from OktaAPI: names the official module does not use.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "Okta")]
public sealed class ConnectOktaCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string Token { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    public string BaseUrl { get; set; } = "";

    protected override void EndProcessing()
    {
        // the same checks and warnings as Set-OktaConfiguration -BaseUrl
        SetOktaConfigurationCommand.CheckBaseUrl(this, BaseUrl);
        var configuration = OktaConfiguration.Current;
        configuration["BaseUrl"] = BaseUrl;
        configuration["ApiKey"] = new Hashtable { ["apitoken"] = Token };
    }
}
