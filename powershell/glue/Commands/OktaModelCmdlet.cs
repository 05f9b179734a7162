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
        WriteObject(ModelDefinition.Create(property =>
            bound.TryGetValue(property.Parameter, out var value) ? Adjust(property, value) : null));
    }

    /// <summary>Hook for hand-written extensions (powershell/Custom): how a given value becomes the property's value.</summary>
    protected virtual object? Adjust(OktaProperty property, object? value) => value;
}

/// <summary>
/// ConvertFrom-OktaJson: JSON text → objects typed Okta.PowerShell.&lt;Schema&gt;. Every official
/// ConvertFrom-OktaJsonTo&lt;Schema&gt; name is a generated alias of it (Converters.g.cs); called through
/// one, the schema comes from the name.
/// </summary>
[Cmdlet(VerbsData.ConvertFrom, "OktaJson")]
[OutputType(typeof(PSObject))]
public sealed partial class ConvertFromOktaJsonCommand : PSCmdlet
{
    private const string AliasPrefix = "ConvertFrom-OktaJsonTo";

    /// <summary>The JSON text of one object (or of an array of them).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowEmptyString]
    public string Json { get; set; } = string.Empty;

    /// <summary>The schema, e.g. User (not needed when called as ConvertFrom-OktaJsonTo&lt;Schema&gt;).</summary>
    [Parameter(Position = 1)]
    public string? Schema { get; set; }

    private OktaModel? _model;

    protected override void BeginProcessing()
    {
        var invoked = MyInvocation.InvocationName ?? string.Empty;
        invoked = invoked[(invoked.LastIndexOf('\\') + 1)..];
        var schema = Schema
            ?? (invoked.StartsWith(AliasPrefix, System.StringComparison.OrdinalIgnoreCase) ? invoked[AliasPrefix.Length..] : null);
        if (schema is null)
        {
            ThrowTerminatingError(new ErrorRecord(new PSArgumentException("-Schema: name the Okta schema, e.g. -Schema User.", "Schema"),
                "SchemaRequired", ErrorCategory.InvalidArgument, null));
            return;
        }
        _model = OktaModels.Find(schema);
        if (_model is null)
        {
            ThrowTerminatingError(new ErrorRecord(new PSArgumentException($"-Schema: '{schema}' is not an Okta schema this module knows.", "Schema"),
                "UnknownSchema", ErrorCategory.InvalidArgument, schema));
        }
    }

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
        if (item is not PSObject source)
        {
            throw new PSArgumentException($"-Json: expected a JSON object for {_model!.Schema}, got {item ?? "null"}.", "Json");
        }
        var known = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
        var result = _model!.Create(property =>
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
