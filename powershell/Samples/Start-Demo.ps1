<#
.SYNOPSIS
Starts the embedded simulator (okta-sim), runs QuickStart.ps1 against it in this session, and stops it.
.PARAMETER SimulatorPath
The okta-sim executable (Build.ps1 passes the one it laid out under bin/tools).
#>
Param([Parameter(Mandatory)][string]$SimulatorPath)
$ErrorActionPreference = 'Stop'

$info = [System.Diagnostics.ProcessStartInfo]::new($SimulatorPath)
foreach ($argument in '--port', '0', '--exit-on-stdin-close') { $info.ArgumentList.Add($argument) }
$info.RedirectStandardOutput = $true
$info.RedirectStandardInput = $true
$simulator = [System.Diagnostics.Process]::Start($info)
try {
    # okta-sim's first line is {"url": ..., "token": ...}
    $endpoint = $simulator.StandardOutput.ReadLine() | ConvertFrom-Json
    Write-Host "okta-sim is listening at $($endpoint.url)" -ForegroundColor Green
    Import-Module (Join-Path $PSScriptRoot '../../Okta.PowerShell.psd1') -Force
    Set-OktaConfiguration -BaseUrl $endpoint.url -ApiKey @{ apitoken = $endpoint.token }
    & (Join-Path $PSScriptRoot 'QuickStart.ps1')
} finally {
    $simulator.StandardInput.Close()
    if (-not $simulator.WaitForExit(5000)) { $simulator.Kill() }
    Write-Host "`nokta-sim stopped." -ForegroundColor Green
}
