using System;
using System.Collections;
using System.Management.Automation;

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
        var names = target.TypeNames;
        if (names.Count > 0 && names[0].StartsWith(Prefix, StringComparison.Ordinal)) return;
        var specific = Specific(target, schema);
        // inserted at the front, most general first, so the most specific ends up first
        Insert(names, schema);
        if (specific != schema) Insert(names, specific);
    }

    private static void Insert(System.Collections.ObjectModel.Collection<string> names, string schema)
    {
        if (OktaCatalog.Parents.TryGetValue(schema, out var parents))
        {
            for (var i = parents.Length - 1; i >= 0; i--) names.Insert(0, Prefix + parents[i]);
        }
        names.Insert(0, Prefix + schema);
    }

    private static string Specific(PSObject target, string schema)
    {
        if (!OktaCatalog.Discriminators.TryGetValue(schema, out var discriminator)) return schema;
        var value = target.Properties[discriminator.Property]?.Value?.ToString();
        return value is not null && discriminator.Map.TryGetValue(value, out var sub) ? sub : schema;
    }
}
