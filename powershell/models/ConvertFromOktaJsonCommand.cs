using System.Collections.Generic;
using System.Management.Automation;
using Okta.PowerShell.Json;

namespace Okta.PowerShell.Commands;

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
        FormatDataLoader.EnsureLoaded(this);
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
