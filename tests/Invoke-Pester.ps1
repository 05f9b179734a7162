<#
.SYNOPSIS
Runs the Pester suites under tests/pester against the built module, with the pinned Pester 5.7.1.
.PARAMETER Path
Test files or folders (default: tests/pester and examples).
.PARAMETER ExcludePath
Test files to leave out of -Path (Invoke-AllTests.ps1 runs them in other processes). Through `pwsh -File`, give
several as one comma-separated string.
.PARAMETER ResultFile
Where to write {"Passed": n, "Failed": n} for Invoke-AllTests.ps1.
.PARAMETER RestoreOnly
Only make sure Pester is restored (Invoke-AllTests.ps1 does this once before it starts several runs at once).
#>
[CmdletBinding()]
Param(
    [string[]]$Path = @((Join-Path $PSScriptRoot 'pester'), (Join-Path (Split-Path $PSScriptRoot) 'examples')),
    [string[]]$ExcludePath = @(),
    [string]$ResultFile,
    [switch]$RestoreOnly
)
$ErrorActionPreference = 'Stop'
$pester = Join-Path $PSScriptRoot '.tools/pester/5.7.1/tools/Pester.psd1'
if (-not (Test-Path $pester)) {
    # No PowerShell Gallery needed: NuGet serves Pester; the restore lands it in tests/.tools.
    & dotnet restore (Join-Path $PSScriptRoot 'tools/TestTools.csproj') --packages (Join-Path $PSScriptRoot '.tools') | Out-Host
    if ($LASTEXITCODE -ne 0) { throw 'Could not download Pester 5.7.1 from NuGet.' }
}
if ($RestoreOnly) { return }
Import-Module $pester -MinimumVersion 5.7.1

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
# Pester matches ExcludePath as wildcards against full paths
$configuration.Run.ExcludePath = @($ExcludePath | ForEach-Object { $_ -split ',' } | Where-Object { $_ } | ForEach-Object { (Resolve-Path $_).Path })
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Should.ErrorAction = 'Stop'
$result = Invoke-Pester -Configuration $configuration

# Where the time went, one line per file (setup and teardown included), slowest first: the CI budget is watched here.
Write-Host 'Time per test file (s, including BeforeAll/AfterAll):'
$result.Containers | Sort-Object Duration -Descending | ForEach-Object {
    Write-Host ('{0,8:n1}  {1,4} tests  {2}' -f $_.Duration.TotalSeconds, ($_.PassedCount + $_.FailedCount), (Split-Path $_.Item -Leaf))
}
if ($ResultFile) {
    @{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount } |
        ConvertTo-Json | Set-Content -Path $ResultFile
}
exit ([int]($result.Result -ne 'Passed'))
