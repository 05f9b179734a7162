using System;

namespace Okta.PowerShell;

/// <summary>What went wrong before or around HTTP (no Okta answer to report).</summary>
public enum OktaClientErrorKind
{
    /// <summary>A configuration setting is missing or invalid (the message names it). Nothing was sent.</summary>
    Configuration,
    /// <summary>A parameter of the request is invalid (the message names it). Nothing was sent.</summary>
    InvalidRequest,
    /// <summary>
    /// The server could not be reached, the connection broke, TLS failed, or the request timed out.
    /// <see cref="OktaClientException.Delivery"/> says whether the request was sent.
    /// </summary>
    Transport,
    /// <summary>A bug in the module: a panic in the native core, or an unexpected state.</summary>
    Internal,
    /// <summary>
    /// A write (POST, PUT, PATCH, DELETE) was sent, or may have been, and its answer was lost: the
    /// change may have been applied. Check (get the resource, or search the System Log) before
    /// sending it again; <see cref="OktaClientException.Method"/>, <see cref="OktaClientException.Path"/>
    /// and <see cref="OktaClientException.RequestId"/> say what to look for.
    /// </summary>
    OutcomeUnknown,
}

/// <summary>How far a failed request got.</summary>
public enum OktaRequestDelivery
{
    /// <summary>Nothing reached the server (settings, connection refused, DNS, TLS handshake, proxy unreachable): safe to send again.</summary>
    NotSent,
    /// <summary>The request was sent, or may have been, and no complete answer came back.</summary>
    OutcomeUnknown,
    /// <summary>The server answered.</summary>
    Answered,
}

/// <summary>Errors that are not an HTTP error response from Okta; those are <see cref="OktaApiException"/>.</summary>
public class OktaClientException : Exception
{
    public OktaClientException(OktaClientErrorKind kind, string message, string? detail = null) : base(message)
    {
        Kind = kind;
        Detail = detail;
        Delivery = kind is OktaClientErrorKind.Configuration or OktaClientErrorKind.InvalidRequest
            ? OktaRequestDelivery.NotSent
            : OktaRequestDelivery.OutcomeUnknown;
    }

    /// <summary>The category of the failure.</summary>
    public OktaClientErrorKind Kind { get; }

    /// <summary>For transport failures: connect, timeout, tls, dns, body or other.</summary>
    public string? Detail { get; }

    /// <summary>Whether the request reached the server: NotSent, OutcomeUnknown or Answered.</summary>
    public OktaRequestDelivery Delivery { get; init; }

    /// <summary>True unless the request certainly never left (Delivery is not NotSent).</summary>
    public bool WasSent => Delivery != OktaRequestDelivery.NotSent;

    /// <summary>True for a write whose outcome is unknown: check before sending it again.</summary>
    public bool MayHaveBeenApplied => Kind == OktaClientErrorKind.OutcomeUnknown;

    /// <summary>For <see cref="OktaClientErrorKind.OutcomeUnknown"/>: the method that was sent.</summary>
    public string? Method { get; init; }

    /// <summary>For <see cref="OktaClientErrorKind.OutcomeUnknown"/>: the path that was called.</summary>
    public string? Path { get; init; }

    /// <summary>X-Okta-Request-Id, when the answer's headers arrived before it was lost.</summary>
    public string? RequestId { get; init; }
}
