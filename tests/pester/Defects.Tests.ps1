# Defects a new user found (issue "Defects found by trying the module as a new user"), each reproduced here:
# a delete that went through when its confirmation could not be shown, one bad item killing a batch, piped
# objects stringified into ids, dates sent in the culture's format, and a user table of ids and dates.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:sim = Start-OktaSimulator -Seed 5 -Configure
    $script:manifest = Join-Path (Get-RepositoryRoot) 'Okta.PowerShell.psd1'

    function New-TestUser([string]$Login) {
        $profile = Initialize-OktaUserProfile -FirstName 'Test' -LastName ($Login -replace '@.*') -Email $Login -Login $Login
        New-OktaUser -Body (Initialize-OktaCreateUserRequest -VarProfile $profile) -Activate $true
    }

    # Runs a script in a child `pwsh -NonInteractive` configured for the simulator; returns its output lines.
    function Invoke-ChildPwsh([string]$Script) {
        $prelude = "Import-Module '$manifest'; Set-OktaConfiguration -BaseUrl '$($sim.Url)' -ApiKey @{ apitoken = '$($sim.Token)' }; "
        & dotnet pwsh -NoProfile -NonInteractive -Command ($prelude + $Script) 2>&1 | ForEach-Object { "$_" }
    }
}

AfterAll {
    Stop-OktaSimulator $script:sim
}

Describe 'A write is never sent unless ShouldProcess approved it' {
    It 'sends nothing when -Confirm cannot be shown (pwsh -NonInteractive), and the user is untouched' {
        $user = New-TestUser 'confirm.noninteractive@example.com'
        $output = Invoke-ChildPwsh "Invoke-OktaDeactivateOrDeleteUser -UserId '$($user.id)' -Confirm; 'exit'"
        ($output -join "`n") | Should -Match 'exit'
        (Get-OktaUser -UserId $user.id).status | Should -Be $user.status
    }

    It 'sends nothing when $ConfirmPreference asks and the host cannot prompt (pwsh -NonInteractive)' {
        $user = New-TestUser 'confirm.preference@example.com'
        $null = Invoke-ChildPwsh "`$ConfirmPreference = 'Medium'; Invoke-OktaDeactivateOrDeleteUser -UserId '$($user.id)'; Invoke-OktaDeactivateOrDeleteUser -UserId '$($user.id)'"
        (Get-OktaUser -UserId $user.id).status | Should -Be $user.status
    }

    It 'sends nothing from a ThreadJob that cannot show the confirmation' {
        $user = New-TestUser 'confirm.threadjob@example.com'
        $job = Start-ThreadJob -ScriptBlock {
            param($manifest, $url, $token, $id)
            Import-Module $manifest
            Set-OktaConfiguration -BaseUrl $url -ApiKey @{ apitoken = $token }
            Invoke-OktaDeactivateOrDeleteUser -UserId $id -Confirm
        } -ArgumentList $manifest, $sim.Url, $sim.Token, $user.id
        $null = $job | Wait-Job -Timeout 60 | Receive-Job -ErrorAction SilentlyContinue -ErrorVariable jobErrors
        $job | Remove-Job -Force
        (Get-OktaUser -UserId $user.id).status | Should -Be $user.status
    }

    It 'runs unattended scripts written for the official module without asking (ConfirmImpact Medium)' {
        $user = New-TestUser 'unattended.delete@example.com'
        $null = Invoke-ChildPwsh "Invoke-OktaDeactivateOrDeleteUser -UserId '$($user.id)'"
        (Get-OktaUser -UserId $user.id).status | Should -Be 'DEPROVISIONED'
    }

    It '-WhatIf shows the method, the URL and the target, and sends nothing (also for a whole-profile PUT)' {
        $user = New-TestUser 'whatif@example.com'
        $shown = Invoke-ChildPwsh "Invoke-OktaDeactivateOrDeleteUser -UserId '$($user.id)' -WhatIf; Update-OktaUser -UserId '$($user.id)' -User @{ profile = @{ login = 'x@example.com' } } -WhatIf"
        ($shown -join "`n") | Should -Match ([regex]::Escape("DELETE $($sim.Url)/api/v1/users/$($user.id)"))
        ($shown -join "`n") | Should -Match ([regex]::Escape("PUT $($sim.Url)/api/v1/users/$($user.id)"))
        $after = Get-OktaUser -UserId $user.id
        $after.status | Should -Be $user.status
        $after.profile.login | Should -Be 'whatif@example.com'
    }
}

