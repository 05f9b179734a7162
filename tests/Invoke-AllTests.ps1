<#
.SYNOPSIS
Runs every test of the repository: the Rust tests (cargo test) and the Pester suites (real pwsh).
.DESCRIPTION
Called by Build.ps1 -Test after a build. Pester runs in a child pwsh so the module and its native
library load fresh. Prints each runner's own summary, then one line "N passed, N failed".
.PARAMETER Configuration
Release (default) or Debug: the cargo profile to test with (the one Build.ps1 built).
#>
[CmdletBinding()]
Param(
    [ValidateSet('Release', 'Debug')]
    [string]$Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Set-Location $root

$passed = 0
$failed = 0

Write-Host '==> cargo test (Rust)' -ForegroundColor Cyan
[string[]]$cargoFlags = if ($Configuration -eq 'Release') { @('--release') } else { @() }
& cargo test @cargoFlags --workspace 2>&1 | ForEach-Object { "$_" } | Tee-Object -Variable cargoLines | Out-Host
$cargoExit = $LASTEXITCODE
foreach ($line in $cargoLines) {
    if ($line -match 'test result: \w+\. (\d+) passed; (\d+) failed') {
        $passed += [int]$Matches[1]
        $failed += [int]$Matches[2]
    }
}
if ($cargoExit -ne 0 -and $failed -eq 0) {
    # a build error or a crashed test binary: count it, never let it pass silently
    Write-Host "cargo test exited with $cargoExit" -ForegroundColor Red
    $failed += 1
}

Write-Host '==> Pester (tests/pester, real pwsh)' -ForegroundColor Cyan
$resultFile = Join-Path ([System.IO.Path]::GetTempPath()) "okta-pester-$PID.json"
& dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'Invoke-Pester.ps1') -ResultFile $resultFile
$pesterExit = $LASTEXITCODE
if (Test-Path $resultFile) {
    $counts = Get-Content $resultFile -Raw | ConvertFrom-Json
    Remove-Item $resultFile
    $passed += $counts.Passed
    $failed += $counts.Failed
    if ($counts.Passed + $counts.Failed -eq 0) {
        Write-Host 'Pester ran no test' -ForegroundColor Red
        $failed += 1
    }
} else {
    Write-Host "Pester did not report (exit code $pesterExit)" -ForegroundColor Red
    $failed += 1
}

Write-Host "$passed passed, $failed failed"
exit ([int]($failed -gt 0))
