# The community bulk-creation script from the seeds (written for the OktaAPI module), run with our
# commands exactly as published: Connect-Okta and Add-OktaGroupMember are here too (only the placeholder
# token and URL of the Connect-Okta line become the simulator's).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:sim = Start-OktaSimulator
    Connect-Okta $sim.Token $sim.Url   # the script's line: Connect-Okta "<API Token>" "https://tenant.okta.com"
    $script:group = New-OktaGroup -Group (Initialize-OktaGroup -VarProfile (Initialize-OktaGroupProfile -Name 'Imported'))
    New-OktaUser -Body (Initialize-OktaCreateUserRequest -VarProfile ([PSCustomObject]@{ login = 'existing@example.com'; email = 'existing@example.com'; firstName = 'Ex'; lastName = 'Isting' })) | Out-Null

    function Import-BulkUsers($csvPath) {
        $users = Import-Csv $csvPath
        $resultsArray = @()
        foreach ($user in $users) {
            Write-Host "Creating user for"  $user.login
            $profile = @{login = $user.login; email = $user.email; firstName = $user.firstName; lastName = $user.lastName}
            $userCreationStatus = ""
            $groupAssignmentStatus=""
            $ErrorMessage=""
            try {
                if($user.password){
                    # create user with password
                    $oktaUser = New-OktaUser @{profile = $profile; credentials = @{password = @{value = $user.password}}} $true
                }else{
                    # create user without password
                    $oktaUser = New-OktaUser @{profile = $profile} $true
                }
                Write-Host "Created user for"  $user.login -ForegroundColor Green
                $userCreationStatus="Success"
            } catch {
                try {
                    # check if user exists
                    $oktaUser = Get-OktaUser $user.login
                    Write-Host  $user.login " already exists!" -ForegroundColor Yellow
                    $userCreationStatus="Exists"
                } catch {
                    #capture error message
                    $ErrorMessage = $_.Exception.Message
                    $oktaUser = $null
                    $userCreationStatus = "Failed"
                    Write-Host "Failed for "  $user.login -ForegroundColor Red
                }
            }
            if ($oktaUser) {
                try {
                    if($user.groupId){
                        Add-OktaGroupMember $user.groupId $oktaUser.id
                        $groupAssignmentStatus="Success"
                        Write-Host "Add user to group" -ForegroundColor Green
                    }
                } catch {
                    $groupAssignmentStatus = "Failed"
                    $ErrorMessage = $_.Exception.Message
                    Write-Host "Failed adding user to group." -ForegroundColor Red
                }
            }
            $resultsArray += [PSCustomObject]@{
                id=$oktaUser.id;
                firstName= $user.firstName;
                lastName=$user.lastName;
                login = $user.login;
                userCreationStatus = $userCreationStatus;
                groupAssignment= $groupAssignmentStatus;
                ErrorMessage=$ErrorMessage
            }
        }
        $resultsArray | Export-Csv ImportBulkUsers-Result.csv
    }
}

AfterAll {
    Stop-OktaSimulator $script:sim
}

Describe 'The bulk user creation script from the seeds' {
    BeforeAll {
        Push-Location $TestDrive
        @(
            'login,email,firstName,lastName,password,groupId'
            "new.pw@example.com,new.pw@example.com,New,Password,Passw0rd!Long,$($group.id)"
            "new.nopw@example.com,new.nopw@example.com,New,NoPassword,,$($group.id)"
            "existing@example.com,existing@example.com,Ex,Isting,,$($group.id)"
            'not-an-email,not-an-email,Bad,Login,,'
            'badgroup@example.com,badgroup@example.com,Bad,Group,,00gDOESNOTEXIST'
        ) | Set-Content TestUsers.csv
        Import-BulkUsers TestUsers.csv 6>$null
        $script:results = Import-Csv ImportBulkUsers-Result.csv
        Pop-Location
    }

    It 'creates users with and without a password, and adds them to the group' {
        $results[0].userCreationStatus | Should -Be 'Success'
        $results[0].groupAssignment | Should -Be 'Success'
        (Get-OktaUser new.pw@example.com).status | Should -Be 'ACTIVE'
        $results[1].userCreationStatus | Should -Be 'Success'
        (Get-OktaUser new.nopw@example.com).status | Should -Be 'PROVISIONED'
    }

    It 'detects a user that already exists and still assigns the group' {
        $results[2].userCreationStatus | Should -Be 'Exists'
        $results[2].groupAssignment | Should -Be 'Success'
        (Invoke-OktaListGroupUsers -GroupId $group.id).profile.login | Sort-Object |
            Should -Be @('existing@example.com', 'new.nopw@example.com', 'new.pw@example.com')
    }

    It 'reports a row Okta refuses, with a message that says why' {
        $results[3].userCreationStatus | Should -Be 'Failed'
        $results[3].ErrorMessage | Should -Match 'not-an-email'
    }

    It 'reports a failed group assignment for a group that does not exist' {
        $results[4].userCreationStatus | Should -Be 'Success'
        $results[4].groupAssignment | Should -Be 'Failed'
        $results[4].ErrorMessage | Should -Match 'E0000007'
    }
}
