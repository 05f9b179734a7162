<#
.SYNOPSIS
Starts okta-sim, the local simulated Okta org that ships with the module, and returns its URL and token.

.DESCRIPTION
Starts the simulator on a free port of 127.0.0.1 and waits until it answers. The returned object has
Url, Token and Process; with -Configure the session's configuration points at it, so every Okta command
talks to the simulator. The simulator stops with Stop-OktaSimulator, or when this PowerShell session ends.

.PARAMETER Seed
Creates this many deterministic demo users (plus groups and apps) at start.
.PARAMETER ArgumentList
More okta-sim flags, e.g. '--rate-limit', 'users=600/60s' or '--latency', '20ms' (see okta-sim --help).
.PARAMETER Configure
Points the session's configuration (BaseUrl and API token) at the simulator.
.PARAMETER Path
The okta-sim executable; by default the one laid out in the module folder.

.EXAMPLE
$sim = Start-OktaSimulator -Seed 100 -Configure
Invoke-OktaListUsers -Limit 5
Stop-OktaSimulator $sim
#>
function Start-OktaSimulator {
    [CmdletBinding()]
    Param(
        [int]$Seed,
        [string[]]$ArgumentList = @(),
        [switch]$Configure,
        [string]$Path
    )
    if (-not $Path) {
        $name = if ($IsWindows) { 'okta-sim.exe' } else { 'okta-sim' }
        $Path = Join-Path $PSScriptRoot "tools/$([Okta.PowerShell.Diagnostics.ModuleLayout]::RuntimeIdentifier)/$name"
    }
    if (-not (Test-Path $Path)) {
        throw [System.IO.FileNotFoundException]::new("okta-sim was not found at '$Path': run ./Build.ps1, or pass -Path.", $Path)
    }
    $info = [System.Diagnostics.ProcessStartInfo]::new($Path)
    $arguments = @('--port', '0', '--exit-on-stdin-close')
    if ($PSBoundParameters.ContainsKey('Seed')) { $arguments += '--seed', "$Seed" }
    foreach ($argument in $arguments + $ArgumentList) { $info.ArgumentList.Add($argument) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardInput = $true   # closing it (or this process ending) stops the simulator
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    # okta-sim's first line on stdout is {"url": ..., "token": ...}
    $firstLine = $process.StandardOutput.ReadLineAsync()
    if (-not $firstLine.Wait(10000) -or -not $firstLine.Result) {
        $process.Kill()
        throw "okta-sim did not start within 10 s (exit code: $(if ($process.HasExited) { $process.ExitCode } else { 'still running' }))."
    }
    $endpoint = $firstLine.Result | ConvertFrom-Json
    $simulator = [PSCustomObject]@{ PSTypeName = 'Okta.PowerShell.Simulator'; Url = $endpoint.url; Token = $endpoint.token; Process = $process; Stopped = $false }
    if ($Configure) {
        Set-OktaConfiguration -BaseUrl $simulator.Url -ApiKey @{ apitoken = $simulator.Token }
    }
    $simulator
}

<#
.SYNOPSIS
Stops a simulator started with Start-OktaSimulator.
.PARAMETER Simulator
The object Start-OktaSimulator returned.
.EXAMPLE
Stop-OktaSimulator $sim
#>
function Stop-OktaSimulator {
    [CmdletBinding()]
    Param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [PSTypeName('Okta.PowerShell.Simulator')]$Simulator
    )
    Process {
        if ($Simulator.Stopped) { return }   # stopping twice is harmless
        $process = $Simulator.Process
        if (-not $process.HasExited) {
            $process.StandardInput.Close()
            if (-not $process.WaitForExit(5000)) { $process.Kill() }
        }
        $process.Dispose()
        $Simulator.Stopped = $true
    }
}
