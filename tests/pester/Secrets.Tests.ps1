# Secrets are never shown: every form a credential can take in the configuration (a plain-string or SecureString
# ApiKey, an Authorization default header in any case, an access token, a proxy or BaseUrl with user:password@),
# searched for as a canary in every stream, a transcript, and exported files, in a child pwsh as a user runs it.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    # The canary is the simulator's real token, so the commands that use it succeed (the secret is really in use).
    $script:canary = '00Canary' + [guid]::NewGuid().ToString('N')
    $script:sim = Start-OktaSimulator -ArgumentList '--token', $canary
    $script:manifest = Join-Path (Get-RepositoryRoot) 'Okta.PowerShell.psd1'
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $script:closedPort = $listener.LocalEndpoint.Port; $listener.Stop()

    # Runs $Setup in a fresh pwsh, then renders the configuration and the errors every way a user might, with every
    # stream on, into a transcript, stdout (*>&1) and exported files. Returns all of it as text.
    function Invoke-Rendering([string]$Setup, [string]$Name) {
        $out = Join-Path $TestDrive $Name
        New-Item -ItemType Directory -Path $out -Force | Out-Null
        $script = @"
`$ErrorActionPreference = 'Continue'
`$VerbosePreference = 'Continue'
`$DebugPreference = 'Continue'
`$InformationPreference = 'Continue'
Import-Module '$manifest'
# one attempt per request: retry waits (a closed port, a refused proxy) would only make this slower
Set-OktaConfiguration -MaxRetries 0
`$Url = `$env:OKTA_TEST_URL; `$Token = `$env:OKTA_TEST_CANARY; `$ClosedPort = `$env:OKTA_TEST_CLOSED_PORT
Start-Transcript -Path '$out/transcript.txt' | Out-Null
try {
$Setup
} catch { `$_ | Out-String; Write-Error `$_ }
`$c = Get-OktaConfiguration
`$c
`$c | Format-List
`$c | Format-Table -Wrap
`$c | Format-List * -Force
`$c.GetEnumerator() | Format-Table -Wrap
`$c.Values | Out-String
"`$c"
`$c.ApiKey
"`$(`$c.ApiKey)"
`$c.DefaultHeaders
"`$(`$c.DefaultHeaders)"
`$c | ConvertTo-Json -Depth 6 | Set-Content '$out/config.json'
`$c | Export-Clixml -Path '$out/config.clixml' -Depth 6
`$c | ConvertTo-Json -Depth 6
try { Get-OktaUser -UserId nobody -Verbose -Debug } catch { `$_ | Format-List * -Force; `$_.Exception | Format-List * -Force }
Get-OktaUser -UserId nobody -ErrorAction SilentlyContinue
`$Error | Format-List * -Force
# depth 3 holds every message and detail; deeper walks into the module's thousands of commands
`$Error | Export-Clixml -Path '$out/errors.clixml' -Depth 3
Get-Error -Newest 5 | Out-String
'rendering-done'
Stop-Transcript | Out-Null
"@
        Set-Content -Path "$out/run.ps1" -Value $script
        $env:OKTA_TEST_URL = $sim.Url; $env:OKTA_TEST_CANARY = $canary; $env:OKTA_TEST_CLOSED_PORT = "$closedPort"
        try {
            $stdout = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File "$out/run.ps1" *>&1 | Out-String
        }
        finally {
            Remove-Item Env:OKTA_TEST_URL, Env:OKTA_TEST_CANARY, Env:OKTA_TEST_CLOSED_PORT
        }
        $files = Get-ChildItem $out -File | Where-Object Name -ne 'run.ps1'
        [PSCustomObject]@{
            Stdout     = $stdout
            Files      = ($files | ForEach-Object { "== $($_.Name)`n" + (Get-Content $_.FullName -Raw) }) -join "`n"
            FileNames  = @($files.Name)
        }
    }
}

AfterAll {
    # The configuration belongs to the runspace, which the next suites share: leave it empty.
    $c = Get-OktaConfiguration
    $c.BaseUrl = $null; $c.ApiKey = @{}; $c.AccessToken = $null; $c.DefaultHeaders = @{}
    $c.Proxy = $null; $c.RequestTimeout = $null; $c.MaxRetries = $null
    Stop-OktaSimulator $script:sim
}

Describe 'A secret never appears in any rendering, stream, transcript or exported file' {
    It '<Name>' -TestCases @(
        @{ Name = 'a plain-string ApiKey (README style)'; Setup = 'Set-OktaConfiguration -BaseUrl $Url -ApiKey $Token -Verbose -Debug; (Get-OktaUser -UserId nobody2 -ErrorAction SilentlyContinue); "used"' }
        @{ Name = 'a plain-string ApiKey set on the live object'; Setup = '$c = Get-OktaConfiguration; $c.BaseUrl = $Url; $c.ApiKey = $Token' }
        @{ Name = 'a SecureString ApiKey'; Setup = 'Set-OktaConfiguration -BaseUrl $Url -ApiKey (ConvertTo-SecureString $Token -AsPlainText -Force)' }
        @{ Name = 'an ApiKey table'; Setup = 'Set-OktaConfiguration -BaseUrl $Url -ApiKey @{ apitoken = $Token }' }
        @{ Name = 'an AUTHORIZATION default header'; Setup = 'Set-OktaConfiguration -BaseUrl $Url -DefaultHeaders @{ AUTHORIZATION = "SSWS $Token" }' }
        @{ Name = 'an authorization header set on the live object'; Setup = '$c = Get-OktaConfiguration; $c.BaseUrl = $Url; $c.DefaultHeaders = @{ authorization = "SSWS $Token" }; $c.DefaultHeaders["X-Api-Key"] = $Token' }
        @{ Name = 'an access token'; Setup = 'Set-OktaConfiguration -BaseUrl $Url -AccessToken $Token' }
        @{ Name = 'a proxy URL with user:password@'; Setup = 'Set-OktaConfiguration -BaseUrl $Url -ApiKey @{ apitoken = "x" } -Proxy "http://admin:$Token@127.0.0.1:$ClosedPort"' }
        @{ Name = 'a proxy Uri with user:password@'; Setup = 'Set-OktaConfiguration -BaseUrl $Url -Proxy ([uri]"http://admin:$Token@127.0.0.1:$ClosedPort")' }
        @{ Name = 'a bad BaseUrl with user:password@'; Setup = 'Set-OktaConfiguration -BaseUrl "htps://admin:$Token@myorg.okta.com"' }
        @{ Name = 'a BaseUrl with user:password@ set on the live object'; Setup = '(Get-OktaConfiguration).BaseUrl = "http://admin:$Token@127.0.0.1:$ClosedPort"; (Get-OktaConfiguration).ApiKey = "x"' }
    ) {
        $result = Invoke-Rendering -Setup $Setup -Name ($Name -replace '\W', '-')
        # The rendering really ran and the files were written (so a clean result is not an empty one).
        $result.Stdout | Should -Match 'rendering-done'
        $result.FileNames | Should -Contain 'transcript.txt'
        $result.FileNames | Should -Contain 'config.clixml'
        $result.FileNames | Should -Contain 'config.json'
        $result.Files | Should -Match 'BaseUrl'
        # On failure, name the lines that leaked (the canary itself replaced, so the report shows where, not what).
        $leaks = ($result.Stdout + "`n" + $result.Files) -split "`n" | Where-Object { $_.Contains($canary) } |
            ForEach-Object { $_.Replace($canary, '<CANARY>').Trim() } | Select-Object -Unique -First 8
        $leaks | Should -BeNullOrEmpty
    }
}

Describe 'Masked, yet used' {
    BeforeEach {
        $c = Get-OktaConfiguration
        $c.ApiKey = @{}; $c.DefaultHeaders = @{}; $c.AccessToken = $null; $c.Proxy = $null
    }

    It 'sends a plain-string ApiKey and shows it as ********' {
        Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey $canary
        { Get-OktaUser -UserId nobody } | Should -Throw -ExceptionType ([Okta.PowerShell.OktaApiException]) -ExpectedMessage '*E0000007*'
        (Get-OktaConfiguration | Out-String) | Should -Match '\*{8}'
        "$((Get-OktaConfiguration).ApiKey)" | Should -Not -Match ([regex]::Escape($canary))
    }

    It 'sends an Authorization default header in any case and shows it as ********' {
        Set-OktaConfiguration -BaseUrl $sim.Url -DefaultHeaders @{ AuThOrIzAtIoN = "SSWS $canary"; 'X-Trace' = 'visible' }
        { Get-OktaUser -UserId nobody } | Should -Throw -ExpectedMessage '*E0000007*'
        $shown = Get-OktaConfiguration | Format-List | Out-String -Width 500
        $shown | Should -Not -Match ([regex]::Escape($canary))
        ((Get-OktaConfiguration).DefaultHeaders | Out-String) | Should -Match 'visible'
        ((Get-OktaConfiguration).DefaultHeaders | Out-String) | Should -Match '\*{8}'
    }

    It 'keeps a proxy''s host visible and its password masked' {
        Set-OktaConfiguration -Proxy "http://admin:$canary@proxy.example:3128"
        $shown = Get-OktaConfiguration | Format-List | Out-String -Width 500
        $shown | Should -Match 'proxy.example:3128'
        $shown | Should -Not -Match ([regex]::Escape($canary))
    }
}
