using System;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using System.Text.Json;
using Okta.PowerShell.Configuration;
using Okta.PowerShell.Diagnostics;

namespace Okta.PowerShell.Commands.Client;

/// <summary>
/// Start-OktaSimulator: runs okta-sim (laid out under tools/&lt;rid&gt;/ next to this assembly) on a free port of
/// 127.0.0.1 and returns its Url, Token and Process. The simulator's stdin is ours: when this process ends, the
/// pipe closes and okta-sim exits (--exit-on-stdin-close), so a crashed session leaves no server behind.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "OktaSimulator")]
[OutputType("Okta.PowerShell.Simulator")]
public sealed class StartOktaSimulatorCommand : PSCmdlet
{
    internal const string TypeName = "Okta.PowerShell.Simulator";

    [Parameter(Position = 0)]
    public int Seed { get; set; }

    [Parameter(Position = 1)]
    public string[] ArgumentList { get; set; } = Array.Empty<string>();

    [Parameter]
    public SwitchParameter Configure { get; set; }

    [Parameter(Position = 2)]
    public string? Path { get; set; }

    protected override void EndProcessing()
    {
        var path = Path is { Length: > 0 } given ? GetUnresolvedProviderPathFromPSPath(given) : DefaultPath();
        if (!File.Exists(path))
        {
            ThrowTerminatingError(new ErrorRecord(
                new FileNotFoundException($"okta-sim was not found at '{path}': run ./Build.ps1, or pass -Path.", path),
                "SimulatorNotFound", ErrorCategory.ObjectNotFound, path));
        }
        // A package manager may have dropped the execute bit (a .nupkg is a zip): restore it for its owner.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                try { File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute); }
                catch (UnauthorizedAccessException) { /* then Process.Start reports it */ }
            }
        }
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true, // closing it (or this process ending) stops the simulator
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", "0", "--exit-on-stdin-close" }) info.ArgumentList.Add(argument);
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Seed)))
        {
            info.ArgumentList.Add("--seed");
            info.ArgumentList.Add(Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        foreach (var argument in ArgumentList) info.ArgumentList.Add(argument);
        var process = Process.Start(info)!;
        // okta-sim's first line on stdout is {"url": ..., "token": ...}
        var firstLine = process.StandardOutput.ReadLineAsync();
        if (!firstLine.Wait(TimeSpan.FromSeconds(10)) || string.IsNullOrEmpty(firstLine.Result))
        {
            var exit = process.HasExited ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "still running";
            if (!process.HasExited) process.Kill();
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException($"okta-sim did not start within 10 s (exit code: {exit})."),
                "SimulatorDidNotStart", ErrorCategory.OpenError, path));
        }
        using var endpoint = JsonDocument.Parse(firstLine.Result!);
        var url = endpoint.RootElement.GetProperty("url").GetString();
        var token = endpoint.RootElement.GetProperty("token").GetString();
        var simulator = new PSObject();
        simulator.TypeNames.Insert(0, TypeName);
        simulator.Properties.Add(new PSNoteProperty("Url", url));
        simulator.Properties.Add(new PSNoteProperty("Token", token));
        simulator.Properties.Add(new PSNoteProperty("Process", process));
        simulator.Properties.Add(new PSNoteProperty("Stopped", false));
        if (Configure)
        {
            var configuration = OktaConfiguration.Current;
            configuration["BaseUrl"] = url;
            configuration["ApiKey"] = new System.Collections.Hashtable { ["apitoken"] = token };
        }
        WriteObject(simulator);
    }

    private static string DefaultPath()
    {
        var folder = System.IO.Path.GetDirectoryName(typeof(StartOktaSimulatorCommand).Assembly.Location) ?? AppContext.BaseDirectory;
        var name = OperatingSystem.IsWindows() ? "okta-sim.exe" : "okta-sim";
        return System.IO.Path.Combine(folder, "tools", ModuleLayout.RuntimeIdentifier, name);
    }
}

/// <summary>Stop-OktaSimulator: stops what Start-OktaSimulator started; stopping twice is harmless.</summary>
[Cmdlet(VerbsLifecycle.Stop, "OktaSimulator")]
public sealed class StopOktaSimulatorCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [PSTypeName(StartOktaSimulatorCommand.TypeName)]
    public PSObject Simulator { get; set; } = null!;

    protected override void ProcessRecord()
    {
        if (LanguagePrimitives.IsTrue(Simulator.Properties["Stopped"]?.Value)) return;
        if (PSValuesOf(Simulator.Properties["Process"]?.Value) is Process process)
        {
            if (!process.HasExited)
            {
                process.StandardInput.Close();
                if (!process.WaitForExit(5000)) process.Kill();
            }
            process.Dispose();
        }
        Simulator.Properties["Stopped"].Value = true;
    }

    private static object? PSValuesOf(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
