# Retries from every command, seen through okta-sim's faults and rate limits: idempotent requests survive
# 503s, a POST is never repeated after a 5xx, a 429 waits for the window (with a warning and a countdown
# when the wait is long), and -Verbose tells each retry while it happens.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    function Set-Faults($sim, [hashtable]$Faults) {
        Invoke-RestMethod -Method Put -Uri "$($sim.Url)/__sim/faults" -ContentType 'application/json' -Body ($Faults | ConvertTo-Json) | Out-Null
    }
}

Describe 'Retries after server errors' {
    BeforeAll { $script:sim = Start-OktaSimulator -Seed 2 -Configure }
    AfterAll { Stop-OktaSimulator $script:sim }
    AfterEach { Invoke-RestMethod -Method Delete -Uri "$($sim.Url)/__sim/faults" | Out-Null }

    It 'retries a GET through two 503s and says so in -Verbose' {
        $id = (Invoke-OktaListUsers -Limit 1).id
        Set-Faults $sim @{ failNext = 2; errorStatus = 503; pathPrefix = '/api/v1/users' }
        $output = Get-OktaUser -UserId $id -Verbose 4>&1
        $user = $output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $verbose = ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n"
        $user.id | Should -Be $id
        $verbose | Should -Match 'attempt 1 -> 503; retrying'
        $verbose | Should -Match 'attempt 2 -> 503; retrying'
    }

    It 'never repeats a POST after a 503 (it may have been applied)' {
        Set-Faults $sim @{ failNext = 1; errorStatus = 503; pathPrefix = '/api/v1/groups' }
        $before = @(Invoke-OktaListGroups).Count
        Set-Faults $sim @{ failNext = 1; errorStatus = 503; pathPrefix = '/api/v1/groups' }
        { New-OktaGroup -Group @{ profile = @{ name = 'Once' } } } | Should -Throw -ExceptionType ([Okta.PowerShell.OktaApiException])
        @(Invoke-OktaListGroups).Count | Should -Be $before
    }

    It 'does not retry with MaxRetries 0' {
        Set-OktaConfiguration -MaxRetries 0
        try {
            $id = (Invoke-OktaListUsers -Limit 1).id
            Set-Faults $sim @{ failNext = 1; errorStatus = 503; pathPrefix = '/api/v1/users' }
            { Get-OktaUser -UserId $id } | Should -Throw -ExceptionType ([Okta.PowerShell.OktaApiException])
        } finally {
            (Get-OktaConfiguration).MaxRetries = $null
        }
    }
}

Describe 'A 429 waits for the rate-limit window' {
    BeforeAll { $script:limited = Start-OktaSimulator -Seed 2 -ArgumentList '--rate-limit', 'users=1/7s' -Configure }
    AfterAll { Stop-OktaSimulator $script:limited }

    It 'waits until the reset, warns about the long wait, and then succeeds' {
        $first = Invoke-OktaListUsers -Limit 1 -WithHttpInfo   # spends the window
        $first.StatusCode | Should -Be 200
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $output = Invoke-OktaListUsers -Limit 1 -WarningVariable warnings -Verbose 4>&1 3>$null
        $watch.Stop()
        @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Count | Should -Be 1
        # the governor may hold the request before sending, or a 429 may be retried after waiting
        (($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n") | Should -Match 'holding attempt|retrying in'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 20
    }
}
