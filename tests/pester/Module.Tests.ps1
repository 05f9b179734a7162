# The module as a user installs it: manifest, exports.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:manifest = Import-PowerShellDataFile (Join-Path (Get-RepositoryRoot) 'Okta.PowerShell.psd1')
    $script:inventory = Get-Content (Join-Path (Get-RepositoryRoot) 'powershell/Generated/inventory.g.json') -Raw | ConvertFrom-Json
}

Describe 'The manifest' {
    It 'targets PowerShell 7.4+ Core, is compiled only, and exports its cmdlets by one pattern per verb plus the hand-written names' {
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.RootModule | Should -Be 'bin/Okta.PowerShell.dll'
        $manifest.FunctionsToExport.Count | Should -Be 0
        foreach ($pattern in $manifest.CmdletsToExport | Where-Object { $_ -like '*`**' }) { $pattern | Should -Match '^[A-Z][a-zA-Z]+-Okta[A-Za-z]*\*$' }
        $manifest.CmdletsToExport | Where-Object { $_ -notlike '*`**' } | Should -Not -Contain 'Okta*'
        $manifest.Keys | Should -Not -Contain 'FormatsToProcess'   # loaded with the first Okta object instead
    }

    It 'loads the table views into a runspace with the first Okta object it writes, not at import' {
        $manifestPath = Join-Path (Get-RepositoryRoot) 'Okta.PowerShell.psd1'
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                    param($Path)
                    Import-Module $Path
                    [bool](Get-FormatData -TypeName Okta.PowerShell.User)
                    $user = Initialize-OktaUser -Status ACTIVE
                    [bool](Get-FormatData -TypeName Okta.PowerShell.User)
                    ($user | Format-Table | Out-String)
                }).AddArgument($manifestPath)
            $before, $after, $table = $shell.Invoke()
            $shell.Streams.Error | Should -BeNullOrEmpty
        } finally { $shell.Dispose() }
        $before | Should -BeFalse
        $after | Should -BeTrue
        $table | Should -Match 'Status'
    }

    It 'loads the table views even when the first command runs under -WhatIf' {
        $manifestPath = Join-Path (Get-RepositoryRoot) 'Okta.PowerShell.psd1'
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                    param($Path)
                    Import-Module $Path
                    Set-OktaConfiguration -BaseUrl 'https://whatif.example.com' -ApiKey 'x'
                    $WhatIfPreference = $true
                    New-OktaGroup -Group @{ profile = @{ name = 'never sent' } }
                    $WhatIfPreference = $false
                    [bool](Get-FormatData -TypeName Okta.PowerShell.User)
                }).AddArgument($manifestPath)
            $loaded = $shell.Invoke()
        } finally { $shell.Dispose() }
        $loaded | Should -Be @($true)
    }

    It 'exports exactly the generated commands, the listed functions and Invoke-OktaApiRequest: nothing internal leaks' {
        $expected = @($inventory.api.name) + @($inventory.models.builder) + @(Get-HandWrittenCommandName) + 'Invoke-OktaApiRequest', 'ConvertFrom-OktaJson'
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

    It 'keeps the official helpers whose names are not verb-noun as aliases, and OktaAPI''s Add-OktaGroupMember' {
        (Get-Command ShouldRetry).ResolvedCommand.Name | Should -Be 'Test-OktaRetry'
        (Get-Command CalculateDelay).ResolvedCommand.Name | Should -Be 'Get-OktaRetryDelay'
        (Get-Command AddRetryHeaders).ResolvedCommand.Name | Should -Be 'Add-OktaRetryHeader'
        (Get-Command Add-OktaGroupMember).ResolvedCommand.Name | Should -Be 'Add-OktaUserToGroup'
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
