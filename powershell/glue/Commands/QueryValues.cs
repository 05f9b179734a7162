using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using Okta.PowerShell.Internal;

namespace Okta.PowerShell.Commands;

/// <summary>How a PowerShell parameter value is written into a URL (path segment or query value).</summary>
internal static class QueryValues
{
    internal static IEnumerable<string> Format(object? value)
    {
        value = PSValues.Unwrap(value);
        if (value is IEnumerable sequence and not string)
        {
            foreach (var item in sequence) yield return FormatOne(item);
            yield break;
        }
        yield return FormatOne(value);
    }

    private static string FormatOne(object? value) => PSValues.Unwrap(value) switch
    {
        null => string.Empty,
        string s => s,
        // Okta expects lower-case booleans; PowerShell would write True/False.
        bool b => b ? "true" : "false",
        System.Management.Automation.SwitchParameter sw => sw.IsPresent ? "true" : "false",
        DateTime dt => dt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString() ?? string.Empty,
    };
}
