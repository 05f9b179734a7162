using System;
using System.Collections;
using System.Management.Automation;
using System.IO;
using Okta.PowerShell.Configuration;
using Okta.PowerShell.Internal;

namespace Okta.PowerShell.Commands.Client;

// Get-/Set-OktaConfiguration. Compiled rather than script: a script module's parse at import cost more than
// every compiled command together (tests/bench/Measure-Import.ps1).

/// <summary>Get-OktaConfiguration: the live configuration of this runspace.</summary>
[Cmdlet(VerbsCommon.Get, "OktaConfiguration")]
[OutputType(typeof(OktaConfiguration))]
public sealed class GetOktaConfigurationCommand : PSCmdlet
{
    /// <summary>A named configuration (Set-OktaConfiguration -Name); the one in use when not given.</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(ConfigurationNameCompleter))]
    public string? Name { get; set; }

    protected override void EndProcessing()
    {
        var configurations = NamedConfigurations.OfThisRunspace;
        configurations.FlushWarnings(this);
        try
        {
            WriteObject(configurations.Resolve(Name, nameof(Name)));
        }
        catch (ArgumentException exception)
        {
            ThrowTerminatingError(new ErrorRecord(exception, "UnknownConfiguration", ErrorCategory.ObjectNotFound, Name));
        }
    }
}

/// <summary>Use-OktaConfiguration: makes a named configuration the one every command of this runspace uses.</summary>
[Cmdlet(VerbsOther.Use, "OktaConfiguration")]
[OutputType(typeof(OktaConfiguration))]
public sealed class UseOktaConfigurationCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(ConfigurationNameCompleter))]
    public string Name { get; set; } = NamedConfigurations.DefaultName;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var configurations = NamedConfigurations.OfThisRunspace;
        try
        {
            configurations.Use(Name);
        }
        catch (ArgumentException exception)
        {
            ThrowTerminatingError(new ErrorRecord(exception, "UnknownConfiguration", ErrorCategory.ObjectNotFound, Name));
        }
        if (PassThru) WriteObject(configurations.Current);
    }
}

