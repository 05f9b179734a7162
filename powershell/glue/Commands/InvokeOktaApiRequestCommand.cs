using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using Okta.PowerShell.Internal;

namespace Okta.PowerShell.Commands;

/// <summary>
/// Invoke-OktaApiRequest: any path of the org through the same core (auth, errors, -WhatIf), for operations
/// the spec lacks. The official module exports no such command.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "OktaApiRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PSObject))]
public sealed class InvokeOktaApiRequestCommand : OktaApiCmdlet
{
    /// <summary>GET (default), POST, PUT, PATCH, DELETE...</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Method { get; set; } = "GET";

    /// <summary>A path relative to the org (e.g. /api/v1/users/me), or a full URL of the org.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "/";

    /// <summary>Query parameters; an array value repeats the parameter.</summary>
    [Parameter]
    public IDictionary? Query { get; set; }

    /// <summary>The JSON body: a PSCustomObject, a hashtable or JSON text.</summary>
    [Parameter(Position = 2)]
    public object? Body { get; set; }

    /// <summary>Extra request headers (they win over the configuration's DefaultHeaders).</summary>
    [Parameter]
    public IDictionary? Headers { get; set; }

    [Parameter]
    public SwitchParameter WithHttpInfo { get; set; }

    /// <summary>Follows the answer's next links and streams every page.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    [Parameter]
    public SwitchParameter IncludeNullValues { get; set; }

    private OktaOperation? _operation;
    private Dictionary<string, object?>? _values;

    protected override OktaOperation OperationDefinition => _operation!;
    protected override IDictionary<string, object?> RequestValues => _values!;

    protected override void ProcessRecord()
    {
        var parameters = new List<OktaParameter>();
        _values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["WithHttpInfo"] = WithHttpInfo,
            ["All"] = All,
            ["IncludeNullValues"] = IncludeNullValues,
            ["Body"] = Body,
        };
        var path = Path.Trim();
        if (path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            _values["Uri"] = path;
        }
        else if (!path.StartsWith('/'))
        {
            path = "/" + path;
        }
        Add(parameters, Query, ParameterIn.Query, "query:");
        Add(parameters, Headers, ParameterIn.Header, "header:");
        if (Body is not null) parameters.Add(new OktaParameter("Body", ParameterIn.Body, ""));
        _operation = new OktaOperation("invokeApiRequest", Method.Trim().ToUpperInvariant(), path, parameters.ToArray());
        base.ProcessRecord();
    }

    private void Add(List<OktaParameter> parameters, IDictionary? source, ParameterIn where, string prefix)
    {
        if (source is null) return;
        foreach (DictionaryEntry entry in source)
        {
            var wire = PSValues.Unwrap(entry.Key)?.ToString() ?? string.Empty;
            var key = prefix + wire;
            parameters.Add(new OktaParameter(key, where, wire));
            _values![key] = entry.Value;
        }
    }
}
