#!/usr/bin/env pwsh
<#
.SYNOPSIS
Builds Okta.PowerShell (Rust core + C# glue), lays the module out, and optionally runs the demo or every test.

.DESCRIPTION
The one build entry point. Steps:
  1. cargo build of the native core (okta-ffi) and the simulator (okta-sim)
  2. checks that the committed C# bindings match the Rust exports
  3. dotnet build of the C# glue
  4. lays out bin/: Okta.PowerShell.dll, runtimes/<rid>/native/<core library>, tools/<rid>/okta-sim
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
Invoke-Native 'dotnet build (C# glue)' { dotnet build (Join-Path $root 'powershell/glue/Okta.PowerShell.csproj') -c $Configuration -nologo -v quiet -o (Join-Path $root 'out/glue') }

Write-Host '==> laying out bin/' -ForegroundColor Cyan
$nativeDir = Join-Path $bin "runtimes/$rid/native"
$toolsDir = Join-Path $bin "tools/$rid"
New-Item -ItemType Directory -Force -Path $nativeDir, $toolsDir | Out-Null
# A pwsh that has the module loaded keeps the old dll open; copying over it fails on Windows only.
Copy-Item (Join-Path $root 'out/glue/Okta.PowerShell.dll') $bin -Force
Copy-Item (Join-Path $root "target/$cargoProfile/$nativeName") $nativeDir -Force
Copy-Item (Join-Path $root "target/$cargoProfile/$simName") $toolsDir -Force
Write-Host ("Built in {0:n1} s. Import with: Import-Module ./Okta.PowerShell.psd1" -f $started.Elapsed.TotalSeconds) -ForegroundColor Green

if ($Demo) {
    & (Join-Path $root 'powershell/Samples/Start-Demo.ps1') -SimulatorPath (Join-Path $toolsDir $simName)
}

if ($Test) {
    $env:OKTA_SIM_PATH = Join-Path $toolsDir $simName
    & (Join-Path $root 'tests/Invoke-AllTests.ps1') -Configuration $Configuration
    exit $LASTEXITCODE
}
