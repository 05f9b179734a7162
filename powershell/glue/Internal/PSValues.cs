using System.Management.Automation;

namespace Okta.PowerShell.Internal;

/// <summary>Small helpers for values that arrive from PowerShell.</summary>
internal static class PSValues
{
    /// <summary>The .NET object inside a PSObject wrapper (PowerShell wraps most values it passes on).</summary>
    internal static object? Unwrap(object? value) => value is PSObject ps ? ps.BaseObject : value;
}
