# Every script in examples/ run as a user runs it (& ./examples/X.ps1 ...) against okta-sim, checked by what the
# simulator then holds (users, groups, apps, log events) and by what it received (/__sim/stats, /__sim/requests/last).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:examples = Join-Path (Get-RepositoryRoot) 'examples'
    $script:sim = Start-OktaSimulator -Seed 12 -Configure

    function Get-SimStats { Invoke-RestMethod "$($sim.Url)/__sim/stats" }
    function Get-LastRequest { Invoke-RestMethod "$($sim.Url)/__sim/requests/last" }
    function New-TestUser([string]$Login) {
        $userProfile = Initialize-OktaUserProfile -FirstName Test -LastName ($Login -replace '@.*') -Email $Login -Login $Login
        $credentials = Initialize-OktaUserCredentials -Password 'Str0ng-Passw0rd!'   # with a password: ACTIVE, not PROVISIONED
        New-OktaUser -Body (Initialize-OktaCreateUserRequest -VarProfile $userProfile -Credentials $credentials) -Activate $true
    }
    function New-TestGroup([string]$Name) { New-OktaGroup -Group @{ profile = @{ name = $Name } } }
    function Get-UsersByLogin([string]$Login) { @(Invoke-OktaListUsers -Search "profile.login eq `"$Login`"") }
}

AfterAll {
    Stop-OktaSimulator $script:sim
}

Describe 'Every example' {
    It '<_> has help with a synopsis, its parameters and an example' -ForEach @(
        'Blog-Walkthrough', 'Import-UsersFromCsv', 'Get-GroupMembershipReport', 'Invoke-Offboarding', 'Export-Users', 'Watch-SystemLog'
    ) {
        $path = Join-Path $examples "$_.ps1"
        $help = Get-Help $path -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*\S+\.ps1'   # a synopsis, not the generated syntax line
        @($help.examples.example).Count | Should -BeGreaterThan 0
        $declared = (Get-Command $path).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters }
        foreach ($name in $declared) {
            ($help.parameters.parameter | Where-Object name -EQ $name).description | Should -Not -BeNullOrEmpty -Because "-$name is documented"
        }
    }

    It '<_> supports -WhatIf' -ForEach @('Blog-Walkthrough', 'Import-UsersFromCsv', 'Invoke-Offboarding') {
        (Get-Command (Join-Path $examples "$_.ps1")).Parameters.Keys | Should -Contain 'WhatIf'
    }
}

Describe 'Blog-Walkthrough.ps1' {
    It 'sends no write with -WhatIf' {
        $before = Get-SimStats
        & "$examples/Blog-Walkthrough.ps1" -Login blog.user@example.com -GroupName 'Blogtest Group' -WhatIf 6>$null | Out-Null
        $after = Get-SimStats
        $after.users | Should -Be $before.users
        $after.groups | Should -Be $before.groups
        $after.logEvents | Should -Be $before.logEvents
        (Get-LastRequest).method | Should -Be 'GET'
    }

    It 'creates and updates the user, creates the group with them as member; a re-run duplicates nothing' {
        $result = & "$examples/Blog-Walkthrough.ps1" -Login blog.user@example.com -GroupName 'Blogtest Group' 6>$null
        $result.User.profile.lastName | Should -Be 'Smith'
        (Get-OktaUser -UserId blog.user@example.com).profile.lastName | Should -Be 'Smith'
        $group = @(Invoke-OktaListGroups -Search 'profile.name eq "Blogtest Group"')
        $group | Should -HaveCount 1
        (Invoke-OktaListGroupUsers -GroupId $group[0].id).profile.login | Should -Be @('blog.user@example.com')

        & "$examples/Blog-Walkthrough.ps1" -Login blog.user@example.com -GroupName 'Blogtest Group' 6>$null | Out-Null
        Get-UsersByLogin blog.user@example.com | Should -HaveCount 1
        @(Invoke-OktaListGroups -Search 'profile.name eq "Blogtest Group"') | Should -HaveCount 1
    }
}

Describe 'Import-UsersFromCsv.ps1' {
    BeforeAll {
        $script:engineering = Invoke-OktaListGroups -Search 'profile.name eq "Engineering"' | Select-Object -First 1
        $script:csv = Join-Path $TestDrive 'userimport.csv'
        @(
            'firstName,lastName,email,login,groups'
            'Test,CSV1,testcsv1@example.com,testcsv1@example.com,Engineering'
            'Test,CSV2,testcsv2@example.com,testcsv2@example.com,'
            'Bad,Row,not-an-email,not-an-email,'
            'Test,CSV3,testcsv3@example.com,testcsv3@example.com,Engineering;No Such Group'
            ',NoFirstName,nofirst@example.com,nofirst@example.com,'
            'Test,Again,testcsv2@example.com,TestCSV2@example.com,'
        ) | Set-Content $csv
        $script:resultPath = Join-Path $TestDrive 'results.csv'
    }

    It 'creates the good rows, fails the bad ones with their reason, and writes one result row per input row' {
        $before = (Get-SimStats).users
        & "$examples/Import-UsersFromCsv.ps1" -Path $csv -ResultPath $resultPath -ThrottleLimit 4 6>$null | Out-Null
        $results = Import-Csv $resultPath
        $results.login | Should -Be @('testcsv1@example.com', 'testcsv2@example.com', 'not-an-email', 'testcsv3@example.com', 'nofirst@example.com', 'TestCSV2@example.com')
        $results.status | Should -Be @('created', 'created', 'failed', 'created', 'failed', 'failed')
        $results[5].reason | Should -Be 'same login as row 2'
        $results[2].reason | Should -Match 'login: .*email'          # Okta's own cause, not a generic message
        $results[4].reason | Should -Be 'missing firstName'
        (Get-SimStats).users | Should -Be ($before + 3)
        foreach ($row in $results | Where-Object status -EQ 'created') {
            (Get-OktaUser -UserId $row.login).id | Should -Be $row.id
        }
        $members = (Invoke-OktaListGroupUsers -GroupId $engineering.id -All).profile.login
        $members | Should -Contain 'testcsv1@example.com'
        $members | Should -Contain 'testcsv3@example.com'
        $members | Should -Not -Contain 'testcsv2@example.com'
        $results[3].groups | Should -Be 'Engineering: added; No Such Group: not found'
    }

    It 'reports "existed" on a second run and creates no duplicate' {
        $before = (Get-SimStats).users
        & "$examples/Import-UsersFromCsv.ps1" -Path $csv -ResultPath $resultPath 6>$null | Out-Null
        $results = Import-Csv $resultPath
        $results.status | Should -Be @('existed', 'existed', 'failed', 'existed', 'failed', 'failed')
        $results[0].id | Should -Be (Get-OktaUser -UserId testcsv1@example.com).id
        (Get-SimStats).users | Should -Be $before
        Get-UsersByLogin testcsv1@example.com | Should -HaveCount 1
    }

    It 'creates nothing with -WhatIf' {
        $whatIfCsv = Join-Path $TestDrive 'whatif.csv'
        'firstName,lastName,email,login', 'What,If,whatif@example.com,whatif@example.com' | Set-Content $whatIfCsv
        $before = Get-SimStats
        $report = & "$examples/Import-UsersFromCsv.ps1" -Path $whatIfCsv -WhatIf 6>$null
        $report.status | Should -Be 'skipped'
        (Get-SimStats).users | Should -Be $before.users
        (Get-SimStats).logEvents | Should -Be $before.logEvents
        Get-UsersByLogin whatif@example.com | Should -HaveCount 0
    }
}

Describe 'Get-GroupMembershipReport.ps1' {
    BeforeAll {
        $script:ann = New-TestUser report.ann@example.com
        $script:bob = New-TestUser report.bob@example.com
        $groupA = New-TestGroup 'Report Alpha'
        $groupB = New-TestGroup 'Report Beta'
        $other = New-TestGroup 'Other Report'   # contains the prefix, does not start with it
        Add-OktaUserToGroup -GroupId $groupA.id -UserId $ann.id
        Add-OktaUserToGroup -GroupId $groupA.id -UserId $bob.id
        Add-OktaUserToGroup -GroupId $groupB.id -UserId $bob.id
        Add-OktaUserToGroup -GroupId $other.id -UserId $ann.id
        $script:expected = @('Report Alpha|report.ann@example.com', 'Report Alpha|report.bob@example.com', 'Report Beta|report.bob@example.com')
    }

    It 'writes one row per group and member of the groups starting with the prefix' {
        $rows = & "$examples/Get-GroupMembershipReport.ps1" -Prefix 'Report'
        @($rows | ForEach-Object { "$($_.groupName)|$($_.login)" } | Sort-Object) | Should -Be $expected
        ($rows | Where-Object login -EQ 'report.bob@example.com').userId | Select-Object -Unique | Should -Be $bob.id
    }

    It 'writes the same rows to a CSV with -Path, also when the groups are found with -Q' {
        $path = Join-Path $TestDrive 'report.csv'
        & "$examples/Get-GroupMembershipReport.ps1" -Prefix 'report' -Path $path -QuickSearch
        @(Import-Csv $path | ForEach-Object { "$($_.groupName)|$($_.login)" } | Sort-Object) | Should -Be $expected
    }
}

Describe 'Invoke-Offboarding.ps1' {
    BeforeAll {
        function New-AssignedUser([string]$Login) {
            $user = New-TestUser $Login
            foreach ($name in "$Login A", "$Login B") { Add-OktaUserToGroup -GroupId (New-TestGroup $name).id -UserId $user.id }
            foreach ($app in Invoke-OktaListApplications | Select-Object -First 2) { Set-OktaUserToApplication -AppId $app.id -AppUser @{ id = $user.id } | Out-Null }
            $user
        }
        function Get-AppsOf($UserId) { @(Invoke-OktaListApplications -Filter "user.id eq `"$UserId`"") }
        function Get-ManagedGroupsOf($UserId) { @(Invoke-OktaListUserGroups -UserId $UserId | Where-Object type -EQ 'OKTA_GROUP') }
        $script:leaver = New-AssignedUser leaver@example.com
    }

    It 'sends no write with -WhatIf and reports every step it would take' {
        $before = Get-SimStats
        $steps = & "$examples/Invoke-Offboarding.ps1" -User leaver@example.com -WhatIf
        (Get-SimStats).logEvents | Should -Be $before.logEvents
        (Get-LastRequest).method | Should -Be 'GET'
        ($steps | Where-Object result -EQ 'WhatIf').step | Should -Be @('suspend', 'clear sessions', 'remove from group', 'remove from group', 'unassign app', 'unassign app')
        (Get-OktaUser -UserId $leaver.id).status | Should -Be 'ACTIVE'
        Get-ManagedGroupsOf $leaver.id | Should -HaveCount 2
        Get-AppsOf $leaver.id | Should -HaveCount 2
    }

    It 'suspends the user, clears sessions, removes them from their groups and unassigns their apps' {
        $steps = & "$examples/Invoke-Offboarding.ps1" -User leaver@example.com -Confirm:$false
        $steps | Where-Object result -EQ 'failed' | Should -BeNullOrEmpty
        ($steps | Where-Object result -EQ 'done').step | Should -Be @('suspend', 'clear sessions', 'remove from group', 'remove from group', 'unassign app', 'unassign app')
        ($steps | Where-Object result -EQ 'skipped').target | Should -Match '^Everyone '
        (Get-OktaUser -UserId $leaver.id).status | Should -Be 'SUSPENDED'
        Get-ManagedGroupsOf $leaver.id | Should -HaveCount 0
        Get-AppsOf $leaver.id | Should -HaveCount 0
    }

    It 'deactivates with -Deactivate, given the user id' {
        $user = New-AssignedUser deactivated@example.com
        $steps = & "$examples/Invoke-Offboarding.ps1" -User $user.id -Deactivate -Confirm:$false
        $steps[0].step | Should -Be 'deactivate'
        $steps | Where-Object result -EQ 'failed' | Should -BeNullOrEmpty
        (Get-OktaUser -UserId $user.id).status | Should -Be 'DEPROVISIONED'
        Get-ManagedGroupsOf $user.id | Should -HaveCount 0
        Get-AppsOf $user.id | Should -HaveCount 0
    }
}

