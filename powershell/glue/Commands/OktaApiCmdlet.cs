using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using Okta.PowerShell.Configuration;
using Okta.PowerShell.Json;
using Okta.PowerShell.Native;

namespace Okta.PowerShell.Commands;

/// <summary>
/// The one base class of every API command. A generated command only declares its parameters and its
/// <see cref="OktaOperation"/>; this class builds the request, asks ShouldProcess for writes, sends it through
/// the Rust core, and writes the result (typed objects, the -WithHttpInfo hashtable, or an error record).
/// </summary>
public abstract class OktaApiCmdlet : PSCmdlet
{
    protected abstract OktaOperation OperationDefinition { get; }

    /// <summary>The values the request is built from: the bound parameters (the escape hatch supplies its own).</summary>
    protected virtual IDictionary<string, object?> RequestValues => MyInvocation.BoundParameters!;

    // The id of the request in flight (0 = none), for StopProcessing.
    private ulong _inFlight;

    /// <summary>Ctrl+C: cancel the request in flight; ProcessRecord then stops the pipeline.</summary>
    protected override void StopProcessing()
    {
        var id = System.Threading.Volatile.Read(ref _inFlight);
        if (id != 0) NativeCore.Cancel(id);
    }

    protected override void ProcessRecord()
    {
        var operation = OperationDefinition;
        var request = new RequestBuilder(operation, RequestValues);
        if (request.MissingPathParameter() is { } missing)
        {
            var exception = new OktaClientException(OktaClientErrorKind.InvalidRequest,
                $"{MyInvocation.MyCommand.Name}: the parameter -{missing} is required (or pass -Uri).", missing);
            ThrowTerminatingError(new ErrorRecord(exception, "MissingParameter," + missing, ErrorCategory.InvalidArgument, missing));
        }

        // Nothing is sent unless ShouldProcess approved it. When it cannot ask (no interactive host) it throws,
        // and the exception ends the command here, before the request exists.
        if (operation.Writes && !Approved(operation, request)) return;

        byte[] body;
        try
        {
            body = request.Body(SessionState);
        }
        catch (OktaClientException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidBody", ErrorCategory.InvalidArgument, request.Target));
            return;
        }
        var envelope = request.Envelope();
        var stopwatch = Stopwatch.StartNew();
        var requestId = NativeCore.NewRequestId();
        System.Threading.Volatile.Write(ref _inFlight, requestId);
        NativeResponse response;
        try
        {
            response = NativeCore.Send(envelope.WrittenSpan, body, requestId);
        }
        finally
        {
            System.Threading.Volatile.Write(ref _inFlight, 0UL);
        }
        using (response)
        {
            using var meta = JsonDocument.Parse(response.Meta.ToArray());
            var root = meta.RootElement;
            if (root.TryGetProperty("error", out var error))
            {
                if (error.GetProperty("kind").GetString() == "cancelled") throw new PipelineStoppedException();
                WriteVerbose($"{operation.Method} {operation.Path} failed after {stopwatch.ElapsedMilliseconds} ms");
                Fail(ErrorRecords.From(error, response.Body), request.Target);
                return;
            }
            var status = root.GetProperty("status").GetInt32();
            WriteVerbose($"{operation.Method} {operation.Path} -> {status} in {stopwatch.ElapsedMilliseconds} ms");
            var result = ResponseContent.Read(operation, response.Body, status, root);
            if (request.WithHttpInfo)
            {
                WriteObject(new Hashtable(StringComparer.OrdinalIgnoreCase)
                {
                    ["Response"] = result,
                    ["StatusCode"] = status,
                    ["Headers"] = ResponseHeaders.From(root.GetProperty("headers")),
                    ["NextPageUri"] = root.TryGetProperty("nextUri", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null,
                });
            }
            else if (result is not null)
            {
                WriteObject(result, enumerateCollection: result is not byte[]);
            }
        }
    }

    private bool Approved(OktaOperation operation, RequestBuilder request)
    {
        var url = request.DisplayUrl(OktaConfiguration.Current["BaseUrl"] as string);
        var target = request.Target is { } t && t is not PSObject && t is not IDictionary ? $" (target: {t})" : "";
        var description = $"{operation.Method} {url}{target}";
        return ShouldProcess(
            description,
            $"{MyInvocation.MyCommand.Name} will send {description}. Continue?",
            "Confirm");
    }

    /// <summary>
    /// An API error for one piped item is a non-terminating error (the next items go on; -ErrorAction Stop
    /// makes it terminating). A direct call throws, as the official module and Invoke-RestMethod do, so
    /// scripts' try/catch keeps working. Errors before Okta answered (configuration, transport) stop the command.
    /// </summary>
    private void Fail(ErrorRecord record, object? target)
    {
        var withTarget = new ErrorRecord(record.Exception, record.FullyQualifiedErrorId, record.CategoryInfo.Category, target)
        {
            ErrorDetails = record.ErrorDetails,
        };
        if (MyInvocation.ExpectingInput && record.Exception is OktaApiException)
        {
            WriteError(withTarget);
            return;
        }
        ThrowTerminatingError(withTarget);
    }
}

/// <summary>How an answer body becomes output: JSON → typed objects; other declared types → text or bytes.</summary>
internal static class ResponseContent
{
    internal static object? Read(OktaOperation operation, ReadOnlySpan<byte> body, int status, JsonElement meta)
    {
        if (body.IsEmpty || status == 204) return null;
        var declared = operation.ResponseContentType;
        var actual = HeaderValue(meta, "content-type");
        if (declared is not null && !declared.Contains("json", StringComparison.OrdinalIgnoreCase)
            && (actual is null || !actual.Contains("json", StringComparison.OrdinalIgnoreCase)))
        {
            return IsText(actual ?? declared) ? Encoding.UTF8.GetString(body) : body.ToArray();
        }
        object? parsed;
        try
        {
            parsed = JsonToPSObject.Parse(body);
        }
        catch (JsonException e)
        {
            throw new OktaClientException(OktaClientErrorKind.Transport,
                $"{operation.Method} {operation.Path} answered {status} with a body that is not valid JSON ({body.Length} bytes): {e.Message}", "body");
        }
        OktaTypeNames.Apply(parsed, operation.Returns);
        return parsed;
    }

    private static bool IsText(string contentType) =>
        contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("xml", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("pem", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("pkcs10", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("jwt", StringComparison.OrdinalIgnoreCase);

    private static string? HeaderValue(JsonElement meta, string name)
    {
        if (!meta.TryGetProperty("headers", out var headers) || headers.ValueKind != JsonValueKind.Array) return null;
        foreach (var pair in headers.EnumerateArray())
        {
            if (pair.GetArrayLength() == 2 && string.Equals(pair[0].GetString(), name, StringComparison.OrdinalIgnoreCase))
            {
                return pair[1].GetString();
            }
        }
        return null;
    }
}
