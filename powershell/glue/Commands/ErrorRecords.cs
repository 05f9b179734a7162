using System;
using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Text;
using System.Text.Json;
using Okta.PowerShell.Configuration;
using Okta.PowerShell.Json;

namespace Okta.PowerShell.Commands;

/// <summary>Builds PowerShell error records from the core's error metadata.</summary>
internal static class ErrorRecords
{
    /// <summary>
    /// error = {"kind": "api|config|request|transport|outcome_unknown", "message", "delivery",
    /// "transportKind"?, "lost"?: {method, path, requestId}, "api"?: {...}}.
    /// Okta errors carry the body in ErrorDetails.Message, as scripts written for the official module
    /// read it (<c>$_.ErrorDetails.Message | ConvertFrom-Json</c>). No message ever shows a URL's password.
    /// </summary>
    internal static ErrorRecord From(JsonElement error, ReadOnlySpan<byte> body)
    {
        var kind = error.GetProperty("kind").GetString();
        var message = Secrets.RedactUrls(error.GetProperty("message").GetString() ?? "Unknown error");
        if (kind == "api" && error.TryGetProperty("api", out var api))
        {
            var exception = ApiException(api, message, body);
            var record = new ErrorRecord(exception, "OktaApiError," + (exception.ErrorCode ?? exception.OAuthError ?? ((int)exception.StatusCode).ToString()),
                CategoryOf(exception.StatusCode), null);
            if (exception.RawResponse.Length > 0) record.ErrorDetails = new ErrorDetails(exception.RawResponse);
            return record;
        }
        var (clientKind, category) = kind switch
        {
            "config" => (OktaClientErrorKind.Configuration, ErrorCategory.InvalidArgument),
            "request" => (OktaClientErrorKind.InvalidRequest, ErrorCategory.InvalidArgument),
            "transport" => (OktaClientErrorKind.Transport, ErrorCategory.ConnectionError),
            "outcome_unknown" => (OktaClientErrorKind.OutcomeUnknown, ErrorCategory.OperationTimeout),
            _ => (OktaClientErrorKind.Internal, ErrorCategory.NotSpecified),
        };
        var detail = error.TryGetProperty("transportKind", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var lost = error.TryGetProperty("lost", out var l) && l.ValueKind == JsonValueKind.Object ? l : default;
        var clientException = new OktaClientException(clientKind, message, detail)
        {
            Delivery = StringOrNull(error, "delivery") switch
            {
                "not_sent" => OktaRequestDelivery.NotSent,
                "answered" => OktaRequestDelivery.Answered,
                "outcome_unknown" => OktaRequestDelivery.OutcomeUnknown,
                _ => clientKind is OktaClientErrorKind.Configuration or OktaClientErrorKind.InvalidRequest
                    ? OktaRequestDelivery.NotSent
                    : OktaRequestDelivery.OutcomeUnknown,
            },
            Method = lost.ValueKind == JsonValueKind.Object ? StringOrNull(lost, "method") : null,
            Path = lost.ValueKind == JsonValueKind.Object ? StringOrNull(lost, "path") : null,
            RequestId = lost.ValueKind == JsonValueKind.Object ? StringOrNull(lost, "requestId") : null,
        };
        return new ErrorRecord(clientException, "Okta" + clientKind, category, null);
    }

    private static OktaApiException ApiException(JsonElement api, string message, ReadOnlySpan<byte> body)
    {
        var status = (HttpStatusCode)api.GetProperty("status").GetInt32();
        var raw = Encoding.UTF8.GetString(body);
        object[] causes = Array.Empty<object>();
        if (body.Length > 0 && body[0] == (byte)'{')
        {
            try
            {
                if (JsonToPSObject.Parse(body) is PSObject parsed && parsed.Properties["errorCauses"]?.Value is object[] list)
                {
                    causes = list;
                }
            }
            catch (Exception)
            {
                // A malformed body still yields the exception; its raw text is in RawResponse.
            }
        }
        return new OktaApiException(message, status, ResponseHeaders.From(api.GetProperty("headers")), raw)
        {
            ErrorCode = StringOrNull(api, "errorCode"),
            ErrorSummary = StringOrNull(api, "errorSummary"),
            ErrorLink = StringOrNull(api, "errorLink"),
            ErrorId = StringOrNull(api, "errorId"),
            ErrorCauses = causes,
            RequestId = StringOrNull(api, "requestId"),
            OAuthError = StringOrNull(api, "oauthError"),
            ErrorDescription = StringOrNull(api, "oauthErrorDescription"),
            RateLimitReset = api.TryGetProperty("rateLimitReset", out var reset) && reset.ValueKind == JsonValueKind.Number
                ? DateTimeOffset.FromUnixTimeSeconds(reset.GetInt64())
                : null,
            RetryAfter = api.TryGetProperty("retryAfterMs", out var wait) && wait.ValueKind == JsonValueKind.Number
                ? TimeSpan.FromMilliseconds(wait.GetUInt64())
                : null,
        };
    }

    private static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static ErrorCategory CategoryOf(HttpStatusCode status) => (int)status switch
    {
        400 => ErrorCategory.InvalidArgument,
        401 => ErrorCategory.AuthenticationError,
        403 => ErrorCategory.PermissionDenied,
        404 => ErrorCategory.ObjectNotFound,
        409 => ErrorCategory.ResourceExists,
        429 => ErrorCategory.LimitsExceeded,
        >= 500 => ErrorCategory.ConnectionError,
        _ => ErrorCategory.NotSpecified,
    };
}
