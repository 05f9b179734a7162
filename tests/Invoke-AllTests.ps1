<#
.SYNOPSIS
Runs every test of the repository: the Rust tests (cargo test) and the Pester suites (real pwsh).
.DESCRIPTION
Called by Build.ps1 -Test after a build. Pester runs in child pwsh processes so the module and its native
library load fresh. Prints each runner's own summary, the time of each phase, then one line "N passed, N failed".

The order keeps two cores busy without changing what runs:
  1. the Rust test binaries compile in the background, at low priority (Build.ps1 starts that before its
     dotnet build with -StartCargoBuild; run alone, this script starts it itself);
  2. meanwhile the Pester suites run in two processes: Auth.Tests.ps1 (mostly real device-flow waits) beside
     all the others;
  3. when the compile is done: cargo test (every test binary, now only running), then Benchmarks.Tests.ps1,
     which needs okta-core's `latency` example that the test compile builds.
.PARAMETER Configuration
Release (default) or Debug: the cargo profile to test with (the one Build.ps1 built).
.PARAMETER StartCargoBuild
Only start the background compile of the Rust tests and return its handle (for Build.ps1).
.PARAMETER CargoBuild
The handle -StartCargoBuild returned; without it the compile starts here.
#>
[CmdletBinding()]
Param(
    [ValidateSet('Release', 'Debug')]
    [string]$Configuration = 'Release',
    [switch]$StartCargoBuild,
    [object]$CargoBuild
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
Set-Location $root
[string[]]$cargoFlags = if ($Configuration -eq 'Release') { @('--release') } else { @() }

function Start-CargoTestBuild {
    # `cargo test --no-run` compiles every test binary (and the examples) without running them. Low priority
    # (nice), so the build steps and Pester suites on the critical path keep the CPU they ask for and the compile
    # takes what they leave idle. Output goes to a file, shown when the compile is waited for.
    $log = Join-Path ([System.IO.Path]::GetTempPath()) "okta-cargo-test-build-$PID.log"
    [string[]]$command = @('cargo', 'test') + $cargoFlags + @('--workspace', '--no-run')
    if (Get-Command nice -CommandType Application -ErrorAction SilentlyContinue) { $command = @('nice', '-n', '10') + $command }
    $info = [System.Diagnostics.ProcessStartInfo]::new('bash')
    $info.ArgumentList.Add('-c')
    $info.ArgumentList.Add('exec "$@" > "$0" 2>&1')
    $info.ArgumentList.Add($log)
    foreach ($part in $command) { $info.ArgumentList.Add($part) }
    $info.WorkingDirectory = $root
    $info.UseShellExecute = $false
    Write-Host "==> cargo test --no-run started in the background (log: $log)" -ForegroundColor Cyan
    [pscustomobject]@{ Process = [System.Diagnostics.Process]::Start($info); Log = $log; Clock = [System.Diagnostics.Stopwatch]::StartNew() }
}

if ($StartCargoBuild) { return Start-CargoTestBuild }

function Set-NormalPriority([int]$RootId) {
    # Once nothing else is left to run, the compile is the critical path: back to normal priority, cargo and
    # every rustc it started (they inherited its niceness; other users' builds on this machine have none).
    if (-not (Get-Command renice -CommandType Application -ErrorAction SilentlyContinue)) { return }
    $parents = @{}
    foreach ($line in (& ps -e -o pid=,ppid=)) {
        $id, $parent = -split $line
        $parents[[int]$id] = [int]$parent
    }
    $tree = [System.Collections.Generic.HashSet[int]]::new()
    [void]$tree.Add($RootId)
    do {
        $grown = $false
        foreach ($id in $parents.Keys) { if ($tree.Contains($parents[$id]) -and $tree.Add($id)) { $grown = $true } }
    } while ($grown)
    & renice -n 0 -p @($tree) 2>&1 | Out-Null
}

$phases = [ordered]@{}
$clock = [System.Diagnostics.Stopwatch]::new()
function Step([string]$Name) {
    # closes the running phase and opens the next
    if ($script:currentPhase) { $phases[$script:currentPhase] = $clock.Elapsed.TotalSeconds }
    $script:currentPhase = $Name
    $clock.Restart()
}
$currentPhase = $null
if (-not $CargoBuild) { $CargoBuild = Start-CargoTestBuild }

$passed = 0
$failed = 0
$pesterScript = Join-Path $PSScriptRoot 'Invoke-Pester.ps1'
$auth = Join-Path $PSScriptRoot 'pester/Auth.Tests.ps1'
$benchmarks = Join-Path $PSScriptRoot 'pester/Benchmarks.Tests.ps1'

function Add-PesterCounts([string]$ResultFile, [string]$Label, [int]$ExitCode) {
    # a runner that crashed or ran nothing counts as a failure, never as a silent pass
    if (Test-Path $ResultFile) {
        $counts = Get-Content $ResultFile -Raw | ConvertFrom-Json
        Remove-Item $ResultFile
        $script:passed += $counts.Passed
        $script:failed += $counts.Failed
        if ($counts.Passed + $counts.Failed -eq 0) {
            Write-Host "Pester ($Label) ran no test" -ForegroundColor Red
            $script:failed += 1
        }
    } else {
        Write-Host "Pester ($Label) did not report (exit code $ExitCode)" -ForegroundColor Red
        $script:failed += 1
    }
}

Step 'Pester, two processes (Auth beside the rest)'
Write-Host '==> Pester (tests/pester and examples, real pwsh): Auth.Tests.ps1 in a second process at the same time' -ForegroundColor Cyan
& dotnet pwsh -NoProfile -NonInteractive -File $pesterScript -RestoreOnly   # once, before two runs could race to restore it
$authResult = Join-Path ([System.IO.Path]::GetTempPath()) "okta-pester-auth-$PID.json"
$authLog = Join-Path ([System.IO.Path]::GetTempPath()) "okta-pester-auth-$PID.log"
$authInfo = [System.Diagnostics.ProcessStartInfo]::new('bash')
foreach ($part in @('-c', 'exec "$@" > "$0" 2>&1', $authLog, 'dotnet', 'pwsh', '-NoProfile', '-NonInteractive', '-File', $pesterScript, '-Path', $auth, '-ResultFile', $authResult)) {
    $authInfo.ArgumentList.Add($part)
}
$authInfo.WorkingDirectory = $root
$authInfo.UseShellExecute = $false
$authInfo.Environment['NO_COLOR'] = '1'
$authRun = [System.Diagnostics.Process]::Start($authInfo)

$mainResult = Join-Path ([System.IO.Path]::GetTempPath()) "okta-pester-$PID.json"
& dotnet pwsh -NoProfile -NonInteractive -File $pesterScript -ExcludePath "$auth,$benchmarks" -ResultFile $mainResult
$mainExit = $LASTEXITCODE
$authRun.WaitForExit()
Write-Host '==> Pester: Auth.Tests.ps1 (ran at the same time as the suites above)' -ForegroundColor Cyan
Get-Content $authLog | Out-Host
Remove-Item $authLog -ErrorAction SilentlyContinue
Add-PesterCounts $mainResult 'main' $mainExit
Add-PesterCounts $authResult 'Auth' $authRun.ExitCode

Step 'waiting for the cargo test compile'
if (-not $CargoBuild.Process.HasExited) { Set-NormalPriority $CargoBuild.Process.Id }
$CargoBuild.Process.WaitForExit()
Write-Host ("==> cargo test --no-run (background, {0:n0} s after it started; exit code {1})" -f $CargoBuild.Clock.Elapsed.TotalSeconds, $CargoBuild.Process.ExitCode) -ForegroundColor Cyan
Get-Content $CargoBuild.Log | Out-Host
Remove-Item $CargoBuild.Log -ErrorAction SilentlyContinue

Step 'cargo test (run)'
Write-Host '==> cargo test (Rust)' -ForegroundColor Cyan
& cargo test @cargoFlags --workspace 2>&1 | ForEach-Object { "$_" } | Tee-Object -Variable cargoLines | Out-Host
$cargoExit = $LASTEXITCODE
$cargoFailed = 0
foreach ($line in $cargoLines) {
    if ($line -match 'test result: \w+\. (\d+) passed; (\d+) failed') {
        $passed += [int]$Matches[1]
        $cargoFailed += [int]$Matches[2]
    }
}
if ($cargoExit -ne 0 -and $cargoFailed -eq 0) {
    # a build error or a crashed test binary: count it, never let it pass silently
    Write-Host "cargo test exited with $cargoExit" -ForegroundColor Red
    $cargoFailed += 1
}
$failed += $cargoFailed

Step 'Pester, Benchmarks.Tests.ps1'
Write-Host '==> Pester: Benchmarks.Tests.ps1 (after the cargo compile: it uses okta-core''s latency example)' -ForegroundColor Cyan
$benchResult = Join-Path ([System.IO.Path]::GetTempPath()) "okta-pester-bench-$PID.json"
& dotnet pwsh -NoProfile -NonInteractive -File $pesterScript -Path $benchmarks -ResultFile $benchResult
Add-PesterCounts $benchResult 'Benchmarks' $LASTEXITCODE
Step $null

Write-Host 'Test phases (s):'
foreach ($name in $phases.Keys) { Write-Host ('{0,8:n1}  {1}' -f $phases[$name], $name) }
if ($env:OKTA_CI_STARTED) {
    Write-Host ('CI wall time: {0:n0} s (.ci/run, build included)' -f ([DateTimeOffset]::UtcNow.ToUnixTimeSeconds() - [long]$env:OKTA_CI_STARTED))
}
Write-Host "$passed passed, $failed failed"
exit ([int]($failed -gt 0))
