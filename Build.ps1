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
  4. lays out bin/: Okta.PowerShell.dll, the format data, runtimes/<rid>/native/<core library>,
     tools/<rid>/okta-sim; and en-US/ help beside the manifest. Every command is compiled (a script module's parse cost more at import than all
     2,100 compiled commands); the hand-written commands' help is added to the generated help file.
  5. stages the module as a user installs it: out/Okta.PowerShell/<version>/ (manifest with its FileList, bin/,
     en-US/, LICENSE, CHANGELOG.md); the Pester suites import that copy
After it, `Import-Module ./Okta.PowerShell.psd1` works from the repository root, and
`Import-Module ./out/Okta.PowerShell` loads what a user gets.

.PARAMETER Demo
After building, starts the simulator, runs powershell/Samples/QuickStart.ps1 against it, and stops it.
.PARAMETER Test
After building, runs every test: cargo test (Rust) and the Pester suites under tests/pester (real pwsh).
Ends with one line "N passed, N failed"; the exit code is non-zero when anything failed.
.PARAMETER Package
Also writes out/packages/Okta.PowerShell.<version>.nupkg from the staged module: PSResourceGet (pwsh 7.4+) installs
it from that folder (Register-PSResourceRepository -Name local -Uri ./out/packages; Install-PSResource Okta.PowerShell
-Repository local).
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
    [switch]$Package,
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
    $stepClock = [System.Diagnostics.Stopwatch]::StartNew()
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$Description failed (exit code $LASTEXITCODE)." }
    Write-Host ("    ({0} took {1:n1} s)" -f $Description, $stepClock.Elapsed.TotalSeconds)
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
$cargoTestBuild = $null   # -Test: the background compile of the Rust tests; a failed build step must not leave it running
trap { if ($cargoTestBuild -and -not $cargoTestBuild.Process.HasExited) { $cargoTestBuild.Process.Kill($true) }; break }
Invoke-Native 'cargo build (okta-ffi, okta-sim)' { cargo build @cargoFlags -p okta-ffi -p okta-sim }
if ($Test) {
    # The workspace tests include both freshness checks (okta-ffi's bindings test, okta-gen's fresh test: the same
    # comparisons); compiled apart here they would each build the dependencies a third way. The test binaries
    # compile in the background, at low priority, while dotnet builds and the Pester suites run.
    $cargoTestBuild = & (Join-Path $root 'tests/Invoke-AllTests.ps1') -Configuration $Configuration -StartCargoBuild
} else {
    Invoke-Native 'C# bindings are fresh' { cargo test @cargoFlags -p okta-ffi --test bindings --quiet }
    # The generated surface: `cargo run -p okta-gen` rewrites it; this only checks that the committed files match.
    Invoke-Native 'generated command surface is fresh' { cargo run @cargoFlags -q -p okta-gen -- --check }
}
# The models project references the glue, so this builds both assemblies.
Invoke-Native 'dotnet build (C# glue, API and model commands)' { dotnet build (Join-Path $root 'powershell/models/Okta.PowerShell.Models.csproj') -c $Configuration -nologo -v quiet -o (Join-Path $root 'out/glue') }

