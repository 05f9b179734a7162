#!/usr/bin/env pwsh
<#
.SYNOPSIS
Builds Okta.PowerShell (Rust core + C# glue), lays the module out, and optionally runs the demo or every test.

.DESCRIPTION
The one build entry point. Steps:
  1. cargo build of the native core (okta-ffi) and the simulator (okta-sim)
  2. checks that the committed C# bindings match the Rust exports, and that the generated command surface
     (powershell/Generated, okta-sim's route table) matches crates/okta-gen's output
  3. dotnet build of the C# glue with the generated cmdlets
  4. lays out bin/: Okta.PowerShell.dll, en-US/ help, the format data, runtimes/<rid>/native/<core library>,
     tools/<rid>/okta-sim, and Okta.PowerShell.psm1 (the script commands of powershell/Client joined into one file)
After it, `Import-Module ./Okta.PowerShell.psd1` works from the repository root.

.PARAMETER Demo
After building, starts the simulator, runs powershell/Samples/QuickStart.ps1 against it, and stops it.
.PARAMETER Test
After building, runs every test: cargo test (Rust) and the Pester suites under tests/pester (real pwsh).
Ends with one line "N passed, N failed"; the exit code is non-zero when anything failed.
.PARAMETER Configuration
Release (default) or Debug, for the Rust and C# builds.

.EXAMPLE
dotnet tool restore; dotnet pwsh ./Build.ps1 -Demo
.EXAMPLE
dotnet pwsh ./Build.ps1 -Test
#>
[CmdletBinding()]
Param(
    [switch]$Demo,
    [switch]$Test,
    [ValidateSet('Release', 'Debug')]
    [string]$Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot
Set-Location $root

function Invoke-Native {
    # Runs a native command and stops the build when it fails.
    param([string]$Description, [scriptblock]$Command)
    Write-Host "==> $Description" -ForegroundColor Cyan
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$Description failed (exit code $LASTEXITCODE)." }
}

function Get-RuntimeId {
    # Must give the same names as Okta.PowerShell.Diagnostics.ModuleLayout.RuntimeIdentifier (C#), which
    # finds the files at run time; this script runs before that assembly exists.
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $arch = [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
    "$os-$arch"
}

$rid = Get-RuntimeId
$cargoProfile = if ($Configuration -eq 'Release') { 'release' } else { 'debug' }
[string[]]$cargoFlags = if ($Configuration -eq 'Release') { @('--release') } else { @() }
$nativeName = if ($IsWindows) { 'okta_ffi.dll' } elseif ($IsMacOS) { 'libokta_ffi.dylib' } else { 'libokta_ffi.so' }
$simName = if ($IsWindows) { 'okta-sim.exe' } else { 'okta-sim' }
$bin = Join-Path $root 'bin'

$started = [System.Diagnostics.Stopwatch]::StartNew()
Invoke-Native 'cargo build (okta-ffi, okta-sim)' { cargo build @cargoFlags -p okta-ffi -p okta-sim }
Invoke-Native 'C# bindings are fresh' { cargo test @cargoFlags -p okta-ffi --test bindings --quiet }
# The generated surface: `cargo run -p okta-gen` rewrites it; this only checks that the committed files match.
Invoke-Native 'generated command surface is fresh' { cargo run @cargoFlags -q -p okta-gen -- --check }
# The models project references the glue, so this builds both assemblies.
Invoke-Native 'dotnet build (C# glue, API and model commands)' { dotnet build (Join-Path $root 'powershell/models/Okta.PowerShell.Models.csproj') -c $Configuration -nologo -v quiet -o (Join-Path $root 'out/glue') }

Write-Host '==> laying out bin/' -ForegroundColor Cyan
$nativeDir = Join-Path $bin "runtimes/$rid/native"
$toolsDir = Join-Path $bin "tools/$rid"
New-Item -ItemType Directory -Force -Path $nativeDir, $toolsDir | Out-Null
# A pwsh that has the module loaded keeps the old dll open; copying over it fails on Windows only.
Copy-Item (Join-Path $root 'out/glue/Okta.PowerShell.dll'), (Join-Path $root 'out/glue/Okta.PowerShell.Models.dll') $bin -Force
Copy-Item (Join-Path $root "target/$cargoProfile/$nativeName") $nativeDir -Force
Copy-Item (Join-Path $root "target/$cargoProfile/$simName") $toolsDir -Force
New-Item -ItemType Directory -Force -Path (Join-Path $bin 'en-US') | Out-Null
Copy-Item (Join-Path $root 'powershell/Generated/en-US/Okta.PowerShell.g.dll-Help.xml') (Join-Path $bin 'en-US/Okta.PowerShell.dll-Help.xml') -Force
Copy-Item (Join-Path $root 'powershell/Generated/en-US/Okta.PowerShell.Models.g.dll-Help.xml') (Join-Path $bin 'en-US/Okta.PowerShell.Models.dll-Help.xml') -Force
Copy-Item (Join-Path $root 'powershell/Generated/Okta.PowerShell.g.format.ps1xml') (Join-Path $bin 'Okta.PowerShell.format.ps1xml') -Force
# About topics are found in <module base>/<culture>; the module base is the manifest's folder (git-ignored copy).
New-Item -ItemType Directory -Force -Path (Join-Path $root 'en-US') | Out-Null
Copy-Item (Join-Path $root 'powershell/Help/*.help.txt') (Join-Path $root 'en-US') -Force
# The script half of the module as ONE file: importing one psm1 takes ~60 ms, dot-sourcing the
# same functions from several files took ~300 ms (measured with pwsh 7.6.9 here).
$scriptSources = foreach ($folder in 'Client') {
    Get-ChildItem (Join-Path $root "powershell/$folder") -Filter *.ps1 | Sort-Object Name
}
$moduleText = [System.Text.StringBuilder]::new()
$null = $moduleText.AppendLine('# Generated by Build.ps1 from powershell/Client/*.ps1 — edit those files, not this one.')
foreach ($source in $scriptSources) {
    # the blank line keeps these line comments apart from a file's first comment-based help block
    $null = $moduleText.AppendLine("#region $([System.IO.Path]::GetRelativePath($root, $source.FullName))").AppendLine()
    $null = $moduleText.AppendLine((Get-Content $source.FullName -Raw).TrimEnd())
    $null = $moduleText.AppendLine('#endregion')
}
Set-Content -Path (Join-Path $bin 'Okta.PowerShell.psm1') -Value $moduleText.ToString() -NoNewline
Write-Host ("Built in {0:n1} s. Import with: Import-Module ./Okta.PowerShell.psd1" -f $started.Elapsed.TotalSeconds) -ForegroundColor Green

if ($Demo) {
    & (Join-Path $root 'powershell/Samples/Start-Demo.ps1')
}

if ($Test) {
    & (Join-Path $root 'tests/Invoke-AllTests.ps1') -Configuration $Configuration
    exit $LASTEXITCODE
}
