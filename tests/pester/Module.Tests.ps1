# The module as a user installs it: manifest, exports.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:manifest = Import-PowerShellDataFile (Join-Path (Get-RepositoryRoot) 'Okta.PowerShell.psd1')
    $script:inventory = Get-Content (Join-Path (Get-RepositoryRoot) 'powershell/Generated/inventory.g.json') -Raw | ConvertFrom-Json
}

Describe 'The manifest' {
    It 'targets PowerShell 7.4+ Core, lists its functions explicitly and its cmdlets by one pattern per verb' {
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.FunctionsToExport | Should -Not -Contain '*'
        foreach ($pattern in $manifest.CmdletsToExport) { $pattern | Should -Match '^[A-Z][a-zA-Z]+-Okta' }
        $manifest.FormatsToProcess | Should -Contain 'bin/Okta.PowerShell.format.ps1xml'
    }

    It 'exports exactly the generated commands, the listed functions and Invoke-OktaApiRequest: nothing internal leaks' {
        $expected = @($inventory.api.name) + @($inventory.models.builder) + @($manifest.FunctionsToExport) + 'Invoke-OktaApiRequest', 'ConvertFrom-OktaJson'
        $exported = @(Get-Command -Module Okta.PowerShell -CommandType Cmdlet, Function).Name
        $missing = $expected | Where-Object { $_ -notin $exported }
        $extra = $exported | Where-Object { $_ -notin $expected }
        $missing | Should -BeNullOrEmpty
        $extra | Should -BeNullOrEmpty
        $exported.Count | Should -Be ($expected | Sort-Object -Unique).Count
    }

    It 'exports a ConvertFrom-OktaJsonTo<Schema> alias for every builder, and the current names of renamed operations' {
        $aliases = @(Get-Command -Module Okta.PowerShell -CommandType Alias).Name
        foreach ($model in $inventory.models) { $aliases | Should -Contain $model.converter }
        foreach ($alias in $inventory.api.aliases) { $aliases | Should -Contain $alias }
    }
}

Describe 'Start-OktaSimulator' {
    It 'starts the embedded org, configures the session for it with -Configure, and stops it' {
        $sim = Start-OktaSimulator -Seed 3 -Configure
        $processId = $sim.Process.Id
        try {
            $sim.Url | Should -Match '^http://127\.0\.0\.1:\d+$'
            (Get-OktaConfiguration).BaseUrl | Should -Be $sim.Url
            @(Invoke-OktaListUsers).Count | Should -Be 3
        } finally {
            Stop-OktaSimulator $sim
        }
        Get-Process -Id $processId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $sim.Stopped | Should -BeTrue
        { Stop-OktaSimulator $sim } | Should -Not -Throw
    }

    It 'says where it looked when the simulator is missing' {
        { Start-OktaSimulator -Path (Join-Path $TestDrive 'nope') } | Should -Throw "*$TestDrive*nope*Build.ps1*"
    }
}
