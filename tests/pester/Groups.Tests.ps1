# The blog's group walkthrough and the official README's group, log and delete examples, as written there.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:sim = Start-OktaSimulator -Configure
    foreach ($n in 1..3) {
        $profile = Initialize-OktaUserProfile -FirstName "User$n" -LastName Test -Email "user$n.test@example.com" -Login "user$n.test@example.com"
        New-OktaUser -Body (Initialize-OktaCreateUserRequest -VarProfile $profile) | Out-Null
    }
}

AfterAll {
    Stop-OktaSimulator $script:sim
}

Describe 'Groups, as the blog walks through them' {
    It 'creates a group from Initialize-OktaGroup with a profile set afterwards' {
        $newGroup = Initialize-OktaGroup
        $newGroup.profile = [PSCustomObject]@{
            name        = "Test Group"
            description = "Test"
        }
        $script:createdGroup = New-OktaGroup -Group $newGroup
        $createdGroup.id | Should -Match '^00g'
        $createdGroup.type | Should -Be 'OKTA_GROUP'
        $createdGroup.profile.name | Should -Be 'Test Group'
        $createdGroup.created | Should -BeOfType [datetime]
    }

    It 'creates a group with the README''s Initialize-* chain' {
        $GroupProfile = Initialize-OktaGroupProfile -Name "West Coast users" -Description "All users West of the Rockies"
        $Group = Initialize-OktaGroup -VarProfile $GroupProfile
        $NewGroup = New-OktaGroup -Group $Group
        (Get-OktaGroup -GroupId $NewGroup.id).profile.description | Should -Be 'All users West of the Rockies'
    }

    It 'adds users and lists the members with Select-Object | Format-Table' {
        $user = Get-OktaUser -UserId user1.test@example.com
        Add-OktaUserToGroup -GroupId $createdGroup.id -UserId $user.id | Should -BeNullOrEmpty
        Add-OktaUserToGroup -GroupId $createdGroup.id -UserId (Get-OktaUser -UserId user2.test@example.com).id
        $groupMembers = Invoke-OktaListGroupUsers -GroupId $createdGroup.id
        $table = $groupMembers.profile | Select-Object -Property firstName, lastName, login | Format-Table | Out-String
        $table | Should -Match 'user1\.test@example\.com'
        $table | Should -Match 'user2\.test@example\.com'
        $table | Should -Not -Match 'user3'
    }

    It 'finds groups with search, filter and q exactly as the README writes them' {
        @(Invoke-OktaListGroups -Search 'profile.name sw "Test"').profile.name | Should -Be 'Test Group'
        @(Invoke-OktaListGroups -Search 'profile.name eq "West Coast users"').Count | Should -Be 1
        @(Invoke-OktaListGroups -Search 'type eq "OKTA_GROUP"').Count | Should -Be 2
        @(Invoke-OktaListGroups -Filter "id eq `"$($createdGroup.id)`"").id | Should -Be $createdGroup.id
        @(Invoke-OktaListGroups -Filter 'type eq "OKTA_GROUP" and lastUpdated gt "2016-11-11T00:00:00.000Z"').Count | Should -Be 2
        @(Invoke-OktaListGroups -Q 'west').profile.name | Should -Be 'West Coast users'
    }

    It 'reports an invalid search as a 400 naming the problem' {
        $caught = $null
        try { Invoke-OktaListGroups -Search 'profile.name eq' } catch [Okta.PowerShell.OktaApiException] { $caught = $_.Exception }
        $caught.StatusCode.value__ | Should -Be 400
        $caught.ErrorSummary | Should -Not -BeNullOrEmpty
    }
}

Describe 'System Log' {
    It 'reads the events of what this suite did, with the README''s since/until format' {
        $since = (Get-Date).AddMonths(-6).ToString("yyyy-MM-ddTHH:mm:ssZ")
        $until = (Get-Date).AddMinutes(5).ToString("yyyy-MM-ddTHH:mm:ssZ")
        $events = Get-OktaLogs -since $since -until $until
        $events.eventType | Should -Contain 'user.lifecycle.create'
        $events.eventType | Should -Contain 'group.user_membership.add'
        $events[0].published | Should -BeOfType [datetime]
    }

    It 'always has a next page; the page after the last event is empty' {
        $r = Get-OktaLogs -Filter 'eventType eq "user.lifecycle.create"' -WithHttpInfo
        @($r.Response).Count | Should -Be 3
        $r.NextPageUri | Should -Not -BeNullOrEmpty
        $next = Get-OktaLogs -Uri $r.NextPageUri -WithHttpInfo
        @($next.Response).Count | Should -Be 0
        $next.NextPageUri | Should -Not -BeNullOrEmpty
    }
}

Describe 'Deleting a user (destructive: -WhatIf and -Confirm)' {
    It '-WhatIf sends nothing' {
        Invoke-OktaDeactivateOrDeleteUser -UserId user3.test@example.com -WhatIf
        (Get-OktaUser -UserId user3.test@example.com).status | Should -Not -Be 'DEPROVISIONED'
    }

    It 'deactivates, then deletes, with -Confirm:$false' {
        Invoke-OktaDeactivateOrDeleteUser -UserId user3.test@example.com -Confirm:$false
        (Get-OktaUser -UserId user3.test@example.com).status | Should -Be 'DEPROVISIONED'
        Invoke-OktaDeactivateOrDeleteUser -UserId user3.test@example.com -Confirm:$false
        { Get-OktaUser -UserId user3.test@example.com } | Should -Throw -ExceptionType ([Okta.PowerShell.OktaApiException])
    }
}
