# The module as a user installs it: the .nupkg Build.ps1 -Package writes, installed with PSResourceGet from a local
# folder repository into an empty module path, imported by name, then the quick start against okta-sim.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    $root = Get-RepositoryRoot
    $script:version = (Import-PowerShellDataFile (Join-Path $root 'Okta.PowerShell.psd1')).ModuleVersion
    $script:packages = Join-Path $root 'out/packages'
    $script:package = Join-Path $packages "Okta.PowerShell.$version.nupkg"
    $script:examples = Join-Path $root 'examples'
}

Describe 'The package' {
    It 'is a PSGallery-ready module: manifest valid, every file listed, license and changelog inside' {
        Test-Path $package | Should -BeTrue -Because 'Build.ps1 -Package (and -Test) writes it'
        $manifest = Test-ModuleManifest (Get-StagedManifest)
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $staged = Split-Path (Get-StagedManifest)
        foreach ($file in $manifest.FileList) { Test-Path $file | Should -BeTrue -Because $file }
        Test-Path (Join-Path $staged 'LICENSE') | Should -BeTrue
        Test-Path (Join-Path $staged 'CHANGELOG.md') | Should -BeTrue
        $entries = [System.IO.Compression.ZipFile]::OpenRead($package)
        try { $names = $entries.Entries.FullName } finally { $entries.Dispose() }
        $names | Should -Contain 'Okta.PowerShell.psd1'
        $names | Should -Contain 'bin/Okta.PowerShell.dll'
        ($names | Where-Object { $_ -like 'bin/runtimes/*/native/*' }) | Should -Not -BeNullOrEmpty
        ($names | Where-Object { $_ -like 'bin/tools/*/okta-sim*' }) | Should -Not -BeNullOrEmpty
    }

    It 'installs with Install-PSResource from a local folder repository into an empty module path, then runs the quick start and every example' {
        $userHome = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory -Force $userHome | Out-Null
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name local -Uri '$packages' -Trusted
Install-PSResource Okta.PowerShell -Repository local -Scope CurrentUser -TrustRepository -Quiet
Import-Module Okta.PowerShell
`$module = Get-Module Okta.PowerShell
`$sim = Start-OktaSimulator -Seed 3 -Configure
try {
    `$count = @(Invoke-OktaListUsers).Count
    # every example of the repository, run against the installed module as a user would
    `$examples = '$examples'
    `$csv = Join-Path '$TestDrive' 'new-users.csv'
    'firstName,lastName,email,login' , 'Pat,Lee,pat.lee@example.com,pat.lee@example.com' | Set-Content `$csv
    `$ran = [ordered]@{}
    `$ran.Blog = [bool](& "`$examples/Blog-Walkthrough.ps1" 6>`$null)
    `$ran.Import = @(& "`$examples/Import-UsersFromCsv.ps1" -Path `$csv -ResultPath (Join-Path '$TestDrive' 'result.csv')).Count -ge 0 -and (Import-Csv (Join-Path '$TestDrive' 'result.csv'))[0].status -eq 'created'
    `$ran.Report = `$null -ne (& "`$examples/Get-GroupMembershipReport.ps1" -Prefix 'Test')
    `$ran.Export = (& "`$examples/Export-Users.ps1" -Path (Join-Path '$TestDrive' 'users.csv')) -or (Test-Path (Join-Path '$TestDrive' 'users.csv'))
    `$ran.Offboard = @(& "`$examples/Invoke-Offboarding.ps1" -User pat.lee@example.com -Confirm:`$false).Count -gt 0
    `$ran.Log = @(& "`$examples/Watch-SystemLog.ps1" -EventType user.lifecycle.create -Since (Get-Date).AddHours(-1) -Count 1 -TimeoutSeconds 10 -PollInterval 1).Count -eq 1
} finally { Stop-OktaSimulator `$sim }
[pscustomobject]@{ Base = `$module.ModuleBase; Version = `$module.Version.ToString(); Users = `$count; Examples = `$ran } | ConvertTo-Json -Compress
"@
        $info = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        [string[]]$entryPoint = if ([System.IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
        foreach ($argument in $entryPoint + @('-NoProfile', '-NonInteractive', '-Command', $script)) { $info.ArgumentList.Add($argument) }
        # a user with nothing installed: own HOME (module path, PSResourceGet's repository list), no other modules
        $info.Environment['HOME'] = $userHome
        $info.Environment['XDG_DATA_HOME'] = Join-Path $userHome '.local/share'
        $info.Environment['XDG_CONFIG_HOME'] = Join-Path $userHome '.config'
        $info.Environment['PSModulePath'] = ''
        $info.Environment['NO_COLOR'] = '1'
        $info.WorkingDirectory = $TestDrive
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($info)
        $errors = $process.StandardError.ReadToEndAsync()
        $output = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit(120000) | Should -BeTrue
        $errors.Result | Should -BeNullOrEmpty
        $result = ($output -split '\r?\n' | Where-Object { $_ -like '{*' } | Select-Object -Last 1) | ConvertFrom-Json
        $result.Base | Should -BeLike "$userHome*"
        $result.Version | Should -Be $version
        $result.Users | Should -Be 3
        foreach ($example in $result.Examples.PSObject.Properties) { $example.Value | Should -BeTrue -Because "the $($example.Name) example ran against the installed module" }
        @($result.Examples.PSObject.Properties).Count | Should -Be 6
    }
}
