using System;

namespace Okta.PowerShell;

/// <summary>What went wrong before or around HTTP (no Okta answer to report).</summary>
public enum OktaClientErrorKind
{
    /// <summary>A configuration setting is missing or invalid (the message names it).</summary>
    Configuration,
    /// <summary>A parameter of the request is invalid (the message names it).</summary>
    InvalidRequest,
    /// <summary>The server could not be reached, the connection broke, TLS failed, or the request timed out.</summary>
    Transport,
    /// <summary>A bug in the module: a panic in the native core, or an unexpected state.</summary>
    Internal,
}

/// <summary>Errors that are not an HTTP error response from Okta; those are <see cref="OktaApiException"/>.</summary>
public class OktaClientException : Exception
{
    public OktaClientException(OktaClientErrorKind kind, string message, string? detail = null) : base(message)
    {
        Kind = kind;
        Detail = detail;
    }

    /// <summary>The category of the failure.</summary>
    public OktaClientErrorKind Kind { get; }

    /// <summary>For transport failures: connect, timeout, tls, dns, body or other.</summary>
    public string? Detail { get; }
}
