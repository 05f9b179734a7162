using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using Okta.PowerShell.Configuration;
using Okta.PowerShell.Internal;
using Okta.PowerShell.Json;

namespace Okta.PowerShell.Commands;

/// <summary>
/// Turns an operation and the values a command was given into what crosses to the Rust core: the configuration's
/// session (opened once per configuration version), the request envelope (method, path template, path/query/header
/// values) and the body bytes.
/// </summary>
internal sealed class RequestBuilder
{
    internal static readonly string UserAgent =
        $"Okta.PowerShell/{typeof(RequestBuilder).Assembly.GetName().Version?.ToString(3)} PowerShell/{typeof(PSObject).Assembly.GetName().Version?.ToString(3)}";

    private readonly OktaOperation _operation;
    private readonly IDictionary<string, object?> _values;
    private readonly List<(string Name, string Value)> _headers = new();

    /// <summary>The configuration the request is sent with (-Configuration, else the runspace's current one).</summary>
    internal OktaConfiguration Configuration { get; init; } = OktaConfiguration.Current;

    /// <summary>The core's session for the configuration as it is now (a changed setting opens a new one).</summary>
    internal Native.NativeSession Session => Configuration.Session();

    internal RequestBuilder(OktaOperation operation, IDictionary<string, object?> values)
    {
        _operation = operation;
        _values = values;
    }

    internal string? Uri => Value("Uri") is string uri && uri.Length > 0 ? uri : null;

    private object? Value(string name) => _values.TryGetValue(name, out var value) ? PSValues.Unwrap(value) : null;

    private bool IsSet(string name) => Value(name) is { } value && LanguagePrimitives.IsTrue(value);

    internal bool WithHttpInfo => IsSet("WithHttpInfo");

    /// <summary>-All: every page, streamed.</summary>
    internal bool All => IsSet("All");

    /// <summary>The value of the resource the command acts on (its last path parameter), or its body.</summary>
    internal object? Target =>
        (_operation.TargetParameter is { } target ? Value(target) : null)
        ?? (_operation.BodyParameter is { } body && _values.TryGetValue(body, out var raw) ? raw : null);   // as given: unwrapping a PSCustomObject would lose its properties

    /// <summary>The first path parameter that was not given (only possible outside the -Uri parameter set).</summary>
    internal string? MissingPathParameter()
    {
        if (Uri is not null) return null;
        foreach (var parameter in _operation.Parameters)
        {
            if (parameter.In == ParameterIn.Path && (Value(parameter.Name) is null || Value(parameter.Name) is string { Length: 0 }))
            {
                return parameter.Name;
            }
        }
        return null;
    }

    /// <summary>METHOD https://org/path?query — what -WhatIf and -Confirm show (no secret is in a URL).</summary>
    internal string DisplayUrl(string? baseUrl)
    {
        if (Uri is { } uri) return uri;
        var path = new StringBuilder(_operation.Path);
        var query = new StringBuilder();
        foreach (var parameter in _operation.Parameters)
        {
            var value = Value(parameter.Name);
            if (value is null) continue;
            switch (parameter.In)
            {
                case ParameterIn.Path:
                    path.Replace("{" + parameter.Wire + "}", System.Uri.EscapeDataString(string.Join(",", QueryValues.Format(value))));
                    break;
                case ParameterIn.Query:
                    foreach (var text in QueryValues.Format(value))
                    {
                        query.Append(query.Length == 0 ? '?' : '&').Append(parameter.Wire).Append('=').Append(System.Uri.EscapeDataString(text));
                    }
                    break;
            }
        }
        return (baseUrl ?? "").TrimEnd('/') + path + query;
    }

    /// <summary>The body bytes, per the operation's content type; adds the Content-Type header for non-JSON bodies.</summary>
    internal byte[] Body(SessionState sessionState)
    {
        if (_operation.BodyParameter is not { } name || !_values.TryGetValue(name, out var raw)) return Array.Empty<byte>();
        var value = PSValues.Unwrap(raw);
        if (value is null) return Array.Empty<byte>();
        var contentType = _operation.BodyContentType ?? "application/json";
        if (contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            if (!contentType.Equals("application/json", StringComparison.OrdinalIgnoreCase)) _headers.Add(("Content-Type", contentType));
            // A JSON document given as text is sent as it is.
            if (value is string text && text.TrimStart() is { Length: > 0 } trimmed && (trimmed[0] == '{' || trimmed[0] == '['))
            {
                return Encoding.UTF8.GetBytes(text);
            }
            return PSObjectToJson.ToUtf8Json(raw, IsSet("IncludeNullValues"));
        }
        if (contentType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var file = FileOf(value, sessionState, name);
            var (bytes, type) = Multipart.Encode("file", file.Name, File.ReadAllBytes(file.FullName));
            _headers.Add(("Content-Type", type));
            return bytes;
        }
        // PEM, certificates, security event tokens: text (or bytes, or a file) with the content type the API names.
        _headers.Add(("Content-Type", contentType));
        return value switch
        {
            byte[] bytes => bytes,
            FileInfo file => File.ReadAllBytes(file.FullName),
            _ => Encoding.UTF8.GetBytes(value.ToString() ?? string.Empty),
        };
    }