Write-Host ('==> laying out bin/ (build at {0:n1} s)' -f $started.Elapsed.TotalSeconds) -ForegroundColor Cyan
$nativeDir = Join-Path $bin "runtimes/$rid/native"
$toolsDir = Join-Path $bin "tools/$rid"
New-Item -ItemType Directory -Force -Path $nativeDir, $toolsDir | Out-Null
# A pwsh that has the module loaded keeps the old dll open; copying over it fails on Windows only.
Copy-Item (Join-Path $root 'out/glue/Okta.PowerShell.dll'), (Join-Path $root 'out/glue/Okta.PowerShell.Models.dll') $bin -Force
Copy-Item (Join-Path $root "target/$cargoProfile/$nativeName") $nativeDir -Force
Copy-Item (Join-Path $root "target/$cargoProfile/$simName") $toolsDir -Force
Copy-Item (Join-Path $root 'powershell/Generated/Okta.PowerShell.g.format.ps1xml') (Join-Path $bin 'Okta.PowerShell.format.ps1xml') -Force
# Help (MAML per assembly, about topics) is found in <module base>/<culture>; the module base is the manifest's
# folder, so en-US/ beside it (a git-ignored copy).
$help = Join-Path $root 'en-US'
New-Item -ItemType Directory -Force -Path $help | Out-Null
Remove-Item (Join-Path $bin 'en-US') -Recurse -ErrorAction SilentlyContinue   # older layouts kept MAML there
Copy-Item (Join-Path $root 'powershell/Generated/en-US/Okta.PowerShell.g.dll-Help.xml') (Join-Path $help 'Okta.PowerShell.dll-Help.xml') -Force
Copy-Item (Join-Path $root 'powershell/Generated/en-US/Okta.PowerShell.Models.g.dll-Help.xml') (Join-Path $help 'Okta.PowerShell.Models.dll-Help.xml') -Force
Copy-Item (Join-Path $root 'powershell/Help/*.help.txt') $help -Force
# The hand-written commands' help joins the generated help file; their syntax is read from the built assembly,
# in a job (a separate process), so this build never loads the assembly it lays out.
Start-Job -FilePath (Join-Path $root 'powershell/Help/Write-ClientHelp.ps1') -ArgumentList (Join-Path $bin 'Okta.PowerShell.dll'), (Join-Path $help 'Okta.PowerShell.dll-Help.xml'), (Join-Path $root 'powershell/Help/client-commands.json') |
    Receive-Job -Wait -AutoRemoveJob
# no script module any more: a stale psm1 from an older layout must not be imported by anything
Remove-Item (Join-Path $bin 'Okta.PowerShell.psm1') -ErrorAction SilentlyContinue

Write-Host ('==> staging out/Okta.PowerShell/<version>/ (build at {0:n1} s)' -f $started.Elapsed.TotalSeconds) -ForegroundColor Cyan
# The layout under the version folder is the repository's (manifest, bin/, en-US/), so the manifest's relative
# paths hold in both places. Only this machine's runtime is built; NativeLibraryLoader and the tools/<rid> folders
# are ready for the others (see README, "Release builds").
$version = (Import-PowerShellDataFile (Join-Path $root 'Okta.PowerShell.psd1')).ModuleVersion
$stageRoot = Join-Path $root 'out/Okta.PowerShell'
$stage = Join-Path $stageRoot $version
Remove-Item $stageRoot -Recurse -Force -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force $stage | Out-Null
Copy-Item (Join-Path $root 'Okta.PowerShell.psd1'), (Join-Path $root 'LICENSE'), (Join-Path $root 'CHANGELOG.md') $stage
Copy-Item $bin, $help $stage -Recurse
$files = Get-ChildItem $stage -Recurse -File | ForEach-Object { [System.IO.Path]::GetRelativePath($stage, $_.FullName) } | Sort-Object
$manifestText = Get-Content (Join-Path $stage 'Okta.PowerShell.psd1') -Raw
$fileList = ($files | ForEach-Object { "'$_'" }) -join ",`n        "
$manifestText = $manifestText -replace "(?m)^(\s*)VariablesToExport", "`$1FileList             = @(`n        $fileList`n    )`n`$1VariablesToExport"
Set-Content (Join-Path $stage 'Okta.PowerShell.psd1') $manifestText -NoNewline
$null = Test-ModuleManifest (Join-Path $stage 'Okta.PowerShell.psd1')

if ($Package -or $Test) {   # the tests install the package as a user would
    $packages = Join-Path $root 'out/packages'
    New-Item -ItemType Directory -Force $packages | Out-Null
    Remove-Item (Join-Path $packages "Okta.PowerShell.$version.nupkg") -ErrorAction SilentlyContinue
    Import-Module Microsoft.PowerShell.PSResourceGet
    Compress-PSResource -Path $stage -DestinationPath $packages
    Write-Host "==> wrote out/packages/Okta.PowerShell.$version.nupkg" -ForegroundColor Cyan
}
Write-Host ("Built in {0:n1} s. Import with: Import-Module ./Okta.PowerShell.psd1 (or ./out/Okta.PowerShell, as installed)" -f $started.Elapsed.TotalSeconds) -ForegroundColor Green

if ($Demo) {
    & (Join-Path $root 'powershell/Samples/Start-Demo.ps1')
}

if ($Test) {
    & (Join-Path $root 'tests/Invoke-AllTests.ps1') -Configuration $Configuration -CargoBuild $cargoTestBuild
    exit $LASTEXITCODE
}
