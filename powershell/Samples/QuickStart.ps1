<#
.SYNOPSIS
A tour of Okta.PowerShell against whatever org the session is configured for (Build.ps1 -Demo
points it at the embedded simulator): create, read, update, search, page, and handle an error.
#>
$ErrorActionPreference = 'Stop'

Write-Host "`n# Create users" -ForegroundColor Yellow
$people = @(
    @{ FirstName = 'Ada'; LastName = 'Lovelace'; Login = 'ada@example.com' }
    @{ FirstName = 'Grace'; LastName = 'Hopper'; Login = 'grace@example.com' }
    @{ FirstName = 'Alan'; LastName = 'Turing'; Login = 'alan@example.com' }
)
foreach ($person in $people) {
    $profile = Initialize-OktaUserProfile -FirstName $person.FirstName -LastName $person.LastName -Email $person.Login -Login $person.Login
    $user = New-OktaUser -Body (Initialize-OktaCreateUserRequest -VarProfile $profile)
    Write-Host "created $($user.profile.login) as $($user.id) ($($user.status))"
}

Write-Host "`n# Get a user by login" -ForegroundColor Yellow
Get-OktaUser -UserId ada@example.com | Select-Object id, status, created, @{ n = 'login'; e = { $_.profile.login } } | Format-List | Out-Host

Write-Host "# Update a profile (PUT replaces it)" -ForegroundColor Yellow
$grace = Get-OktaUser -UserId grace@example.com
$grace.profile.lastName = 'Murray Hopper'
$updated = Update-OktaUser -UserId $grace.id -User (Initialize-OktaUpdateUserRequest -VarProfile $grace.profile)
Write-Host "grace's last name is now '$($updated.profile.lastName)'"

Write-Host "`n# Search (the expression is encoded for you)" -ForegroundColor Yellow
Invoke-OktaListUsers -Search 'profile.lastName eq "Murray Hopper"' | ForEach-Object profile | Format-Table firstName, lastName, login | Out-Host

Write-Host "# Page through every user, 2 per page" -ForegroundColor Yellow
$page = Invoke-OktaListUsers -Limit 2 -WithHttpInfo
$count = @($page.Response).Count
$pages = 1
while ($page.NextPageUri) {
    $page = Invoke-OktaListUsers -Uri $page.NextPageUri -WithHttpInfo
    $count += @($page.Response).Count
    $pages++
}
Write-Host "$count users in $pages pages"

Write-Host "`n# Errors are typed exceptions" -ForegroundColor Yellow
try {
    Get-OktaUser -UserId nobody@example.com
} catch [Okta.PowerShell.OktaApiException] {
    Write-Host "$($_.Exception.StatusCode.value__) $($_.Exception.ErrorCode): $($_.Exception.ErrorSummary)"
}