    private static FileInfo FileOf(object value, SessionState sessionState, string parameter)
    {
        var file = value switch
        {
            FileInfo info => info,
            // a path is resolved against the PowerShell location, not the process's working directory
            string path => new FileInfo(sessionState.Path.GetUnresolvedProviderPathFromPSPath(path)),
            _ => null,
        };
        if (file is null || !file.Exists)
        {
            throw new OktaClientException(OktaClientErrorKind.InvalidRequest,
                $"-{parameter}: '{value}' is not a file that exists.", parameter);
        }
        return file;
    }

    /// <summary>
    /// {"request": {...}} as okta-ffi expects it with a session; for a page stream also "end" (when the stream
    /// is over: "next", "empty" or "follow:&lt;ms&gt;"). The configuration is not in it: it is the session's.
    /// </summary>
    internal ArrayBufferWriter<byte> Envelope(string? end = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WriteStartObject("request");
        json.WriteString("method", _operation.Method);
        json.WriteString("path", _operation.Path);
        if (Uri is { } uri)
        {
            json.WriteString("uri", uri);
        }
        else
        {
            WritePairs(json, "pathParams", ParameterIn.Path);
            WritePairs(json, "query", ParameterIn.Query);
        }
        json.WriteStartArray("headers");
        foreach (var parameter in _operation.Parameters)
        {
            if (parameter.In != ParameterIn.Header || Value(parameter.Name) is not { } value) continue;
            foreach (var text in QueryValues.Format(value)) WritePair(json, parameter.Wire, text);
        }
        foreach (var (name, text) in _headers) WritePair(json, name, text);
        json.WriteEndArray();
        json.WriteEndObject();
        if (end is not null) json.WriteString("end", end);
        json.WriteEndObject();
        json.Flush();
        return buffer;
    }

    private OktaParameter? LimitParameter()
    {
        foreach (var parameter in _operation.Parameters)
        {
            if (parameter.In == ParameterIn.Query && parameter.Wire == "limit") return parameter;
        }
        return null;
    }

    private void WritePairs(Utf8JsonWriter json, string property, ParameterIn where)
    {
        json.WriteStartArray(property);
        foreach (var parameter in _operation.Parameters)
        {
            if (parameter.In != where || Value(parameter.Name) is not { } value) continue;
            foreach (var text in QueryValues.Format(value)) WritePair(json, parameter.Wire, text);
        }
        // -All without -Limit asks for the largest page the endpoint allows: fewer round trips.
        if (where == ParameterIn.Query && All && _operation.LimitMax is { } max && LimitParameter() is { } limit && Value(limit.Name) is null)
        {
            WritePair(json, limit.Wire, max.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        json.WriteEndArray();
    }

    private static void WritePair(Utf8JsonWriter json, string name, string value)
    {
        json.WriteStartArray();
        json.WriteStringValue(name);
        json.WriteStringValue(value);
        json.WriteEndArray();
    }
}

/// <summary>multipart/form-data with one file part (logo and theme image uploads).</summary>
internal static class Multipart
{
    internal static (byte[] Body, string ContentType) Encode(string field, string fileName, byte[] content)
    {
        var boundary = "okta-" + Guid.NewGuid().ToString("N");
        var mediaType = Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".gif" => "image/gif",
            ".svg" => "image/svg+xml",
            ".ico" => "image/x-icon",
            _ => "application/octet-stream",
        };
        var safeName = fileName.Replace("\"", "");
        var head = Encoding.UTF8.GetBytes(
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{safeName}\"\r\nContent-Type: {mediaType}\r\n\r\n");
        var tail = Encoding.UTF8.GetBytes($"\r\n--{boundary}--\r\n");
        var body = new byte[head.Length + content.Length + tail.Length];
        head.CopyTo(body, 0);
        content.CopyTo(body, head.Length);
        tail.CopyTo(body, head.Length + content.Length);
        return (body, "multipart/form-data; boundary=" + boundary);
    }
}
