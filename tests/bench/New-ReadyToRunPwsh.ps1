<#
.SYNOPSIS
Makes a copy of this machine's pwsh whose PowerShell assemblies are ReadyToRun-compiled, as a user's installed pwsh is.
.DESCRIPTION
The pwsh here is the PowerShell .NET tool (NuGet package "PowerShell"), whose System.Management.Automation.dll and
Microsoft.PowerShell.*.dll are plain IL: every engine path is JIT-compiled on first use, which inflates import time
and working set for every module alike (the official module's import by ~0.5 s and +70 MiB). PowerShell's own
releases (the tar.gz / msi / pkg users install) ship these assemblies precompiled with crossgen2. This script does
the same to a copy (crossgen2 comes from the NuGet mirror through a throw-away publish), so the benchmarks can
report numbers a user would see. Run the copy with: dotnet <Destination>/Microsoft.PowerShell.GlobalTool.Shim.dll
.PARAMETER Destination
Where the copy goes (default: /tmp/pwsh-r2r). Reused when it is already there.
.EXAMPLE
$pwsh = ./tests/bench/New-ReadyToRunPwsh.ps1; & dotnet $pwsh -NoProfile -c '$PSVersionTable.PSVersion'
#>
[CmdletBinding()]
Param([string]$Destination = (Join-Path ([System.IO.Path]::GetTempPath()) 'pwsh-r2r'))
$ErrorActionPreference = 'Stop'

$shim = Join-Path $Destination 'Microsoft.PowerShell.GlobalTool.Shim.dll'
if (Test-Path (Join-Path $Destination '.r2r-done')) { return $shim }

$source = Split-Path ([System.Management.Automation.PSObject].Assembly.Location)   # <tool>/any/unix
$toolRoot = Split-Path $source
$framework = Split-Path ([object].Assembly.Location)

# crossgen2 for this runtime: a throw-away ReadyToRun publish makes the SDK restore it
$probe = Join-Path ([System.IO.Path]::GetTempPath()) 'okta-r2r-probe'
New-Item -ItemType Directory -Force $probe | Out-Null
Set-Content (Join-Path $probe 'probe.csproj') @"
<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net$([Environment]::Version.Major).0</TargetFramework>
<RuntimeIdentifier>linux-x64</RuntimeIdentifier><PublishReadyToRun>true</PublishReadyToRun><SelfContained>false</SelfContained></PropertyGroup></Project>
"@
Set-Content (Join-Path $probe 'Program.cs') 'System.Console.WriteLine(1);'
& dotnet publish $probe -c Release -nologo -v quiet -o (Join-Path $probe 'out') | Out-Null
if ($LASTEXITCODE -ne 0) { throw 'Could not restore crossgen2 (the ReadyToRun publish failed).' }
$packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
$crossgen = Get-ChildItem (Join-Path $packages 'microsoft.netcore.app.crossgen2.linux-x64') -Directory |
    Sort-Object { [version]($_.Name -replace '-.*$', '') } | Select-Object -Last 1 |
    ForEach-Object { Join-Path $_.FullName 'tools/crossgen2' }
if (-not (Test-Path $crossgen)) { $crossgen = "$crossgen.dll" }

Remove-Item $Destination -Recurse -Force -ErrorAction SilentlyContinue
Copy-Item $toolRoot $Destination -Recurse
$target = Join-Path $Destination 'unix'
$compile = Get-ChildItem $source -Filter *.dll | Where-Object { $_.Name -like 'System.Management.Automation.dll' -or $_.Name -like 'Microsoft.PowerShell.*.dll' -or $_.Name -eq 'pwsh.dll' }
foreach ($assembly in $compile) {
    Write-Host "crossgen2 $($assembly.Name)"
    $out = Join-Path $target $assembly.Name
    # a response file: pwsh on Unix would expand the reference wildcards itself
    $response = Join-Path $probe "$($assembly.BaseName).rsp"
    Set-Content $response @($assembly.FullName, "-o:$out", '--targetos:linux', '--targetarch:x64', '-O', "-r:$framework/*.dll", "-r:$source/*.dll")
    $log = if ($crossgen.EndsWith('.dll')) { & dotnet $crossgen "@$response" 2>&1 } else { & $crossgen "@$response" 2>&1 }
    if ($LASTEXITCODE -ne 0) { throw "crossgen2 failed on $($assembly.Name): $($log | Select-Object -Last 5)" }
}
Set-Content (Join-Path $Destination '.r2r-done') (Get-Date -Format o)
$shim
