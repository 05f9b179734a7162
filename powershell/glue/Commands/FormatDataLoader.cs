using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace Okta.PowerShell.Commands;

/// <summary>
/// Loads the module's table views (Okta.PowerShell.format.ps1xml) into a runspace just before the first Okta object
/// it writes, instead of at Import-Module: adding any format file makes PowerShell rebuild the runspace's whole format
/// table, which cost ~3.5 MiB and 30–70 ms of every import (tests/bench/Measure-Import.ps1), paid even by scripts that
/// never print a table. The first command of a runspace pays it instead, once.
/// </summary>
public static class FormatDataLoader
{
    private static readonly ConditionalWeakTable<Runspace, object> Loaded = new();
    private static readonly object Marker = new();

    /// <summary>The format file Build.ps1 lays out beside the glue assembly.</summary>
    internal static string FormatFile =>
        Path.Combine(Path.GetDirectoryName(typeof(FormatDataLoader).Assembly.Location) ?? AppContext.BaseDirectory, "Okta.PowerShell.format.ps1xml");

    /// <summary>Called by every command that writes Okta objects, before it writes anything (cheap after the first time).</summary>
    public static void EnsureLoaded(PSCmdlet cmdlet)
    {
        if (Runspace.DefaultRunspace is not { } runspace || Loaded.TryGetValue(runspace, out _)) return;
        Loaded.AddOrUpdate(runspace, Marker);
        var file = FormatFile;
        if (!File.Exists(file)) return;
        try
        {
            using var update = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
            // never under the caller's -WhatIf/-Confirm: loading views changes nothing in the org
            update.AddCommand("Microsoft.PowerShell.Utility\\Update-FormatData").AddParameter("AppendPath", file)
                .AddParameter("WhatIf", false).AddParameter("Confirm", false).Invoke();
            foreach (var error in update.Streams.Error) cmdlet.WriteWarning("The table views of Okta objects could not be loaded: " + error);
        }
        catch (Exception exception) when (exception is RuntimeException or InvalidOperationException)
        {
            // a host with a shared, read-only format table: objects still print, as lists
            cmdlet.WriteVerbose("The table views of Okta objects could not be loaded: " + exception.Message);
        }
    }
}
