<#
.SYNOPSIS
Starts the embedded simulator (okta-sim), runs QuickStart.ps1 against it in this session, and stops it.
#>
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../../Okta.PowerShell.psd1') -Force
$simulator = Start-OktaSimulator -Configure
try {
    Write-Host "okta-sim is listening at $($simulator.Url)" -ForegroundColor Green
    & (Join-Path $PSScriptRoot 'QuickStart.ps1')
} finally {
    Stop-OktaSimulator $simulator
    Write-Host "`nokta-sim stopped." -ForegroundColor Green
}
