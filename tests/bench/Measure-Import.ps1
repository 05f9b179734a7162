<#
.SYNOPSIS
Measures a cold Import-Module of Okta.PowerShell in fresh pwsh processes; prints the median and spread.
.DESCRIPTION
Each sample starts a new `dotnet pwsh` and times only the Import-Module inside it, and the working set it
adds. With -CompareWith, the same is measured for another module manifest (e.g. the official
okta-powershell-cli checkout) in the same run, samples interleaved, and the ratio is printed.
.PARAMETER Samples
How many fresh processes per module (default 7).
.PARAMETER ReadyToRun
Runs the samples in a copy of pwsh whose PowerShell assemblies are ReadyToRun-compiled, as installed pwsh
releases are (tests/bench/New-ReadyToRunPwsh.ps1 makes it once). The pwsh .NET tool used otherwise JIT-compiles
the whole engine, which inflates every module's import time and working set.
.PARAMETER CompareWith
Path to another module's .psd1 to measure side by side.
.EXAMPLE
dotnet pwsh ./tests/bench/Measure-Import.ps1 -Samples 9
#>
[CmdletBinding()]
Param(
    [int]$Samples = 7,
    [string]$CompareWith,
    [switch]$ReadyToRun
)
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
if ($ReadyToRun) { $script:readyToRunPwsh = & (Join-Path $PSScriptRoot 'New-ReadyToRunPwsh.ps1') | Select-Object -Last 1 }

function Measure-Once([string]$Manifest) {
    $script = "`$before = [Environment]::WorkingSet; `$w = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$Manifest' -ErrorAction Stop; `$ms = `$w.Elapsed.TotalMilliseconds; '{0} {1}' -f `$ms, (([Environment]::WorkingSet - `$before) / 1MB)"
    $out = if ($ReadyToRun) { & dotnet $script:readyToRunPwsh -NoProfile -NonInteractive -Command $script } else { & dotnet pwsh -NoProfile -NonInteractive -Command $script }
    if ($LASTEXITCODE -ne 0) { throw "Import of $Manifest failed: $out" }
    $ms, $mib = ($out | Select-Object -Last 1) -split ' '
    [pscustomobject]@{ Ms = [double]$ms; MiB = [double]$mib }
}

function Summarize([string]$Label, [object[]]$Measurements) {
    $sorted = $Measurements.Ms | Sort-Object
    $memory = $Measurements.MiB | Sort-Object
    [PSCustomObject]@{
        Module         = $Label
        MedianMs       = [math]::Round($sorted[[int][math]::Floor($sorted.Count / 2)], 1)
        MinMs          = [math]::Round($sorted[0], 1)
        MaxMs          = [math]::Round($sorted[-1], 1)
        'Added MiB'    = [math]::Round($memory[[int][math]::Floor($memory.Count / 2)], 1)
        Samples        = $sorted.Count
    }
}

$ours = Join-Path $root 'Okta.PowerShell.psd1'
$other = if ($CompareWith) { (Resolve-Path $CompareWith).Path }
$oursSamples = [System.Collections.Generic.List[object]]::new()
$otherSamples = [System.Collections.Generic.List[object]]::new()
foreach ($i in 1..$Samples) {
    # interleaved, so a busy moment of the machine affects both alike
    $oursSamples.Add((Measure-Once $ours))
    if ($other) { $otherSamples.Add((Measure-Once $other)) }
}
$rows = @(Summarize 'Okta.PowerShell (this repository)' $oursSamples)
if ($other) { $rows += Summarize $other $otherSamples }
foreach ($row in $rows) {
    $row | Add-Member -NotePropertyName 'Median / ours' -NotePropertyValue ([math]::Round($row.MedianMs / $rows[0].MedianMs, 1))
}
$rows | Format-Table -AutoSize | Out-String -Width 250 | Out-Host
