# The walking skeleton, as a user runs it: real pwsh -> module -> C# -> Rust -> HTTP -> okta-sim.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:sim = Start-OktaSimulator
    Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token }

    function New-TestUser([string]$First, [string]$Last, [string]$Login, [string]$Password) {
        $profile = Initialize-OktaUserProfile -FirstName $First -LastName $Last -Email $Login -Login $Login
        $request = if ($Password) {
            Initialize-OktaCreateUserRequest -VarProfile $profile -Credentials (Initialize-OktaUserCredentials -Password $Password)
        } else {
            Initialize-OktaCreateUserRequest -VarProfile $profile
        }
        New-OktaUser -Body $request
    }
}

AfterAll {
    Stop-OktaSimulator $script:sim
}

Describe 'Creating and reading users' {
    It 'builds bodies with Initialize-*: unset properties are $null and are not sent' {
        $profile = Initialize-OktaUserProfile -FirstName Ada -Login ada@example.com
        $profile.city | Should -BeNullOrEmpty
        $profile.PSObject.Properties.Name | Should -Contain 'city'
        $json = [System.Text.Encoding]::UTF8.GetString([Okta.PowerShell.Json.PSObjectToJson]::ToUtf8Json((Initialize-OktaCreateUserRequest -VarProfile $profile), $false))
        $json | Should -Be '{"profile":{"firstName":"Ada","login":"ada@example.com"}}'
    }

    It 'creates a user from Initialize-* objects and returns it with Okta''s shape' {
        $user = New-TestUser Ada Lovelace ada@example.com
        $user.id | Should -Match '^00u'
        $user.status | Should -Be 'PROVISIONED'
        $user.profile.login | Should -Be 'ada@example.com'
        $user.profile.firstName | Should -Be 'Ada'
        $user.created | Should -BeOfType [datetime]
        $user.lastUpdated | Should -BeOfType [datetime]
    }

    It 'creates an ACTIVE user when a password string is given (sent as credentials.password.value)' {
        $user = New-TestUser Grace Hopper grace@example.com 'Hell0W0rld!Zz9'
        $user.status | Should -Be 'ACTIVE'
    }

    It 'creates a STAGED user with -Activate $false (a lower-case boolean query value)' {
        $profile = Initialize-OktaUserProfile -FirstName Staged -LastName Person -Email staged@example.com -Login staged@example.com
        $user = New-OktaUser -Body (Initialize-OktaCreateUserRequest -VarProfile $profile) -Activate $false
        $user.status | Should -Be 'STAGED'
    }

    It 'gets a user by login, by id, and from the pipeline' {
        $byLogin = Get-OktaUser -UserId ada@example.com
        $byId = Get-OktaUser $byLogin.id
        $byId.profile.login | Should -Be 'ada@example.com'
        ('ada@example.com', 'grace@example.com' | Get-OktaUser).profile.lastName | Should -Be @('Lovelace', 'Hopper')
    }

    It 'parses responses exactly as ConvertFrom-Json does' {
        $ours = Get-OktaUser -UserId ada@example.com
        $raw = Invoke-WebRequest -Uri "$($sim.Url)/api/v1/users/ada@example.com" -Headers @{ Authorization = "SSWS $($sim.Token)" }
        $reference = $raw.Content | ConvertFrom-Json
        ($ours | ConvertTo-Json -Depth 10) | Should -Be ($reference | ConvertTo-Json -Depth 10)
        foreach ($name in $reference.PSObject.Properties.Name) {
            if ($null -ne $reference.$name) {
                $ours.$name.GetType() | Should -Be $reference.$name.GetType() -Because "property $name"
            }
        }
    }
}

Describe 'Updating users' {
    It 'replaces the profile with Update-OktaUser (PUT), as the blog shows' {
        $user = Get-OktaUser -UserId grace@example.com
        $user.profile.lastName = 'Smith'
        $updated = Update-OktaUser -UserId $user.id -User (Initialize-OktaUpdateUserRequest -VarProfile $user.profile)
        $updated.profile.lastName | Should -Be 'Smith'
        (Get-OktaUser -UserId grace@example.com).profile.lastName | Should -Be 'Smith'
    }

    It 'PUT removes profile properties that are not sent' {
        $user = Get-OktaUser -UserId ada@example.com
        $user.profile | Add-Member -NotePropertyName title -NotePropertyValue 'Analyst' -Force
        Update-OktaUser -UserId $user.id -User @{ profile = $user.profile } | Out-Null
        $replacement = [PSCustomObject]@{ firstName = 'Ada'; lastName = 'Lovelace'; email = 'ada@example.com'; login = 'ada@example.com' }
        $after = Update-OktaUser -UserId $user.id -User @{ profile = $replacement }
        $after.profile.PSObject.Properties.Name | Should -Not -Contain 'title'
    }

    It 'partially updates with Invoke-OktaPartialUpdateUser (POST), keeping other properties' {
        $after = Invoke-OktaPartialUpdateUser -UserId ada@example.com -User @{ profile = @{ title = 'Countess' } }
        $after.profile.title | Should -Be 'Countess'
        $after.profile.lastName | Should -Be 'Lovelace'
    }
}

