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
    internal PSObject Create(System.Func<OktaProperty, object?> valueOf)
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

    protected override void ProcessRecord()
    {
        var bound = MyInvocation.BoundParameters;
        WriteObject(ModelDefinition.Create(property => bound.TryGetValue(property.Parameter, out var value) ? value : null));
    }
}

/// <summary>Base of every ConvertFrom-OktaJsonTo&lt;Schema&gt; converter.</summary>
public abstract class OktaJsonConverterCmdlet : PSCmdlet
{
    protected abstract OktaModel ModelDefinition { get; }

    /// <summary>The JSON text of one object (or of an array of them).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowEmptyString]
    public string Json { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        var parsed = JsonToPSObject.Parse(Json);
        if (parsed is object[] items)
        {
            foreach (var item in items) WriteObject(Convert(item));
        }
        else if (parsed is not null)
        {
            WriteObject(Convert(parsed));
        }
    }

    /// <summary>Every property of the schema (missing ones $null), then any the JSON has beyond the schema.</summary>
    private PSObject Convert(object? item)
    {
        if (PSValues.Unwrap(item) is not PSCustomObject && item is not PSObject)
        {
            throw new PSArgumentException($"-Json: expected a JSON object for {ModelDefinition.Schema}, got {item ?? "null"}.", "Json");
        }
        var source = (PSObject)item!;
        var known = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
        var result = ModelDefinition.Create(property =>
        {
            known.Add(property.Json);
            return source.Properties[property.Json]?.Value;
        });
        foreach (var property in source.Properties)
        {
            if (!known.Contains(property.Name)) result.Properties.Add(new PSNoteProperty(property.Name, property.Value));
        }
        return result;
    }
}
