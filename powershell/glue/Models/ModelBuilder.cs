using System.Collections;
using System.Management.Automation;

namespace Okta.PowerShell.Models;

/// <summary>
/// Builds the PSCustomObject of an Initialize-Okta&lt;Model&gt; command from its bound parameters.
/// Every property is present, in schema order; a parameter that was not given is $null (not the ""
/// a [string] parameter would hold), so it is dropped when the body is sent.
/// </summary>
public static class ModelBuilder
{
    /// <param name="jsonNameByParameter">Ordered map: command parameter name → JSON property name.</param>
    /// <param name="bound">The command's $PSBoundParameters.</param>
    public static PSObject Build(IDictionary jsonNameByParameter, IDictionary bound)
    {
        var result = new PSObject();
        foreach (DictionaryEntry entry in jsonNameByParameter)
        {
            var parameter = (string)entry.Key;
            var value = bound.Contains(parameter) ? bound[parameter] : null;
            result.Properties.Add(new PSNoteProperty((string)entry.Value!, value));
        }
        return result;
    }
}