Describe 'Export-Users.ps1' {
    It 'writes one row per user with the chosen columns' {
        $path = Join-Path $TestDrive 'users.csv'
        & "$examples/Export-Users.ps1" -Path $path -ProfileField login, department -Limit 7 6>$null   # several pages
        $rows = @(Import-Csv $path)
        $deprovisioned = @(Invoke-OktaListUsers -Search 'status eq "DEPROVISIONED"')
        $deprovisioned | Should -Not -BeNullOrEmpty   # the offboarding above deactivated one
        $rows.Count | Should -Be ((Get-SimStats).users - $deprovisioned.Count)
        $rows.status | Should -Not -Contain 'DEPROVISIONED'
        $rows[0].PSObject.Properties.Name | Should -Be @('id', 'status', 'login', 'department')
        ($rows.id | Sort-Object -Unique).Count | Should -Be $rows.Count
        ($rows | Where-Object login -EQ 'testcsv1@example.com').id | Should -Be (Get-OktaUser -UserId testcsv1@example.com).id
        ($rows | Where-Object department).Count | Should -BeGreaterThan 0   # the seeded users' custom attribute
    }

    It 'adds the deactivated users with -IncludeDeprovisioned' {
        $path = Join-Path $TestDrive 'all-users.csv'
        & "$examples/Export-Users.ps1" -Path $path -IncludeDeprovisioned 6>$null
        $rows = @(Import-Csv $path)
        $rows.Count | Should -Be (Get-SimStats).users
        $rows.status | Should -Contain 'DEPROVISIONED'
        $rows[0].PSObject.Properties.Name | Should -Be @('id', 'status', 'login', 'email', 'firstName', 'lastName')
    }
}