/// <summary>
/// Set-OktaConfiguration: changes only the settings passed. Positions follow the declaration order, as the
/// script function this replaces had them (PowerShell numbers an advanced function's parameters that way).
/// </summary>
[Cmdlet(VerbsCommon.Set, "OktaConfiguration")]
[OutputType(typeof(OktaConfiguration))]
public sealed class SetOktaConfigurationCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    public string? BaseUrl { get; set; }

    [Parameter(Position = 1)]
    public string? ClientId { get; set; }

    [Parameter(Position = 2)]
    public string? Scope { get; set; }

    [Parameter(Position = 3)]
    public object? ApiKey { get; set; }

    [Parameter(Position = 4)]
    public object? ApiKeyPrefix { get; set; }

    [Parameter(Position = 5)]
    [AllowEmptyString]
    public string? Cookie { get; set; }

    [Parameter(Position = 6)]
    [AllowEmptyString]
    public string? AccessToken { get; set; }

    [Parameter(Position = 7)]
    public Hashtable? DefaultHeaders { get; set; }

    [Parameter(Position = 8)]
    public object? Proxy { get; set; }

    [Parameter(Position = 9)]
    [ValidateRange(0, int.MaxValue)]
    public int MaxRetries { get; set; }

    [Parameter(Position = 10)]
    [ValidateRange(1, 100)]
    public int MaxApiCapacity { get; set; }

    [Parameter(Position = 11)]
    [ValidateRange(1, 1000)]
    public int MaxConcurrency { get; set; }

    [Parameter(Position = 12)]
    public int RequestTimeout { get; set; }

    /// <summary>The private key for client credentials (private_key_jwt): PEM text, a PEM file path, an RSA
    /// or ECDsa object, or a JWK. Kept masked.</summary>
    [Parameter]
    public object? PrivateKey { get; set; }

    /// <summary>The name of a secret holding the API token, read with Microsoft.PowerShell.SecretManagement.</summary>
    [Parameter]
    public string? ApiKeySecret { get; set; }

    /// <summary>The name of a secret holding the private key (PEM or JWK text), read with SecretManagement.</summary>
    [Parameter]
    public string? PrivateKeySecret { get; set; }

    /// <summary>The kid of the private key, as registered with the app.</summary>
    [Parameter]
    [Alias("PrivateKeyId")]
    public string? KeyId { get; set; }

    /// <summary>SSWS, Bearer or PrivateKey: which credential wins when several are set.</summary>
    [Parameter]
    [ValidateSet("SSWS", "Bearer", "PrivateKey", IgnoreCase = true)]
    public string? AuthorizationMode { get; set; }

    /// <summary>Binds OAuth tokens to a key of this session (DPoP, RFC 9449).</summary>
    [Parameter]
    public SwitchParameter UseDPoP { get; set; }

    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Sets a named configuration (created on first use) instead of the one in use.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ConfigurationNameCompleter))]
    public string? Name { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var bound = MyInvocation.BoundParameters;
        var configurations = NamedConfigurations.OfThisRunspace;
        configurations.FlushWarnings(this);
        var configuration = configurations.Get(Name, create: true)!;
        if (bound.ContainsKey(nameof(BaseUrl))) CheckBaseUrl(this, BaseUrl ?? string.Empty);
        if (bound.ContainsKey(nameof(Proxy)) && OktaConfiguration.ProxyProblem(Proxy) is { } problem)
        {
            Fail(this, new ArgumentException("Invalid -Proxy: " + problem, nameof(Proxy)), "InvalidProxy", null);
        }
        foreach (var name in new[]
                 {
                     nameof(BaseUrl), nameof(ClientId), nameof(Scope), nameof(ApiKey), nameof(ApiKeyPrefix), nameof(Cookie),
                     nameof(AccessToken), nameof(DefaultHeaders), nameof(Proxy), nameof(MaxRetries), nameof(MaxApiCapacity),
                     nameof(MaxConcurrency), nameof(RequestTimeout), nameof(PrivateKey), nameof(AuthorizationMode),
                 })
        {
            if (bound.TryGetValue(name, out var value)) configuration[name] = value;
        }
        if (bound.ContainsKey(nameof(KeyId))) configuration["PrivateKeyId"] = KeyId;
        if (ApiKeySecret is { Length: > 0 }) configuration["ApiKey"] = new Hashtable { ["apitoken"] = ReadSecret(ApiKeySecret, nameof(ApiKeySecret)) };
        if (PrivateKeySecret is { Length: > 0 }) configuration["PrivateKey"] = ReadSecret(PrivateKeySecret, nameof(PrivateKeySecret));
        if (bound.ContainsKey(nameof(UseDPoP))) configuration["UseDPoP"] = UseDPoP.IsPresent;
        if (bound.ContainsKey(nameof(SkipCertificateCheck)))
        {
            configuration["SkipCertificateCheck"] = SkipCertificateCheck.IsPresent;
            if (SkipCertificateCheck) WriteWarning("SkipCertificateCheck is on: TLS certificates are not verified. Use it only against test servers.");
        }
        if (PassThru) WriteObject(configuration);
    }

    /// <summary>
    /// A secret from the user's vault through Microsoft.PowerShell.SecretManagement (optional: only when a -*Secret
    /// parameter is used), so scripts never hold the token or key in plain text. Kept as a string only inside the
    /// configuration, which masks it.
    /// </summary>
    private string ReadSecret(string name, string parameter)
    {
        System.Collections.ObjectModel.Collection<PSObject> found;
        try
        {
            found = InvokeCommand.InvokeScript(
                "param($Name) Import-Module Microsoft.PowerShell.SecretManagement -ErrorAction Stop; Microsoft.PowerShell.SecretManagement\\Get-Secret -Name $Name -AsPlainText -ErrorAction Stop",
                true, System.Management.Automation.Runspaces.PipelineResultTypes.None, null, name);
        }
        catch (RuntimeException exception)
        {
            var missing = exception.ErrorRecord?.FullyQualifiedErrorId?.StartsWith("Modules_ModuleNotFound", StringComparison.Ordinal) == true
                || exception.InnerException is FileNotFoundException;
            var message = missing
                ? $"-{parameter}: reading secrets needs the module Microsoft.PowerShell.SecretManagement and a registered vault (Install-PSResource Microsoft.PowerShell.SecretManagement, Microsoft.PowerShell.SecretStore; Register-SecretVault). Or pass the value itself."
                : $"-{parameter}: the secret '{name}' could not be read: {exception.Message}";
            return FailSecret(message, parameter, name);
        }
        var value = found.Count > 0 ? PSValues.Unwrap(found[0]) : null;
        return value switch
        {
            string text when text.Length > 0 => text,
            System.Security.SecureString secure => new System.Net.NetworkCredential(string.Empty, secure).Password,
            _ => FailSecret($"-{parameter}: the secret '{name}' is empty or not text.", parameter, name),
        };
    }

    private string FailSecret(string message, string parameter, string name)
    {
        Fail(this, new ArgumentException(message, parameter), "SecretNotRead", name);
        return string.Empty;
    }

    /// <summary>Refuses what cannot be an org URL; warns about what probably is not meant.</summary>
    internal static void CheckBaseUrl(Cmdlet cmdlet, string text)
    {
        // Messages show the URL with any user:password@ masked: an error record must never carry a secret.
        var shown = Secrets.RedactUrls(text);
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
        {
            Fail(cmdlet, new ArgumentException($"Invalid -BaseUrl '{shown}': use an absolute http(s) URL such as https://myorg.okta.com.", nameof(BaseUrl)), "InvalidBaseUrl", shown);
            return;
        }
        if (url.UserInfo.Length > 0)
        {
            Fail(cmdlet, new ArgumentException($"Invalid -BaseUrl '{shown}': it must not contain a user name or password; pass the API token with -ApiKey.", nameof(BaseUrl)), "InvalidBaseUrl", shown);
        }
        if (url.Query.Length > 0 || url.Fragment.Length > 0)
        {
            Fail(cmdlet, new ArgumentException($"Invalid -BaseUrl '{shown}': Okta org URLs have no query string or fragment; use e.g. https://myorg.okta.com.", nameof(BaseUrl)), "InvalidBaseUrl", shown);
        }
        if (url.AbsolutePath != "/")
        {
            cmdlet.WriteWarning($"BaseUrl '{shown}' has a path ('{url.AbsolutePath}'), and Okta org URLs have none: requests will go to {url.GetLeftPart(UriPartial.Path).TrimEnd('/')}/api/v1/... Use just the org URL (https://myorg.okta.com) unless a gateway needs the path.");
        }
        if (url.Scheme == "http" && !url.IsLoopback)
        {
            cmdlet.WriteWarning($"BaseUrl '{shown}' uses http:// to a host that is not this machine: the API token would travel in clear text. Use https://.");
        }
    }

    private static void Fail(Cmdlet cmdlet, Exception exception, string id, object? target) =>
        cmdlet.ThrowTerminatingError(new ErrorRecord(exception, id, ErrorCategory.InvalidArgument, target));
}
