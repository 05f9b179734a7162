# The configuration object: official-module styles, masking of secrets, and what reaches the wire.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:sim = Start-OktaSimulator
    $profile = Initialize-OktaUserProfile -FirstName Ada -LastName Lovelace -Email ada@example.com -Login ada@example.com
    Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token }
    New-OktaUser -Body (Initialize-OktaCreateUserRequest -VarProfile $profile) | Out-Null
}

AfterAll {
    Stop-OktaSimulator $script:sim
}

Describe 'Configuration styles of the official README' {
    BeforeEach {
        $c = Get-OktaConfiguration
        $c.BaseUrl = $null
        $c.ApiKey = @{}
        $c.ApiKeyPrefix = @{}
        $c.DefaultHeaders = @{}
        $c.AccessToken = $null
    }

    It 'uses the live object: changes made to Get-OktaConfiguration''s result apply to the next command' {
        $c = Get-OktaConfiguration
        $c.BaseUrl = $sim.Url
        $c.ApiKey = @{ apitoken = $sim.Token }
        (Get-OktaUser -UserId ada@example.com).profile.login | Should -Be 'ada@example.com'
    }

    It 'reads like the official hashtable: indexer, ContainsKey, case-insensitive keys' {
        Set-OktaConfiguration -BaseUrl $sim.Url
        $c = Get-OktaConfiguration
        $c['BaseUrl'] | Should -Be $sim.Url
        $c['baseurl'] | Should -Be $sim.Url
        $c.ContainsKey('ApiKey') | Should -BeTrue
        $c | Should -BeOfType [System.Collections.IDictionary]
    }

    It 'accepts the token through DefaultHeaders, as the README''s manual-header example does' {
        $c = Get-OktaConfiguration
        $c.BaseUrl = $sim.Url
        $c.DefaultHeaders = @{ authorization = "SSWS $($sim.Token)" }
        (Get-OktaUser -UserId ada@example.com).id | Should -Match '^00u'
    }

    It 'sends -ApiKeyPrefix instead of SSWS (here the simulator refuses the unknown Bearer token)' {
        Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token } -ApiKeyPrefix 'Bearer'
        { Get-OktaUser -UserId ada@example.com } | Should -Throw -ExceptionType ([Okta.PowerShell.OktaApiException])
        Set-OktaConfiguration -ApiKeyPrefix @{ apitoken = 'SSWS' }
        (Get-OktaUser -UserId ada@example.com).id | Should -Match '^00u'
    }

    It 'accepts the token as a plain string too' {
        Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey $sim.Token
        (Get-OktaUser -UserId ada@example.com).id | Should -Match '^00u'
    }

    It 'keeps a plain-string token as @{ apitoken }: shown masked, still readable directly by scripts' {
        Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey $sim.Token
        $c = Get-OktaConfiguration
        $c.ApiKey.apitoken | Should -Be $sim.Token
        "$($c.ApiKey)" | Should -Be '{apitoken = ********}'
        $c.DefaultHeaders = [ordered]@{ Authorization = 'SSWS x'; 'X-Trace' = 'on' }
        $c.DefaultHeaders['authorization'] | Should -Be 'SSWS x'
        "$($c.DefaultHeaders)" | Should -Be '{Authorization = ********, X-Trace = on}'
    }

    It 'refuses an invalid -BaseUrl, naming the parameter' {
        { Set-OktaConfiguration -BaseUrl 'not a url' } | Should -Throw '*-BaseUrl*'
    }

    It 'explains a missing BaseUrl' {
        $caught = $null
        try { Get-OktaUser -UserId ada@example.com } catch [Okta.PowerShell.OktaClientException] { $caught = $_.Exception }
        $caught.Kind | Should -Be 'Configuration'
        $caught.Message | Should -Match 'BaseUrl'
    }
}

Describe 'Secrets are never printed' {
    BeforeAll {
        Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token } -AccessToken 'access-token-secret-value'
        $script:everything = @(
            Get-OktaConfiguration | Out-String
            Get-OktaConfiguration | Format-List | Out-String
            Get-OktaConfiguration | ConvertTo-Json -Depth 5
            (Get-OktaConfiguration).ApiKey | Out-String
            "$((Get-OktaConfiguration).ApiKey)"
            (Get-OktaConfiguration).ToString()
            [System.Management.Automation.PSSerializer]::Serialize((Get-OktaConfiguration), 5)   # what Export-Clixml writes
        ) -join "`n"
        (Get-OktaConfiguration).AccessToken = $null
    }

    It 'masks the API token in every rendering of the configuration' {
        $everything | Should -Not -Match ([regex]::Escape($sim.Token))
        $everything | Should -Match '\*\*\*\*'
    }

    It 'masks the access token' {
        $everything | Should -Not -Match 'access-token-secret-value'
    }

    It 'keeps the token out of -Verbose output' {
        $verbose = Get-OktaUser -UserId ada@example.com -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose | Out-String) | Should -Match 'GET /api/v1/users/\{id\} -> 200'
        ($verbose | Out-String) | Should -Not -Match ([regex]::Escape($sim.Token))
    }
}

Describe 'One configuration per runspace' {
    It 'gives parallel runspaces their own configuration: no org or token leaks between them' {
        Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token }
        $manifest = Join-Path (Get-RepositoryRoot) 'Okta.PowerShell.psd1'
        # -UseNewRunspace: by default ForEach-Object -Parallel reuses runspaces (and so their state) across items
        $seen = 1..3 | ForEach-Object -ThrottleLimit 3 -UseNewRunspace -Parallel {
            Import-Module $using:manifest
            $before = (Get-OktaConfiguration).BaseUrl
            Set-OktaConfiguration -BaseUrl "http://127.0.0.$($_ + 1):9"
            [PSCustomObject]@{ Before = $before; After = (Get-OktaConfiguration).BaseUrl }
        }
        $seen.Before | Should -Be @($null, $null, $null)
        ($seen.After | Sort-Object) | Should -Be @('http://127.0.0.2:9', 'http://127.0.0.3:9', 'http://127.0.0.4:9')
        (Get-OktaConfiguration).BaseUrl | Should -Be $sim.Url
        (Get-OktaUser -UserId ada@example.com).id | Should -Match '^00u'
    }
}

Describe 'Pester users can mock our commands' {
    It 'replaces Get-OktaUser with a mock' {
        Mock Get-OktaUser { [PSCustomObject]@{ id = '00umock'; profile = [PSCustomObject]@{ login = 'mock@example.com' } } }
        (Get-OktaUser -UserId whoever).id | Should -Be '00umock'
        Should -Invoke Get-OktaUser -Times 1 -Exactly
    }
}
