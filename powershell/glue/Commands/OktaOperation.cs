using System;

namespace Okta.PowerShell.Commands;

/// <summary>Where a command parameter goes in the request.</summary>
public enum ParameterIn
{
    Path,
    Query,
    Header,
    Body,
}

/// <summary>One command parameter of an operation: its PowerShell name, where it goes, and its wire name.</summary>
public readonly record struct OktaParameter(string Name, ParameterIn In, string Wire);

/// <summary>
/// An API operation as data: what a generated command hands to <see cref="OktaApiCmdlet"/>. Written by
/// crates/okta-gen from the API facts; nothing here is Okta-specific logic.
/// </summary>
public sealed class OktaOperation
{
    public OktaOperation(string operationId, string method, string path, params OktaParameter[] parameters)
    {
        OperationId = operationId;
        Method = method;
        Path = path;
        Parameters = parameters;
        foreach (var parameter in parameters)
        {
            if (parameter.In == ParameterIn.Body) BodyParameter = parameter.Name;
            if (parameter.In == ParameterIn.Path) TargetParameter = parameter.Name;
        }
        Writes = method is not ("GET" or "HEAD" or "OPTIONS");
    }

    public string OperationId { get; }
    public string Method { get; }
    /// <summary>The path template, e.g. /api/v1/users/{id}.</summary>
    public string Path { get; }
    public OktaParameter[] Parameters { get; }
    public string? BodyParameter { get; }
    /// <summary>The last path parameter: the resource the command acts on (shown by -WhatIf, used as an error's target).</summary>
    public string? TargetParameter { get; }
    public bool Writes { get; }
    /// <summary>The request body's content type (application/json unless the facts say otherwise).</summary>
    public string? BodyContentType { get; init; }
    /// <summary>The schema of the answer (Okta.PowerShell.&lt;Returns&gt; type names).</summary>
    public string? Returns { get; init; }
    /// <summary>Set when the answer is not JSON (a SAML metadata document, a CSR): returned as text or bytes.</summary>
    public string? ResponseContentType { get; init; }
    public bool Paginated { get; init; }
    /// <summary>The next link never ends (the System Log): -All stops at the first empty page.</summary>
    public bool EndlessNextLink { get; init; }
    public int? LimitMax { get; init; }
}