Describe 'Watch-SystemLog.ps1' {
    BeforeAll {
        Start-Sleep -Milliseconds 1100   # the events of the suites above are older than -Since
        $script:since = Get-Date
        New-TestGroup 'Watched One' | Out-Null
        New-TestUser watched@example.com | Out-Null
        New-TestGroup 'Watched Two' | Out-Null
    }

    It 'follows the log and stops after -Count events of the asked type' {
        $events = & "$examples/Watch-SystemLog.ps1" -EventType group.lifecycle.create -Since $since -Count 2 -PollInterval 1
        $events | Should -HaveCount 2
        $events.eventType | Select-Object -Unique | Should -Be 'group.lifecycle.create'
        $events.target.displayName | Should -Contain 'Watched One'
        $events.target.displayName | Should -Contain 'Watched Two'
    }

    It 'follows: writes an event that happens after it started' {
        $start = Get-Date
        $job = Start-ThreadJob -ArgumentList (Join-Path (Get-RepositoryRoot) 'Okta.PowerShell.psd1'), $sim.Url, $sim.Token -ScriptBlock {
            param($manifest, $url, $token)
            Import-Module $manifest
            Set-OktaConfiguration -BaseUrl $url -ApiKey @{ apitoken = $token }
            Start-Sleep -Milliseconds 1500
            New-OktaGroup -Group @{ profile = @{ name = 'Watched Later' } } | Out-Null
        }
        try {
            $events = & "$examples/Watch-SystemLog.ps1" -EventType group.lifecycle.create -Since $start -Count 1 -PollInterval 1
        }
        finally { $job | Wait-Job -Timeout 20 | Remove-Job -Force }
        $events.target.displayName | Should -Contain 'Watched Later'
    }

    It 'stops at -TimeoutSeconds with the events that came, each once' {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $events = & "$examples/Watch-SystemLog.ps1" -EventType user.lifecycle.create, group.lifecycle.create -Since $since -Count 10 -TimeoutSeconds 2 -PollInterval 1
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 2
        ($events.eventType | Sort-Object) | Should -Be @('group.lifecycle.create', 'group.lifecycle.create', 'group.lifecycle.create', 'user.lifecycle.create')
        ($events.uuid | Sort-Object -Unique).Count | Should -Be 4
    }
}
