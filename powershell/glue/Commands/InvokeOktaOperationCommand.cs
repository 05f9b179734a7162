using System;
using System.Buffers;
using System.Collections;
using System.Diagnostics;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using Okta.PowerShell.Configuration;
using Okta.PowerShell.Internal;
using Okta.PowerShell.Json;
using Okta.PowerShell.Native;

namespace Okta.PowerShell.Commands;

/// <summary>
/// The one invoker behind every API command. A command function passes its operation as data
/// (method, path template, which of its parameters go to the path, the query and the body) and its
/// $PSBoundParameters; this cmdlet builds the request, sends it through the Rust core, and writes
/// the result (objects, -WithHttpInfo hashtable, or an OktaApiException error record).
/// Not exported: users call the generated commands.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "OktaOperation")]
public sealed class InvokeOktaOperationCommand : PSCmdlet
{
    private static readonly string UserAgent =
        $"Okta.PowerShell/{typeof(InvokeOktaOperationCommand).Assembly.GetName().Version?.ToString(3)} PowerShell/{typeof(PSObject).Assembly.GetName().Version?.ToString(3)}";

    [Parameter(Mandatory = true)] public string Method { get; set; } = "GET";
    [Parameter(Mandatory = true)] public string Path { get; set; } = "/";
    /// <summary>Path template variable → name of the command parameter that holds its value.</summary>
    [Parameter] public IDictionary? PathParameters { get; set; }
    /// <summary>Query parameter (wire name) → name of the command parameter; sent only when bound.</summary>
    [Parameter] public IDictionary? QueryParameters { get; set; }
    /// <summary>Name of the command parameter that holds the JSON body.</summary>
    [Parameter] public string? BodyParameter { get; set; }
    /// <summary>The calling command's $PSBoundParameters.</summary>
    [Parameter(Mandatory = true)] public IDictionary Bound { get; set; } = new Hashtable();
    /// <summary>The schema name of the result (e.g. User, User[]); reserved for typed output.</summary>
    [Parameter] public string? ReturnType { get; set; }

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
        var uri = Bound["Uri"] as string;
        var withHttpInfo = IsSet("WithHttpInfo");
        var includeNulls = IsSet("IncludeNullValues");

        var body = BodyBytes(includeNulls);
        var envelope = BuildEnvelope(uri);
        var stopwatch = Stopwatch.StartNew();
        var requestId = NativeCore.NewRequestId();
        System.Threading.Volatile.Write(ref _inFlight, requestId);
        using var response = SendUnlessStopped(envelope, body, requestId);
        using var meta = JsonDocument.Parse(response.Meta.ToArray());
        var root = meta.RootElement;

        if (root.TryGetProperty("error", out var error))
        {
            if (error.GetProperty("kind").GetString() == "cancelled") throw new PipelineStoppedException();
            WriteVerbose($"{Method.ToUpperInvariant()} {Path} failed after {stopwatch.ElapsedMilliseconds} ms");
            ThrowTerminatingError(ErrorRecords.From(error, response.Body));
            return;
        }

        var status = root.GetProperty("status").GetInt32();
        WriteVerbose($"{Method.ToUpperInvariant()} {Path} -> {status} in {stopwatch.ElapsedMilliseconds} ms");
        var result = response.Body.IsEmpty || status == 204 ? null : ParseBody(response.Body, status);

        if (withHttpInfo)
        {
            var info = new Hashtable(StringComparer.OrdinalIgnoreCase)
            {
                ["Response"] = result,
                ["StatusCode"] = status,
                ["Headers"] = ResponseHeaders.From(root.GetProperty("headers")),
                ["NextPageUri"] = root.TryGetProperty("nextUri", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null,
            };
            WriteObject(info);
        }
        else if (result is not null)
        {
            WriteObject(result, enumerateCollection: true);
        }
    }

    /// <summary>A 2xx body that is not JSON (an HTML page from a proxy, a cut-off body) is reported, not mis-read.</summary>
    private object? ParseBody(ReadOnlySpan<byte> body, int status)
    {
        try
        {
            return JsonToPSObject.Parse(body);
        }
        catch (JsonException e)
        {
            var exception = new OktaClientException(OktaClientErrorKind.Transport,
                $"{Method.ToUpperInvariant()} {Path} answered {status} with a body that is not valid JSON ({body.Length} bytes): {e.Message}", "body");
            ThrowTerminatingError(new ErrorRecord(exception, "OktaInvalidResponse", ErrorCategory.InvalidData, null));
            return null;
        }
    }

    private NativeResponse SendUnlessStopped(ArrayBufferWriter<byte> envelope, byte[] body, ulong requestId)
    {
        try
        {
            return NativeCore.Send(envelope.WrittenSpan, body, requestId);
        }
        finally
        {
            System.Threading.Volatile.Write(ref _inFlight, 0UL);
        }
    }

    private bool IsSet(string name) => Bound[name] is { } value && LanguagePrimitives.IsTrue(value);

    private byte[] BodyBytes(bool includeNulls)
    {
        if (BodyParameter is null || !Bound.Contains(BodyParameter)) return Array.Empty<byte>();
        var value = PSValues.Unwrap(Bound[BodyParameter]);
        if (value is null) return Array.Empty<byte>();
        // A JSON document given as text is sent as it is.
        if (value is string text && text.TrimStart() is { Length: > 0 } trimmed && (trimmed[0] == '{' || trimmed[0] == '['))
        {
            return Encoding.UTF8.GetBytes(text);
        }
        return PSObjectToJson.ToUtf8Json(Bound[BodyParameter], includeNulls);
    }

    /// <summary>{"config": {...}, "request": {...}} as okta-ffi expects it.</summary>
    private ArrayBufferWriter<byte> BuildEnvelope(string? uri)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WritePropertyName("config");
        OktaConfiguration.Current.WriteCoreConfig(json, UserAgent);
        json.WriteStartObject("request");
        json.WriteString("method", Method);
        json.WriteString("path", Path);
        if (!string.IsNullOrEmpty(uri))
        {
            json.WriteString("uri", uri);
        }
        else
        {
            WritePairs(json, "pathParams", PathParameters, required: true);
            WritePairs(json, "query", QueryParameters, required: false);
        }
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        return buffer;
    }

    private void WritePairs(Utf8JsonWriter json, string name, IDictionary? mapping, bool required)
    {
        json.WriteStartArray(name);
        if (mapping is not null)
        {
            foreach (DictionaryEntry entry in mapping)
            {
                var parameter = (string)entry.Value!;
                if (!Bound.Contains(parameter) || Bound[parameter] is null)
                {
                    if (required) ThrowMissingParameter(parameter);
                    continue;
                }
                foreach (var value in QueryValues.Format(Bound[parameter]))
                {
                    json.WriteStartArray();
                    json.WriteStringValue((string)entry.Key);
                    json.WriteStringValue(value);
                    json.WriteEndArray();
                }
            }
        }
        json.WriteEndArray();
    }

    private void ThrowMissingParameter(string parameter)
    {
        var command = (SessionState.PSVariable.GetValue("MyInvocation") as InvocationInfo)?.MyCommand?.Name ?? "this command";
        var exception = new OktaClientException(OktaClientErrorKind.InvalidRequest,
            $"{command}: the parameter -{parameter} is required (or pass -Uri).");
        ThrowTerminatingError(new ErrorRecord(exception, "MissingParameter," + parameter, ErrorCategory.InvalidArgument, parameter));
    }
}