Describe 'Listing, search and paging' {
    BeforeAll {
        foreach ($i in 1..7) { New-TestUser "Page$i" 'Pager' "pager$i@example.com" | Out-Null }
        New-TestUser 'Vincent' 'Van Gogh' 'vincent@example.com' | Out-Null
    }

    It 'searches with an expression that needs encoding (spaces and quotes arrive intact)' {
        $found = @(Invoke-OktaListUsers -Search 'profile.lastName eq "Van Gogh"')
        $found.Count | Should -Be 1
        $found[0].profile.login | Should -Be 'vincent@example.com'
        @(Invoke-OktaListUsers -Search 'profile.lastName eq "Lovelace"').profile.login | Should -Be 'ada@example.com'
    }

    It 'combines search terms with and' {
        $found = @(Invoke-OktaListUsers -Search 'profile.lastName eq "Pager" and profile.firstName eq "Page3"')
        $found.profile.login | Should -Be 'pager3@example.com'
    }

    It 'follows NextPageUri with -Uri until the last page, seeing every user once' {
        $all = [System.Collections.Generic.List[object]]::new()
        $r = Invoke-OktaListUsers -Limit 2 -Search 'profile.lastName eq "Pager"' -WithHttpInfo
        $r.StatusCode | Should -Be 200
        $r.Headers['Content-Type'] | Should -Not -BeNullOrEmpty
        $all.AddRange(@($r.Response))
        $pages = 1
        while ($r.NextPageUri) {
            $r = Invoke-OktaListUsers -Uri $r.NextPageUri -WithHttpInfo
            $all.AddRange(@($r.Response))
            $pages++
        }
        $pages | Should -Be 4
        $all.Count | Should -Be 7
        ($all.profile.login | Sort-Object -Unique).Count | Should -Be 7
    }

    It 'returns the users of a page as separate pipeline objects' {
        (Invoke-OktaListUsers -Limit 3 | Measure-Object).Count | Should -Be 3
    }

    It 'renders with Format-Table, as admin scripts pipe it' {
        $table = Invoke-OktaListUsers -Search 'profile.lastName eq "Pager"' | Format-Table id, status | Out-String
        $table | Should -Match 'PROVISIONED'
        $profiles = (Invoke-OktaListUsers -Search 'profile.lastName eq "Pager"').profile | Format-Table | Out-String
        $profiles | Should -Match 'firstName'
        $profiles | Should -Match 'pager1@example.com'
    }
}