Describe 'One bad item does not kill a batch' {
    BeforeAll {
        $null = New-TestUser 'batch.a@example.com'
        $null = New-TestUser 'batch.c@example.com'
    }

    It 'writes a non-terminating error for the bad item (with the item and ErrorDetails) and goes on' {
        $found = 'batch.a@example.com', 'nobody@example.com', 'batch.c@example.com' |
            Get-OktaUser -ErrorAction SilentlyContinue -ErrorVariable failures
        @($found).Count | Should -Be 2
        $found[1].profile.login | Should -Be 'batch.c@example.com'
        $failures | Should -HaveCount 1
        $failures[0].TargetObject | Should -Be 'nobody@example.com'
        $failures[0].Exception | Should -BeOfType [Okta.PowerShell.OktaApiException]
        ($failures[0].ErrorDetails.Message | ConvertFrom-Json).errorCode | Should -Be 'E0000007'
    }

    It 'stops at the bad item with -ErrorAction Stop' {
        $seen = [System.Collections.Generic.List[object]]::new()
        { 'batch.a@example.com', 'nobody@example.com', 'batch.c@example.com' | Get-OktaUser -ErrorAction Stop | ForEach-Object { $seen.Add($_) } } |
            Should -Throw
        $seen | Should -HaveCount 1
    }

    It 'keeps throwing a terminating error on a direct call, so try/catch works as in the seeds' {
        $caught = $null
        try { Get-OktaUser -UserId nobody@example.com; $after = 'ran on' } catch { $caught = $_ }
        $caught.Exception | Should -BeOfType [Okta.PowerShell.OktaApiException]
        $after | Should -BeNullOrEmpty
    }
}

Describe 'Piped objects bind by property name' {
    It 'binds the id of listed users to -UserId' {
        $users = Invoke-OktaListUsers -Limit 3
        $again = $users | Get-OktaUser
        @($again.id) | Should -Be @($users.id)
    }

    It 'lets group members flow into a lifecycle command' {
        $group = New-OktaGroup -Group @{ profile = @{ name = 'Piped Group' } }
        $member = New-TestUser 'piped.member@example.com'
        Add-OktaUserToGroup -GroupId $group.id -UserId $member.id
        Invoke-OktaListGroupUsers -GroupId $group.id | Invoke-OktaDeactivateUser
        (Get-OktaUser -UserId $member.id).status | Should -Be 'DEPROVISIONED'
    }
}

Describe 'Dates in queries' {
    It 'sends a DateTime as ISO 8601 UTC, whatever the culture' {
        $culture = [System.Threading.Thread]::CurrentThread.CurrentCulture
        try {
            [System.Threading.Thread]::CurrentThread.CurrentCulture = [cultureinfo]'de-DE'
            $since = [datetime]::new(2026, 11, 30, 9, 22, 27, [System.DateTimeKind]::Utc)
            $answer = Get-OktaLogs -Since $since -Limit 1 -WithHttpInfo
        } finally {
            [System.Threading.Thread]::CurrentThread.CurrentCulture = $culture
        }
        $answer.StatusCode | Should -Be 200
        # the self link echoes the query the simulator received
        ($answer.Headers['Link'] -join ' ') | Should -Match ([regex]::Escape('since=2026-11-30T09%3A22%3A27.000Z'))
    }

    It 'sends a string as written' {
        $answer = Get-OktaLogs -Since '2026-11-30T00:00:00Z' -Limit 1 -WithHttpInfo
        ($answer.Headers['Link'] -join ' ') | Should -Match ([regex]::Escape('since=2026-11-30T00%3A00%3A00Z'))
    }
}

Describe 'Typed output and default tables' {
    It 'names users Okta.PowerShell.User and shows login and names in a table' {
        $users = Invoke-OktaListUsers -Limit 2
        $users[0].PSObject.TypeNames[0] | Should -Be 'Okta.PowerShell.User'
        $table = $users | Format-Table | Out-String -Width 200
        $table | Should -Match 'login\s+firstName\s+lastName'
        $table | Should -Match ([regex]::Escape($users[0].profile.login))
    }

    It 'keeps the blog''s $users.profile | Format-Table working' {
        $users = Invoke-OktaListUsers -Limit 2
        ($users.profile | Format-Table | Out-String) | Should -Match 'login'
    }

    It 'names apps by their sign-on mode (discriminator) and still as Application' {
        $app = Invoke-OktaListApplications -Limit 1
        if ($app) {
            $app.PSObject.TypeNames | Should -Contain 'Okta.PowerShell.Application'
        }
    }

    It 'exports users to CSV with the documented recipe' {
        $file = Join-Path $TestDrive 'users.csv'
        Invoke-OktaListUsers -Limit 2 |
            Select-Object id, status, @{ n = 'login'; e = { $_.profile.login } }, @{ n = 'email'; e = { $_.profile.email } } |
            Export-Csv $file
        $rows = Import-Csv $file
        $rows[0].login | Should -Match '@'
    }
}
