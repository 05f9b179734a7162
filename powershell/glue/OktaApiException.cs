using System;
using System.Collections;
using System.Net;

namespace Okta.PowerShell;

/// <summary>
/// An HTTP error response from Okta (4xx/5xx), with the fields of Okta's error body
/// (or of an OAuth error body). Scripts written for the official module read the same
/// property names: StatusCode.value__, ErrorCode, ErrorSummary, ErrorLink, ErrorId, ErrorCauses, Headers.
/// </summary>
public class OktaApiException : Exception
{
    public OktaApiException(string message, HttpStatusCode statusCode, IDictionary headers, string rawResponse)
        : base(message)
    {
        StatusCode = statusCode;
        Headers = headers;
        RawResponse = rawResponse;
    }

    public HttpStatusCode StatusCode { get; }
    public IDictionary Headers { get; }
    /// <summary>The response body exactly as received.</summary>
    public string RawResponse { get; }
    public string? ErrorCode { get; init; }
    public string? ErrorSummary { get; init; }
    public string? ErrorLink { get; init; }
    public string? ErrorId { get; init; }
    /// <summary>The errorCauses array, as objects with an errorSummary property.</summary>
    public object[] ErrorCauses { get; init; } = Array.Empty<object>();
    /// <summary>X-Okta-Request-Id of the failed request: quote it to Okta support.</summary>
    public string? RequestId { get; init; }
    /// <summary>For OAuth endpoints: the "error" field (e.g. invalid_grant).</summary>
    public string? OAuthError { get; init; }
    /// <summary>For OAuth endpoints: the "error_description" field.</summary>
    public string? ErrorDescription { get; init; }
    /// <summary>When the rate-limit window resets (X-Rate-Limit-Reset), if the answer said.</summary>
    public DateTimeOffset? RateLimitReset { get; init; }
    /// <summary>
    /// For a 429 (or a 503 with Retry-After): how long to wait before trying again — Retry-After when
    /// sent, else X-Rate-Limit-Reset minus the answer's Date (the server's clock, so local clock skew
    /// does not matter).
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    public override string ToString() =>
        $"Okta API Error: [{(int)StatusCode} {StatusCode}] {ErrorSummary ?? ErrorDescription ?? Message} (Code: {ErrorCode ?? OAuthError}, ID: {ErrorId}, Request: {RequestId})"
        + (RetryAfter is { } wait ? $" Retry after {wait.TotalSeconds:0.###} s." : string.Empty);
}
