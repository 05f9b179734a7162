# Shared by the Pester suites: import the built module, start and stop a private okta-sim.

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path

function Get-RepositoryRoot { $script:RepositoryRoot }

function Import-OktaModule {
    # Always the laid-out module at the repository root, as a user imports it.
    Import-Module (Join-Path $script:RepositoryRoot 'Okta.PowerShell.psd1') -Force -Global -ErrorAction Stop
}

function Get-OktaSimulatorPath {
    if ($env:OKTA_SIM_PATH) { return $env:OKTA_SIM_PATH }
    $name = if ($IsWindows) { 'okta-sim.exe' } else { 'okta-sim' }
    $found = Get-ChildItem -Path (Join-Path $script:RepositoryRoot 'bin/tools') -Filter $name -Recurse -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $found) { throw "okta-sim not found under bin/tools: run ./Build.ps1 first (or set OKTA_SIM_PATH)." }
    $found.FullName
}

function Start-OktaSimulator {
    <#
    .SYNOPSIS
    Starts a private simulator on a free loopback port and returns its Url, Token and Process.
    #>
    param([string[]]$ArgumentList = @())
    $info = [System.Diagnostics.ProcessStartInfo]::new((Get-OktaSimulatorPath))
    foreach ($argument in @('--port', '0', '--exit-on-stdin-close') + $ArgumentList) { $info.ArgumentList.Add($argument) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardInput = $true   # closing it (or our death) stops the simulator
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $firstLine = $process.StandardOutput.ReadLineAsync()
    if (-not $firstLine.Wait(10000)) {
        $process.Kill()
        throw 'okta-sim did not print its URL within 10 s.'
    }
    $endpoint = $firstLine.Result | ConvertFrom-Json
    [PSCustomObject]@{ Url = $endpoint.url; Token = $endpoint.token; Process = $process }
}

function Stop-OktaSimulator {
    param($Simulator)
    if ($null -eq $Simulator) { return }
    $Simulator.Process.StandardInput.Close()
    if (-not $Simulator.Process.WaitForExit(5000)) { $Simulator.Process.Kill() }
    $Simulator.Process.Dispose()
}

Export-ModuleMember -Function Get-RepositoryRoot, Import-OktaModule, Start-OktaSimulator, Stop-OktaSimulator
