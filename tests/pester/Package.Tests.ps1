# The module as a user installs it: the .nupkg Build.ps1 -Package writes, installed with PSResourceGet from a local
# folder repository into an empty module path, imported by name, then the quick start against okta-sim.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    $root = Get-RepositoryRoot
    $script:version = (Import-PowerShellDataFile (Join-Path $root 'Okta.PowerShell.psd1')).ModuleVersion
    $script:packages = Join-Path $root 'out/packages'
    $script:package = Join-Path $packages "Okta.PowerShell.$version.nupkg"
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

    It 'installs with Install-PSResource from a local folder repository into an empty module path and runs the quick start' {
        $userHome = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory -Force $userHome | Out-Null
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name local -Uri '$packages' -Trusted
Install-PSResource Okta.PowerShell -Repository local -Scope CurrentUser -TrustRepository -Quiet
Import-Module Okta.PowerShell
`$module = Get-Module Okta.PowerShell
`$sim = Start-OktaSimulator -Seed 3 -Configure
try { `$count = @(Invoke-OktaListUsers).Count } finally { Stop-OktaSimulator `$sim }
[pscustomobject]@{ Base = `$module.ModuleBase; Version = `$module.Version.ToString(); Users = `$count } | ConvertTo-Json -Compress
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
    }
}
