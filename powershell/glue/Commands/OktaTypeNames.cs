using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using Okta.PowerShell.Json;

namespace Okta.PowerShell.Commands;

/// <summary>
/// Gives answers their Okta type names (<c>Okta.PowerShell.User</c>), so format data picks a default table view
/// and scripts can test <c>$x.PSObject.TypeNames</c>. A polymorphic answer is named by its discriminator
/// (an Application with signOnMode SAML_2_0 is a SamlApplication, and still an Application).
/// </summary>
internal static class OktaTypeNames
{
    internal const string Prefix = "Okta.PowerShell.";

    internal static void Apply(object? value, string? schema)
    {
        if (schema is null || value is null) return;
        if (value is PSObject single)
        {
            Name(single, schema);
            return;
        }
        if (value is IEnumerable list and not string)
        {
            foreach (var item in list)
            {
                if (item is PSObject element) Name(element, schema);
            }
        }
    }

    internal static void Name(PSObject target, string schema)
    {
        var names = TypeNamesWriter.Peek(target);
        if (names.Count > 0 && names[0].StartsWith(Prefix, StringComparison.Ordinal)) return;
        var specific = Specific(target, schema);
        // most specific first: the discriminated type and its parents, then the schema and its parents
        var front = new List<string>(4);
        if (specific != schema) AddWithParents(front, specific);
        AddWithParents(front, schema);
        TypeNamesWriter.Prepend(target, front);
    }

    private static void AddWithParents(List<string> names, string schema)
    {
        names.Add(Prefix + schema);
        if (OktaCatalog.Parents.TryGetValue(schema, out var parents))
        {
            foreach (var parent in parents) names.Add(Prefix + parent);
        }
    }

    private static string Specific(PSObject target, string schema)
    {
        if (!OktaCatalog.Discriminators.TryGetValue(schema, out var discriminator)) return schema;
        var value = target.Properties[discriminator.Property]?.Value?.ToString();
        return value is not null && discriminator.Map.TryGetValue(value, out var sub) ? sub : schema;
    }
}
