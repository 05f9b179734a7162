# Settings kept outside the script (okta.yaml files, OKTA_CLIENT_* variables, as the Okta SDKs read them) and
# named configurations for several orgs in one session.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:manifest = Join-Path (Get-RepositoryRoot) 'Okta.PowerShell.psd1'

    function Invoke-FreshPwsh {
        # A new pwsh with its own HOME, working directory and OKTA_* environment: what a user's session starts with.
        param([hashtable]$Environment = @{}, [string]$WorkingDirectory = $TestDrive, [string]$HomeDirectory = (Join-Path $TestDrive 'emptyhome'), [string]$Script)
        New-Item -ItemType Directory -Force $HomeDirectory, $WorkingDirectory | Out-Null
        # this pwsh's own entry point: `dotnet pwsh` needs the repository's tool manifest in the working directory
        $info = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        [string[]]$entryPoint = if ([System.IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
        foreach ($argument in $entryPoint + @('-NoProfile', '-NonInteractive', '-Command', "Import-Module '$manifest'; $Script")) { $info.ArgumentList.Add($argument) }
        $info.WorkingDirectory = $WorkingDirectory
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        foreach ($name in @($info.Environment.Keys)) { if ($name -like 'OKTA_*') { $info.Environment.Remove($name) } }
        $info.Environment['HOME'] = $HomeDirectory
        $info.Environment['NO_COLOR'] = '1'
        foreach ($entry in $Environment.GetEnumerator()) { $info.Environment[$entry.Key] = $entry.Value }
        $process = [System.Diagnostics.Process]::Start($info)
        $errors = $process.StandardError.ReadToEndAsync()
        $output = $process.StandardOutput.ReadToEnd()
        if (-not $process.WaitForExit(60000)) { $process.Kill(); throw 'pwsh did not finish in 60 s' }
        [pscustomobject]@{ Output = $output; Errors = $errors.Result; ExitCode = $process.ExitCode }
    }
}

Describe 'Settings from okta.yaml and OKTA_CLIENT_* variables' {
    BeforeAll {
        $script:sim = Start-OktaSimulator -Seed 2
    }
    AfterAll { Stop-OktaSimulator $sim }

    It 'starts the session configured from the environment: commands work without Set-OktaConfiguration' {
        $run = Invoke-FreshPwsh -Environment @{ OKTA_CLIENT_ORGURL = $sim.Url; OKTA_CLIENT_TOKEN = $sim.Token } -Script '@(Invoke-OktaListUsers).Count'
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Trim() | Should -Be '2'
    }

    It 'reads ~/.okta/okta.yaml, then ./okta.yaml, then the environment, each later one winning; seconds become milliseconds' {
        $homeDir = Join-Path $TestDrive 'home1'
        New-Item -ItemType Directory -Force (Join-Path $homeDir '.okta') | Out-Null
        Set-Content (Join-Path $homeDir '.okta/okta.yaml') "okta:`n  client:`n    orgUrl: https://home.example.com`n    token: from-home`n    clientId: 0oaHome`n    requestTimeout: 30`n    rateLimit:`n      maxRetries: 1`n"
        $project = Join-Path $TestDrive 'project1'
        New-Item -ItemType Directory -Force $project | Out-Null
        Set-Content (Join-Path $project 'okta.yaml') "okta:`n  client:`n    orgUrl: https://project.example.com`n    scopes:`n      - okta.users.read`n      - okta.groups.read`n"
        $script = '$c = Get-OktaConfiguration; [pscustomobject]@{ BaseUrl = $c.BaseUrl; ClientId = $c.ClientId; Scope = $c.Scope; RequestTimeout = $c.RequestTimeout; MaxRetries = $c.MaxRetries; Token = $c.ApiKey["apitoken"] } | ConvertTo-Json -Compress'
        $run = Invoke-FreshPwsh -HomeDirectory $homeDir -WorkingDirectory $project -Environment @{ OKTA_CLIENT_RATE_LIMIT_MAX_RETRIES = '3' } -Script $script
        $run.Errors | Should -BeNullOrEmpty
        $seen = $run.Output | ConvertFrom-Json
        $seen.BaseUrl | Should -Be 'https://project.example.com'
        $seen.ClientId | Should -Be '0oaHome'
        $seen.Scope | Should -Be 'okta.users.read okta.groups.read'
        $seen.RequestTimeout | Should -Be 30000
        $seen.MaxRetries | Should -Be 3
        $seen.Token | Should -Be 'from-home'
    }

    It 'lets the session''s own settings win over every source' {
        $run = Invoke-FreshPwsh -Environment @{ OKTA_CLIENT_ORGURL = 'https://env.example.com'; OKTA_CLIENT_REQUESTTIMEOUT = '5' } -Script "Set-OktaConfiguration -BaseUrl '$($sim.Url)' -RequestTimeout 1234; `$c = Get-OktaConfiguration; `$c.BaseUrl; `$c.RequestTimeout"
        $lines = $run.Output.Trim() -split '\r?\n'
        $lines | Should -Be @($sim.Url, '1234')
    }

    It 'warns once about a bad source, naming the setting and never showing its value' {
        $project = Join-Path $TestDrive 'project2'
        New-Item -ItemType Directory -Force $project | Out-Null
        Set-Content (Join-Path $project 'okta.yaml') "okta:`n  client:`n    token: canary-secret-value-123`n    requestTimeout: soon`n"
        $run = Invoke-FreshPwsh -WorkingDirectory $project -Environment @{ OKTA_CLIENT_RATELIMIT_MAXRETRIES = 'lots' } -Script 'Get-OktaConfiguration 3>&1 | Out-String; Get-OktaConfiguration 3>&1 | Out-String'
        $warnings = [regex]::Matches($run.Output + $run.Errors, 'Okta settings: ([^\r\n]+)') | ForEach-Object { $_.Groups[1].Value }
        $warnings | Should -HaveCount 2
        $warnings | Should -Contain './okta.yaml: okta.client.requestTimeout is not a number of seconds (ignored).'
        $warnings | Should -Contain 'OKTA_CLIENT_RATELIMIT_MAXRETRIES is not a whole number (ignored).'
        ($run.Output + $run.Errors) | Should -Not -Match 'canary-secret-value-123'
    }
}

Describe 'Named configurations' {
    BeforeAll {
        $script:first = Start-OktaSimulator -Seed 1
        $script:second = Start-OktaSimulator -Seed 3
        Set-OktaConfiguration -BaseUrl $first.Url -ApiKey $first.Token
        Set-OktaConfiguration -Name second -BaseUrl $second.Url -ApiKey $second.Token
    }
    AfterAll {
        Use-OktaConfiguration default
        Stop-OktaSimulator $first
        Stop-OktaSimulator $second
    }

    It 'sends a command to the org its -Configuration names, leaving the one in use alone' {
        @(Invoke-OktaListUsers).Count | Should -Be 1
        @(Invoke-OktaListUsers -Configuration second).Count | Should -Be 3
        (Get-OktaConfiguration).BaseUrl | Should -Be $first.Url
        (Get-OktaConfiguration -Name second).BaseUrl | Should -Be $second.Url
    }

    It 'switches the configuration in use with Use-OktaConfiguration' {
        Use-OktaConfiguration second
        try {
            @(Invoke-OktaListUsers).Count | Should -Be 3
            (Get-OktaConfiguration).BaseUrl | Should -Be $second.Url
        } finally { Use-OktaConfiguration default }
        @(Invoke-OktaListUsers).Count | Should -Be 1
    }

    It 'names the parameter and the configurations that exist when a name is unknown, sending nothing' {
        $failure = { Invoke-OktaListUsers -Configuration nope -ErrorAction Stop } | Should -Throw "*-Configuration*'nope'*existing: default*" -PassThru
        $failure.Exception.Message | Should -Match 'second'
        { Use-OktaConfiguration nope } | Should -Throw "*'nope'*"
    }

    It 'completes configuration names' {
        $completion = TabExpansion2 -inputScript 'Invoke-OktaListUsers -Configuration sec' -cursorColumn 38
        $completion.CompletionMatches.CompletionText | Should -Contain 'second'
    }

    It 'keeps named configurations per runspace' {
        $names = 1..2 | ForEach-Object -Parallel {
            Import-Module $using:manifest
            try { $null = Get-OktaConfiguration -Name second; 'shared' } catch { 'own' }
        }
        $names | Should -Be @('own', 'own')
    }
}

Describe 'Secrets from a vault (Microsoft.PowerShell.SecretManagement)' {
    BeforeAll {
        # A stand-in for the SecretManagement module with one vault: what Set-OktaConfiguration -*Secret asks of it.
        $script:vaultModules = Join-Path $TestDrive 'vault-modules'
        $module = Join-Path $vaultModules 'Microsoft.PowerShell.SecretManagement'
        New-Item -ItemType Directory -Force $module | Out-Null
        Set-Content (Join-Path $module 'Microsoft.PowerShell.SecretManagement.psm1') @'
$script:vault = @{ OktaApiToken = 'token-from-the-vault' }
function Get-Secret { param([string]$Name, [switch]$AsPlainText) if (-not $script:vault.ContainsKey($Name)) { throw "Get-Secret: the secret $Name was not found." }; $script:vault[$Name] }
Export-ModuleMember -Function Get-Secret
'@
    }

    It 'reads the API token from the vault and keeps it masked' {
        $run = Invoke-FreshPwsh -Environment @{ PSModulePath = $vaultModules } -Script "Set-OktaConfiguration -BaseUrl 'https://vault-test.example.com' -ApiKeySecret OktaApiToken; (Get-OktaConfiguration).ApiKey['apitoken']; Get-OktaConfiguration | Out-String"
        $run.Errors | Should -BeNullOrEmpty
        ($run.Output -split '\r?\n')[0] | Should -Be 'token-from-the-vault'
        (($run.Output -split '\r?\n') | Select-Object -Skip 1) -join "`n" | Should -Not -Match 'token-from-the-vault'
    }

    It 'names the parameter and the missing module when SecretManagement is not installed' {
        $run = Invoke-FreshPwsh -Environment @{ PSModulePath = (Join-Path $TestDrive 'no-modules') } -Script "try { Set-OktaConfiguration -ApiKeySecret OktaApiToken } catch { `$_.Exception.Message }"
        $run.Output | Should -Match '-ApiKeySecret: reading secrets needs the module Microsoft.PowerShell.SecretManagement'
    }

    It 'names the secret that is not in the vault' {
        $run = Invoke-FreshPwsh -Environment @{ PSModulePath = $vaultModules } -Script "try { Set-OktaConfiguration -PrivateKeySecret Nope } catch { `$_.Exception.Message }"
        $run.Output | Should -Match "-PrivateKeySecret: the secret 'Nope' could not be read"
    }
}