Describe 'Errors' {
    It 'throws a typed OktaApiException with Okta''s error fields' {
        $caught = $null
        try { Get-OktaUser -UserId nobody } catch [Okta.PowerShell.OktaApiException] { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.Exception.ErrorCode | Should -Be 'E0000007'
        $caught.Exception.StatusCode.value__ | Should -Be 404
        $caught.Exception.ErrorSummary | Should -Match 'nobody'
        $caught.Exception.ErrorLink | Should -Be 'E0000007'
        $caught.Exception.ErrorId | Should -Not -BeNullOrEmpty
        $caught.Exception.Headers | Should -Not -Be $null
        $caught.Exception.RequestId | Should -Not -BeNullOrEmpty
        $caught.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $caught.InvocationInfo.MyCommand.Name | Should -Be 'Get-OktaUser'
    }

    It 'puts the response body in ErrorDetails, as the blog''s bulk script reads it' {
        $details = $null
        try { New-TestUser Ada Again ada@example.com } catch { $details = $_.ErrorDetails.Message | ConvertFrom-Json }
        $details.errorCode | Should -Be 'E0000001'
        $details.errorCauses.errorSummary | Should -Match 'login'
    }

    It 'exposes errorCauses on the exception' {
        $caught = $null
        try { New-TestUser Ada Again ada@example.com } catch { $caught = $_.Exception }
        $caught.ErrorCauses[0].errorSummary | Should -Match 'login'
    }

    It 'reports a wrong API token as 401 E0000011' {
        $good = (Get-OktaConfiguration).ApiKey.apitoken
        try {
            (Get-OktaConfiguration).ApiKey = @{ apitoken = 'wrong-token' }
            { Get-OktaUser -UserId ada@example.com } | Should -Throw -ExceptionType ([Okta.PowerShell.OktaApiException])
            try { Get-OktaUser -UserId ada@example.com } catch { $_.Exception.ErrorCode | Should -Be 'E0000011' }
        } finally {
            (Get-OktaConfiguration).ApiKey = @{ apitoken = $good }
        }
    }

    It 'names the host when nothing listens there' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $url = (Get-OktaConfiguration).BaseUrl
        try {
            Set-OktaConfiguration -BaseUrl "http://127.0.0.1:$port"
            $caught = $null
            try { Get-OktaUser -UserId ada@example.com } catch [Okta.PowerShell.OktaClientException] { $caught = $_.Exception }
            $caught.Kind | Should -Be 'Transport'
            $caught.Message | Should -Match "127\.0\.0\.1:$port"
        } finally {
            Set-OktaConfiguration -BaseUrl $url
        }
    }

    It 'names the missing parameter instead of calling a wrong URL' {
        # a mandatory parameter: PowerShell itself refuses the call, naming it (no request with a wrong URL)
        { Get-OktaUser } | Should -Throw '*UserId*'
    }
}

Describe 'Bulk CSV import (the blog''s script, unchanged)' {
    It 'provisions every row and reports the duplicate through ErrorDetails' {
        $csv = Join-Path $TestDrive 'userimport.csv'
        @(
            'firstName,lastName,email,login'
            'Test,CSV1,testcsv1@example.com,testcsv1@example.com'
            'Test,CSV2,testcsv2@example.com,testcsv2@example.com'
            'Test,CSV1,testcsv1@example.com,testcsv1@example.com'
        ) | Set-Content -Path $csv
        $messages = & {
            $provisionUsers = Import-CSV $csv
            foreach ($provisionUser in $provisionUsers) {
                $newUser = Initialize-OktaCreateUserRequest -VarProfile $provisionUser
                try {
                    $provisionedUser = New-OktaUser -Body $newUser
                    "Successfully provisioned $($provisionedUser.profile.login)"
                } catch {
                    $errorDetail = $_.ErrorDetails.message | ConvertFrom-Json
                    "FAILED: $($errorDetail.errorCauses.errorSummary)"
                }
            }
        }
        $messages[0] | Should -Be 'Successfully provisioned testcsv1@example.com'
        $messages[1] | Should -Be 'Successfully provisioned testcsv2@example.com'
        $messages[2] | Should -Match '^FAILED: .*login'
    }
}

Describe 'Type names of answers' {
    It 'names answers through the fast type-name path on this PowerShell, one list per object' {
        # TypeNamesWriter gives each new object its own list through PowerShell internals; if an update renames them
        # it falls back to the public path silently, so the pinned pwsh must keep the fast one.
        $writer = [Okta.PowerShell.Json.JsonToPSObject].Assembly.GetType('Okta.PowerShell.Json.TypeNamesWriter')
        $writer.GetProperty('IsFast', [System.Reflection.BindingFlags]'Static,NonPublic').GetValue($null) | Should -BeTrue
        New-TestUser 'Tina' 'Names' 'tina.names@example.com' | Out-Null
        New-TestUser 'Theo' 'Names' 'theo.names@example.com' | Out-Null
        $a, $b = Invoke-OktaListUsers -Search 'profile.lastName eq "Names"'
        @($a.psobject.TypeNames) | Should -Be @('Okta.PowerShell.User', 'System.Management.Automation.PSCustomObject', 'System.Object')
        $a.psobject.TypeNames.Insert(0, 'Mine.Special')
        $a.psobject.TypeNames[0] | Should -Be 'Mine.Special'
        $b.psobject.TypeNames[0] | Should -Be 'Okta.PowerShell.User'
        ([pscustomobject]@{ x = 1 }).psobject.TypeNames[0] | Should -Be 'System.Management.Automation.PSCustomObject'
    }
}
