<#
.SYNOPSIS
Where a cold Import-Module of Okta.PowerShell goes: each piece of the manifest timed alone in fresh processes.
.DESCRIPTION
In fresh pwsh processes (median of -Samples), times: an empty module; loading each assembly of the manifest
(Add-Type -Path, no cmdlets registered); importing each as a binary module (its cmdlets and aliases registered);
the script module alone; the format data alone; and the whole manifest. The differences show which piece costs.
.PARAMETER Samples
Fresh processes per piece (default 5).
.EXAMPLE
dotnet pwsh ./tests/bench/Measure-ImportBreakdown.ps1
#>
[CmdletBinding()]
Param([int]$Samples = 5)
$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
Import-Module (Join-Path $PSScriptRoot 'BenchCommon.psm1') -Force
$bin = Join-Path $root 'bin'
$empty = Join-Path ([IO.Path]::GetTempPath()) 'okta-bench-empty/Empty.psm1'
New-Item -ItemType Directory -Force (Split-Path $empty) | Out-Null
Set-Content $empty '# empty'
$pieces = [ordered]@{
    'empty module'                                 = "Import-Module '$empty'"
    'Add-Type Okta.PowerShell.dll (load only)'     = "Add-Type -Path '$bin/Okta.PowerShell.dll'"
    'Add-Type Okta.PowerShell.Models.dll (load only)' = "Add-Type -Path '$bin/Okta.PowerShell.dll'; Add-Type -Path '$bin/Okta.PowerShell.Models.dll'"
    'Import-Module Okta.PowerShell.dll (cmdlets)'  = "Import-Module '$bin/Okta.PowerShell.dll'"
    'Import-Module both dlls (cmdlets, aliases)'   = "Import-Module '$bin/Okta.PowerShell.dll'; Import-Module '$bin/Okta.PowerShell.Models.dll'"
    'Update-FormatData (format.ps1xml alone)'      = "Update-FormatData -PrependPath '$bin/Okta.PowerShell.format.ps1xml'"
    'the whole manifest'                           = "Import-Module '$root/Okta.PowerShell.psd1'"
}
$measured = @{}; foreach ($k in $pieces.Keys) { $measured[$k] = [System.Collections.Generic.List[double]]::new() }
foreach ($i in 1..$Samples) {
    foreach ($k in $pieces.Keys) {
        $script = "`$w = [Diagnostics.Stopwatch]::StartNew(); $($pieces[$k]); [pscustomobject]@{ ms = `$w.Elapsed.TotalMilliseconds } | ConvertTo-Json -Compress"
        $measured[$k].Add((Invoke-BenchProcess -FilePath (Get-Command dotnet).Source -ArgumentList 'pwsh', '-NoProfile', '-NonInteractive', '-Command', $script -TimeoutSec 120).ms)
    }
}
$pieces.Keys | ForEach-Object {
    $s = Get-BenchStats $measured[$_].ToArray() -Digits 0
    [pscustomobject]@{ Piece = $_; 'median ms' = $s.Median; spread = $s.Spread }
} | Format-Table -AutoSize | Out-String -Width 200 | Out-Host
