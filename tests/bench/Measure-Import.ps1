<#
.SYNOPSIS
Measures a cold Import-Module of Okta.PowerShell in fresh pwsh processes; prints the median and spread.
.DESCRIPTION
Each sample starts a new `dotnet pwsh` and times only the Import-Module inside it. With -CompareWith, the
same is measured for another module manifest (e.g. the official okta-powershell-cli checkout) in the same
run, and the ratio is printed.
.PARAMETER Samples
How many fresh processes per module (default 7).
.PARAMETER CompareWith
Path to another module's .psd1 to measure side by side.
.EXAMPLE
dotnet pwsh ./tests/bench/Measure-Import.ps1 -Samples 9
#>
[CmdletBinding()]
Param(
    [int]$Samples = 7,
    [string]$CompareWith
)
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Measure-ColdImport([string]$Label, [string]$Manifest) {
    $times = foreach ($i in 1..$Samples) {
        $script = "`$w = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$Manifest' -ErrorAction Stop; `$w.Elapsed.TotalMilliseconds"
        $out = & dotnet pwsh -NoProfile -NonInteractive -Command $script
        if ($LASTEXITCODE -ne 0) { throw "Import of $Manifest failed: $out" }
        [double]($out | Select-Object -Last 1)
    }
    $sorted = $times | Sort-Object
    [PSCustomObject]@{
        Module   = $Label
        MedianMs = [math]::Round($sorted[[int][math]::Floor($sorted.Count / 2)], 1)
        MinMs    = [math]::Round($sorted[0], 1)
        MaxMs    = [math]::Round($sorted[-1], 1)
        Samples  = $sorted.Count
    }
}

$rows = @(Measure-ColdImport 'Okta.PowerShell (this repository)' (Join-Path $root 'Okta.PowerShell.psd1'))
if ($CompareWith) {
    $other = (Resolve-Path $CompareWith).Path
    $rows += Measure-ColdImport $other $other
}
foreach ($row in $rows) {
    $row | Add-Member -NotePropertyName 'Median / ours' -NotePropertyValue ([math]::Round($row.MedianMs / $rows[0].MedianMs, 1))
}
$rows | Format-Table -AutoSize | Out-String -Width 250 | Out-Host
