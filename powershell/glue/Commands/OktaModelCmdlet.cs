using System.Collections.Generic;
using System.Management.Automation;
using Okta.PowerShell.Internal;
using Okta.PowerShell.Json;

namespace Okta.PowerShell.Commands;

/// <summary>One property of a model: the builder's parameter name and the JSON property it sets.</summary>
public readonly record struct OktaProperty(string Parameter, string Json);

/// <summary>A schema as data: its name and its properties in order (written by crates/okta-gen).</summary>
public sealed class OktaModel
{
    public OktaModel(string schema, params OktaProperty[] properties)
    {
        Schema = schema;
        Properties = properties;
    }

    public string Schema { get; }
    public OktaProperty[] Properties { get; }

    /// <summary>
    /// An object typed Okta.PowerShell.&lt;Schema&gt; with every property, in schema order; one not given is
    /// $null (so it is left out of a request body, and `$g.profile = ...` works on it).
    /// </summary>
    public PSObject Create(System.Func<OktaProperty, object?> valueOf)
    {
        var result = new PSObject();
        foreach (var property in Properties)
        {
            result.Properties.Add(new PSNoteProperty(property.Json, valueOf(property)));
        }
        OktaTypeNames.Name(result, Schema);
        return result;
    }
}

/// <summary>Base of every Initialize-Okta&lt;Schema&gt; builder.</summary>
public abstract class OktaModelCmdlet : PSCmdlet
{
    protected abstract OktaModel ModelDefinition { get; }

    protected override void BeginProcessing() => FormatDataLoader.EnsureLoaded(this);

    protected override void ProcessRecord()
    {
        var bound = MyInvocation.BoundParameters;
        WriteObject(ModelDefinition.Create(property =>
            bound.TryGetValue(property.Parameter, out var value) ? Adjust(property, value) : null));
    }

    /// <summary>Hook for hand-written extensions (powershell/Custom): how a given value becomes the property's value.</summary>
    protected virtual object? Adjust(OktaProperty property, object? value) => value;
}

