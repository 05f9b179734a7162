# Authentication through the real module: the device flow as the blog and README write it (the simulator approving),
# its polling cadence and every way it ends (scripted token endpoints for slow_down, access_denied and a silent
# expiry), Ctrl+C, refresh after expiry, revoke then no reuse, client credentials with private_key_jwt for every
# key form, DPoP on the token endpoint and the API, interactive PKCE sign-in, and the secrets kept out of every stream.
#
# Clients are OIDC apps created with New-OktaApplication (their public keys in settings.oauthClient.jwks), so the
# tests keep passing once okta-sim verifies signatures against the registered keys.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    $script:manifest = Join-Path (Get-RepositoryRoot) 'Okta.PowerShell.psd1'
    # approvals through /__sim/oauth/device/approve only; polls every second
    $script:sim = Start-OktaSimulator -Seed 2 -ArgumentList '--device-interval', '1', '--device-pending-polls', '100000'
    # tokens that live 3 s, device sign-ins approved after one pending poll
    $script:shortSim = Start-OktaSimulator -Seed 2 -ArgumentList '--device-interval', '1', '--device-pending-polls', '1', '--token-lifetime', '3'

    function ConvertTo-Base64Url([byte[]]$Bytes) { [Convert]::ToBase64String($Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_') }

    function Get-PublicJwk($Key) {
        if ($Key -is [System.Security.Cryptography.RSA]) {
            $p = $Key.ExportParameters($false)
            return @{ kty = 'RSA'; alg = 'RS256'; use = 'sig'; e = ConvertTo-Base64Url $p.Exponent; n = ConvertTo-Base64Url $p.Modulus }
        }
        $p = $Key.ExportParameters($false)
        @{ kty = 'EC'; alg = 'ES256'; use = 'sig'; crv = 'P-256'; x = ConvertTo-Base64Url $p.Q.X; y = ConvertTo-Base64Url $p.Q.Y }
    }

    function Get-PrivateRsaJwk([System.Security.Cryptography.RSA]$Key) {
        $p = $Key.ExportParameters($true)
        @{ kty = 'RSA'; e = ConvertTo-Base64Url $p.Exponent; n = ConvertTo-Base64Url $p.Modulus; d = ConvertTo-Base64Url $p.D
           p = ConvertTo-Base64Url $p.P; q = ConvertTo-Base64Url $p.Q }
    }

    function Set-TestConfiguration {
        param([string]$Url, [string]$ApiToken, [string]$ClientId, $Scope, $PrivateKey, [string]$KeyId, [switch]$UseDPoP)
        $c = Get-OktaConfiguration
        $c.BaseUrl = $Url
        $c.ApiKey = if ($ApiToken) { @{ apitoken = $ApiToken } } else { @{} }
        $c.AccessToken = $null
        $c.ClientId = $ClientId
        $c.Scope = $Scope
        $c.PrivateKey = $PrivateKey
        $c.PrivateKeyId = $KeyId
        $c.AuthorizationMode = $null
        $c.UseDPoP = [bool]$UseDPoP
        $c.MaxRetries = 0
    }

    # An OIDC app as an admin registers it; its client id is credentials.oauthClient.client_id (the app id when absent).
    function New-OidcApp {
        param($Simulator = $script:sim, [hashtable]$Jwk, [string[]]$GrantTypes = @('client_credentials'), [switch]$Dpop, [string]$Type = 'service')
        Set-TestConfiguration -Url $Simulator.Url -ApiToken $Simulator.Token
        $oauthClient = @{ application_type = $Type; grant_types = $GrantTypes; response_types = @('token'); dpop_bound_access_tokens = [bool]$Dpop
                          redirect_uris = @('http://127.0.0.1/callback') }
        if ($Jwk) { $oauthClient.jwks = @{ keys = @($Jwk) } }
        $credentials = @{ oauthClient = @{ token_endpoint_auth_method = if ($Jwk) { 'private_key_jwt' } else { 'none' } } }
        $app = @{ name = 'oidc_client'; label = "Auth test $([guid]::NewGuid().ToString('N').Substring(0, 8))"; signOnMode = 'OPENID_CONNECT'
                  credentials = $credentials; settings = @{ oauthClient = $oauthClient } }
        $created = New-OktaApplication -Application $app
        if ($created.credentials.oauthClient.client_id) { $created.credentials.oauthClient.client_id } else { $created.id }
    }

    # A loopback OAuth server written for these tests (not okta-sim): answers /oauth2/v1/device/authorize with
    # -DeviceAnswer, /oauth2/v1/token with the next of -TokenAnswers (the last repeats), /oauth2/v1/revoke with 200,
    # anything else with the next of -ApiAnswers; logs every request with the time it arrived. Bounded in time.
    function Start-ScriptedOAuth {
        param([string]$DeviceAnswer, [string[]]$TokenAnswers = @(), [string[]]$ApiAnswers = @(), [int]$Seconds = 40)
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $log = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
        $job = Start-ThreadJob -ThrottleLimit 16 -ArgumentList $listener, $DeviceAnswer, $TokenAnswers, $ApiAnswers, $log, $Seconds -ScriptBlock {
            param($listener, $device, $tokens, $api, $log, $seconds)
            $deadline = [DateTime]::UtcNow.AddSeconds($seconds)
            $nextToken = 0; $nextApi = 0
            try {
                while ([DateTime]::UtcNow -lt $deadline) {
                    $accept = $listener.AcceptTcpClientAsync()
                    if (-not $accept.Wait([int][Math]::Max(1, ($deadline - [DateTime]::UtcNow).TotalMilliseconds))) { break }
                    $client = $accept.Result
                    $stream = $client.GetStream()
                    $buffer = [byte[]]::new(65536)
                    $bytes = [System.Collections.Generic.List[byte]]::new()
                    $head = $null
                    while ($true) {
                        $text = [System.Text.Encoding]::UTF8.GetString($bytes.ToArray())
                        $end = $text.IndexOf("`r`n`r`n")
                        if ($end -ge 0) {
                            $head = $text.Substring(0, $end)
                            $length = if ($head -match '(?im)^content-length:\s*(\d+)') { [int]$Matches[1] } else { 0 }
                            if ([System.Text.Encoding]::UTF8.GetByteCount($text) - $end - 4 -ge $length) { break }
                        }
                        $read = $stream.Read($buffer, 0, $buffer.Length)
                        if ($read -le 0) { break }
                        $bytes.AddRange([System.ArraySegment[byte]]::new($buffer, 0, $read))
                    }
                    $text = [System.Text.Encoding]::UTF8.GetString($bytes.ToArray())
                    $path = ($text -split ' ')[1] -replace '\?.*$'
                    $log.Enqueue([pscustomobject]@{ At = [DateTime]::UtcNow; Path = $path; Head = $head; Body = $text.Substring([Math]::Min($text.Length, $head.Length + 4)) })
                    $response = switch ($path) {
                        '/oauth2/v1/device/authorize' { $device }
                        '/oauth2/v1/token' { $tokens[[Math]::Min($nextToken, $tokens.Count - 1)]; $nextToken++ }
                        '/oauth2/v1/revoke' { "HTTP/1.1 200 OK`r`nContent-Length: 0`r`nConnection: close`r`n`r`n" }
                        default { $api[[Math]::Min($nextApi, $api.Count - 1)]; $nextApi++ }
                    }
                    $out = [System.Text.Encoding]::UTF8.GetBytes($response)
                    $stream.Write($out, 0, $out.Length)
                    $stream.Flush()
                    $client.Close()
                }
            } finally { $listener.Stop() }
        }
        $server = [pscustomobject]@{ Url = "http://127.0.0.1:$($listener.LocalEndpoint.Port)"; Job = $job; Log = $log; Listener = $listener }
        $script:servers.Add($server)
        $server
    }
    # Each server ends with its test: a job still waiting for connections would hold one of the thread-job slots.
    $script:servers = [System.Collections.Generic.List[object]]::new()
    function Stop-ScriptedOAuth {
        foreach ($server in $script:servers) {
            $server.Listener.Stop()
            $server.Job | Stop-Job -PassThru | Remove-Job -Force
        }
        $script:servers.Clear()
    }

    function New-JsonResponse([int]$Status, [hashtable]$Body, [hashtable]$Headers = @{}) {
        $json = $Body | ConvertTo-Json -Compress
        $extra = ($Headers.GetEnumerator() | ForEach-Object { "$($_.Key): $($_.Value)`r`n" }) -join ''
        "HTTP/1.1 $Status X`r`nContent-Type: application/json`r`n${extra}Content-Length: $([System.Text.Encoding]::UTF8.GetByteCount($json))`r`nConnection: close`r`n`r`n$json"
    }
    function New-DeviceAnswer([int]$Interval = 1, [int]$ExpiresIn = 60) {
        New-JsonResponse 200 @{ device_code = 'scripted-device-code'; user_code = 'WDJB-MJHT'; verification_uri = 'https://example.okta.com/activate'
                                verification_uri_complete = 'https://example.okta.com/activate?user_code=WDJB-MJHT'; expires_in = $ExpiresIn; interval = $Interval }
    }
    function New-OAuthError([string]$Error, [string]$Description = 'scripted') { New-JsonResponse 400 @{ error = $Error; error_description = $Description } }
    function New-TokenAnswer([string]$AccessToken, [string]$RefreshToken, [string]$Type = 'Bearer', [int]$ExpiresIn = 3600) {
        $body = @{ token_type = $Type; expires_in = $ExpiresIn; access_token = $AccessToken; scope = 'okta.users.read' }
        if ($RefreshToken) { $body.refresh_token = $RefreshToken }
        New-JsonResponse 200 $body
    }
    function Get-Requests($Server, [string]$Path) { @($Server.Log.ToArray() | Where-Object Path -eq $Path) }

    # A command that blocks (waiting for an approval) runs in a second runspace of this process; the module's
    # token cache is process-wide, keyed by org, client and scopes.
    function Start-InRunspace([string]$Script) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$manifest'`n$Script")
        [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
    }
    function Wait-Information($Run, [string]$Pattern, [int]$Seconds = 30) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while ([DateTime]::UtcNow -lt $deadline) {
            foreach ($record in @($Run.PowerShell.Streams.Information)) {
                if ("$($record.MessageData)" -match $Pattern) { return $Matches }
            }
            if ($Run.Handle.IsCompleted) { break }
            Start-Sleep -Milliseconds 100
        }
        throw "no information matching '$Pattern'; errors: $($Run.PowerShell.Streams.Error | Out-String)"
    }
}

AfterAll {
    Set-TestConfiguration -Url $null
    Stop-OktaSimulator $script:sim
    Stop-OktaSimulator $script:shortSim
}

Describe 'Invoke-OktaEstablishAccessToken (device authorization)' {
    AfterEach { Stop-ScriptedOAuth }

    It 'runs the blog walkthrough as written: codes on the Information stream, the simulator approves, the next command uses the token' {
        $clientId = New-OidcApp -GrantTypes 'urn:ietf:params:oauth:grant-type:device_code', 'refresh_token' -Type native
        $run = Start-InRunspace @"
`$c = Get-OktaConfiguration
`$c.BaseUrl = '$($sim.Url)'
`$c.ClientId = '$clientId'
`$c.Scope = 'okta.users.read offline_access'
Invoke-OktaEstablishAccessToken -InformationVariable shown
Invoke-OktaListUsers -Limit 1
'captured: ' + (`$shown -join ' | ')
"@
        try {
            $found = Wait-Information $run 'open (\S+) in a browser and check that it shows the code (\S{4}-\S{4})'
            $found[1] | Should -Be "$($sim.Url)/activate?user_code=$($found[2])"
            Invoke-RestMethod -Method Post -Uri "$($sim.Url)/__sim/oauth/device/approve" -ContentType 'application/json' -Body (@{ user_code = $found[2] } | ConvertTo-Json) | Out-Null
            $output = $run.PowerShell.EndInvoke($run.Handle)
            $run.PowerShell.Streams.Error | Should -BeNullOrEmpty
            @($output | Where-Object { $_.id -and $_.profile.login }).Count | Should -Be 1
            ($output | Where-Object { $_ -is [string] }) | Should -Match ([regex]::Escape("check that it shows the code $($found[2])"))
        } finally { $run.PowerShell.Dispose() }
    }

    It 'names the missing setting when ClientId or Scope is empty, before sending anything' {
        Set-TestConfiguration -Url $sim.Url -Scope 'okta.users.read'
        { Invoke-OktaEstablishAccessToken } | Should -Throw -ExpectedMessage '*ClientId*'
        Set-TestConfiguration -Url $sim.Url -ClientId '0oa-anything'
        { Invoke-OktaEstablishAccessToken } | Should -Throw -ExpectedMessage '*Scope*'
    }

    It 'polls at the interval the server names, and slow_down adds 5 s (measured at the server)' {
        $server = Start-ScriptedOAuth -DeviceAnswer (New-DeviceAnswer -Interval 1) -TokenAnswers @(
            (New-OAuthError authorization_pending), (New-OAuthError slow_down), (New-OAuthError authorization_pending),
            (New-TokenAnswer -AccessToken 'cadence-token'))
        Set-TestConfiguration -Url $server.Url -ClientId '0oa-cadence' -Scope 'okta.users.read'
        Invoke-OktaEstablishAccessToken 6>$null
        $authorize = (Get-Requests $server '/oauth2/v1/device/authorize')[0].At
        $polls = @(Get-Requests $server '/oauth2/v1/token').At
        $polls.Count | Should -Be 4
        $gaps = @(($polls[0] - $authorize).TotalSeconds) + @(1..3 | ForEach-Object { ($polls[$_] - $polls[$_ - 1]).TotalSeconds })
        # never sooner than asked; the upper bounds leave room for a busy machine (this server is a PowerShell thread)
        $gaps[0] | Should -BeGreaterOrEqual 0.95; $gaps[0] | Should -BeLessThan 2.5
        $gaps[1] | Should -BeGreaterOrEqual 0.95; $gaps[1] | Should -BeLessThan 2.5   # the answer to this poll: slow_down
        $gaps[2] | Should -BeGreaterOrEqual 5.95; $gaps[2] | Should -BeLessThan 7.5   # 1 s + 5 s
        $gaps[3] | Should -BeGreaterOrEqual 5.95; $gaps[3] | Should -BeLessThan 7.5   # and it stays slower
        (Get-Requests $server '/oauth2/v1/token')[0].Body | Should -Match 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code'
        Invoke-OktaRemoveAccessToken
    }

    It 'stops at once on access_denied with an OktaApiException carrying the OAuth error and description' {
        $server = Start-ScriptedOAuth -DeviceAnswer (New-DeviceAnswer -Interval 1) -TokenAnswers @(
            (New-OAuthError authorization_pending), (New-OAuthError access_denied 'The resource owner denied the request.'))
        Set-TestConfiguration -Url $server.Url -ClientId '0oa-denied' -Scope 'okta.users.read'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $caught = $null
        try { Invoke-OktaEstablishAccessToken 6>$null } catch { $caught = $_ }
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
        $caught.Exception | Should -BeOfType ([Okta.PowerShell.OktaApiException])
        $caught.Exception.OAuthError | Should -Be 'access_denied'
        $caught.Exception.ErrorDescription | Should -Be 'The resource owner denied the request.'
        @(Get-Requests $server '/oauth2/v1/token').Count | Should -Be 2
    }

    It 'stops with a clear error at the expires_in deadline even when the server never says expired_token' {
        $server = Start-ScriptedOAuth -DeviceAnswer (New-DeviceAnswer -Interval 1 -ExpiresIn 3) -TokenAnswers @((New-OAuthError authorization_pending))
        Set-TestConfiguration -Url $server.Url -ClientId '0oa-silent' -Scope 'okta.users.read'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        { Invoke-OktaEstablishAccessToken 6>$null } | Should -Throw -ExpectedMessage '*device code expired after 3 s*'
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 2.9
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 6
        @(Get-Requests $server '/oauth2/v1/token').Count | Should -BeLessOrEqual 3
    }

    It 'stops polling on Ctrl+C (the pipeline stopped) at once' {
        $clientId = New-OidcApp -GrantTypes 'urn:ietf:params:oauth:grant-type:device_code' -Type native
        $run = Start-InRunspace @"
`$c = Get-OktaConfiguration; `$c.BaseUrl = '$($sim.Url)'; `$c.ClientId = '$clientId'; `$c.Scope = 'okta.users.read'
Invoke-OktaEstablishAccessToken
"@
        try {
            Wait-Information $run 'the code (\S{4}-\S{4})' | Out-Null
            Start-Sleep -Milliseconds 1500
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $run.PowerShell.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 3
            $run.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
        } finally { $run.PowerShell.Dispose() }
    }

    It 'renews with the refresh token after the access token expired, transparently' {
        $clientId = New-OidcApp -Simulator $shortSim -GrantTypes 'urn:ietf:params:oauth:grant-type:device_code', 'refresh_token' -Type native
        Set-TestConfiguration -Url $shortSim.Url -ClientId $clientId -Scope 'okta.users.read offline_access'
        Invoke-OktaEstablishAccessToken 6>$null
        @(Invoke-OktaListUsers -Limit 1).Count | Should -Be 1
        Start-Sleep -Seconds 4   # the 3 s token is expired now; only the refresh token can renew it
        @(Invoke-OktaListUsers -Limit 1).Count | Should -Be 1
        Invoke-OktaRemoveAccessToken
    }

    It 'without offline_access an expired sign-in asks to sign in again' {
        $clientId = New-OidcApp -Simulator $shortSim -GrantTypes 'urn:ietf:params:oauth:grant-type:device_code' -Type native
        Set-TestConfiguration -Url $shortSim.Url -ClientId $clientId -Scope 'okta.users.read'
        Invoke-OktaEstablishAccessToken 6>$null
        Start-Sleep -Seconds 4
        { Invoke-OktaListUsers -Limit 1 } | Should -Throw -ExpectedMessage '*Invoke-OktaEstablishAccessToken*'
        Invoke-OktaRemoveAccessToken
    }
}

Describe 'Invoke-OktaRevokeAccessToken and Invoke-OktaRemoveAccessToken' {
    AfterEach { Stop-ScriptedOAuth }

    It 'revokes access and refresh token with token_type_hint (-WhatIf sends nothing), and never sends them again' {
        $server = Start-ScriptedOAuth -DeviceAnswer (New-DeviceAnswer -Interval 1) -TokenAnswers @((New-TokenAnswer -AccessToken 'revoke-me' -RefreshToken 'revoke-me-too')) `
            -ApiAnswers @((New-JsonResponse 200 @{ id = '00u1'; status = 'ACTIVE' }))
        Set-TestConfiguration -Url $server.Url -ClientId '0oa-revoke' -Scope 'okta.users.read offline_access'
        Invoke-OktaEstablishAccessToken 6>$null
        (Get-OktaUser -UserId 00u1).id | Should -Be '00u1'
        (Get-Requests $server '/api/v1/users/00u1')[0].Head | Should -Match '(?im)^authorization: Bearer revoke-me\r?$'

        Invoke-OktaRevokeAccessToken -WhatIf
        @(Get-Requests $server '/oauth2/v1/revoke').Count | Should -Be 0
        (Get-OktaUser -UserId 00u1).id | Should -Be '00u1'

        Invoke-OktaRevokeAccessToken
        $revokes = @((Get-Requests $server '/oauth2/v1/revoke').Body)
        $revokes.Count | Should -Be 2
        $revokes[0] | Should -Match 'token=revoke-me&token_type_hint=access_token'
        $revokes[1] | Should -Match 'token=revoke-me-too&token_type_hint=refresh_token'
        $revokes[0] | Should -Match 'client_id=0oa-revoke'

        $before = @(Get-Requests $server '/api/v1/users/00u1').Count
        { Get-OktaUser -UserId 00u1 } | Should -Throw -ExpectedMessage '*No credentials*'
        @(Get-Requests $server '/api/v1/users/00u1').Count | Should -Be $before
        @(Get-Requests $server '/oauth2/v1/token').Count | Should -Be 1 -Because 'the refresh token was revoked too, never used'
    }

    It 'revokes and clears an AccessToken setting, as the official module does' {
        $server = Start-ScriptedOAuth
        Set-TestConfiguration -Url $server.Url -ClientId '0oa-explicit' -Scope 'okta.users.read'
        (Get-OktaConfiguration).AccessToken = 'explicit-token'
        Invoke-OktaRevokeAccessToken
        $revokes = @((Get-Requests $server '/oauth2/v1/revoke').Body)
        $revokes.Count | Should -Be 1
        $revokes[0] | Should -Match 'token=explicit-token&token_type_hint=access_token'
        $revokes[0] | Should -Match 'client_id=0oa-explicit'
        (Get-OktaConfiguration).AccessToken | Should -BeNullOrEmpty
    }

    It 'Invoke-OktaRemoveAccessToken forgets the sign-in without any request; the API token applies again' {
        $clientId = New-OidcApp -Simulator $shortSim -GrantTypes 'urn:ietf:params:oauth:grant-type:device_code' -Type native
        Set-TestConfiguration -Url $shortSim.Url -ClientId $clientId -Scope 'okta.users.read'
        Invoke-OktaEstablishAccessToken 6>$null
        @(Invoke-OktaListUsers -Limit 1).Count | Should -Be 1
        Invoke-OktaRemoveAccessToken
        { Invoke-OktaListUsers -Limit 1 } | Should -Throw -ExpectedMessage '*No credentials*'
        (Get-OktaConfiguration).ApiKey = @{ apitoken = $shortSim.Token }
        @(Invoke-OktaListUsers -Limit 1).Count | Should -Be 1
    }
}

Describe 'Client credentials with private_key_jwt' {
    AfterEach { Stop-ScriptedOAuth }

    BeforeAll {
        $script:rsa = [System.Security.Cryptography.RSA]::Create(2048)
        $script:ec = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
    }

    It 'signs with <Form> and the next commands use the cached token' -ForEach @(
        @{ Form = 'RSA PKCS#1 PEM text'; Kind = 'rsa'; Value = { $rsa.ExportRSAPrivateKeyPem() } }
        @{ Form = 'an RSA PKCS#8 PEM file'; Kind = 'rsa'; Value = { $path = Join-Path $TestDrive 'robot.pem'; Set-Content -Path $path -Value $rsa.ExportPkcs8PrivateKeyPem(); $path } }
        @{ Form = 'an EC P-256 (ES256) PEM'; Kind = 'ec'; Value = { $ec.ExportECPrivateKeyPem() } }
        @{ Form = 'an RSA object'; Kind = 'rsa'; Value = { $rsa } }
        @{ Form = 'an ECDsa object'; Kind = 'ec'; Value = { $ec } }
        @{ Form = 'a JWK hashtable'; Kind = 'rsa'; Value = { Get-PrivateRsaJwk $rsa } }
        @{ Form = 'JWK JSON text'; Kind = 'rsa'; Value = { Get-PrivateRsaJwk $rsa | ConvertTo-Json } }
    ) {
        $key = if ($Kind -eq 'rsa') { $rsa } else { $ec }
        $jwk = Get-PublicJwk $key
        $jwk.kid = 'key-' + $Kind
        $clientId = New-OidcApp -Jwk $jwk
        Set-TestConfiguration -Url $sim.Url -ClientId $clientId -Scope 'okta.users.read' -PrivateKey (& $Value) -KeyId $jwk.kid
        @(Invoke-OktaListUsers -Limit 1).Count | Should -Be 1
        @(Invoke-OktaListUsers -Limit 2).Count | Should -Be 2
    }

    It 'fetches the token once per configuration, not per call, and puts iss = sub = client id, aud = token URL in the assertion' {
        $server = Start-ScriptedOAuth -TokenAnswers @((New-TokenAnswer -AccessToken 'robot-token')) -ApiAnswers @((New-JsonResponse 200 @{ id = '00u1' }))
        $clientId = '0oa-robot-' + [guid]::NewGuid().ToString('N').Substring(0, 6)
        Set-TestConfiguration -Url $server.Url -ClientId $clientId -Scope 'okta.users.read' -PrivateKey $ec.ExportPkcs8PrivateKeyPem() -KeyId 'k1'
        1..3 | ForEach-Object { (Get-OktaUser -UserId 00u1).id | Should -Be '00u1' }
        $tokens = @(Get-Requests $server '/oauth2/v1/token')
        $tokens.Count | Should -Be 1
        $form = @{}
        foreach ($pair in $tokens[0].Body -split '&') { $k, $v = $pair -split '=', 2; $form[$k] = [uri]::UnescapeDataString($v.Replace('+', ' ')) }
        $form.grant_type | Should -Be 'client_credentials'
        $form.client_assertion_type | Should -Be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
        $header, $claims, $signature = $form.client_assertion -split '\.'
        $decode = { param($part) $part = $part.Replace('-', '+').Replace('_', '/'); $part += '=' * ((4 - $part.Length % 4) % 4); [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($part)) | ConvertFrom-Json }
        $h = & $decode $header; $c = & $decode $claims
        $h.alg | Should -Be 'ES256'; $h.kid | Should -Be 'k1'
        $c.iss | Should -Be $clientId; $c.sub | Should -Be $clientId
        $c.aud | Should -Be "$($server.Url)/oauth2/v1/token"
        ($c.exp - $c.iat) | Should -BeLessOrEqual 300
        # the signature checks out with the public key (.NET's verifier, independent of the core's)
        $bytes = [Text.Encoding]::ASCII.GetBytes("$header.$claims")
        $sig = $signature.Replace('-', '+').Replace('_', '/'); $sig += '=' * ((4 - $sig.Length % 4) % 4)
        $ec.VerifyData($bytes, [Convert]::FromBase64String($sig), [System.Security.Cryptography.HashAlgorithmName]::SHA256) | Should -BeTrue
    }

    It 'renews a 3 s token before it expires' {
        $jwk = Get-PublicJwk $rsa
        $clientId = New-OidcApp -Simulator $shortSim -Jwk $jwk
        Set-TestConfiguration -Url $shortSim.Url -ClientId $clientId -Scope 'okta.users.read' -PrivateKey $rsa.ExportRSAPrivateKeyPem()
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while ($clock.Elapsed.TotalSeconds -lt 5) {
            @(Invoke-OktaListUsers -Limit 1 -ErrorAction Stop).Count | Should -Be 1
            Start-Sleep -Milliseconds 400
        }
    }

    It 'works through Set-OktaConfiguration -ClientId -Scope -PrivateKey -KeyId in a named configuration, with its own token' {
        $ec = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $jwk = Get-PublicJwk $ec; $jwk.kid = 'named-ec'
        $clientId = New-OidcApp -Jwk $jwk
        Set-TestConfiguration -Url $sim.Url    # the current configuration: no credentials at all
        Set-OktaConfiguration -Name robot -BaseUrl $sim.Url -ClientId $clientId -Scope 'okta.users.read' -PrivateKey $ec.ExportPkcs8PrivateKeyPem() -KeyId 'named-ec'
        @(Invoke-OktaListUsers -Limit 1 -Configuration robot).Count | Should -Be 1
        { Invoke-OktaListUsers -Limit 1 } | Should -Throw -ExpectedMessage '*No credentials*'
        Invoke-OktaRevokeAccessToken -Configuration robot -WhatIf
        Invoke-OktaRevokeAccessToken -Configuration robot
        { Invoke-OktaRevokeAccessToken -Configuration nosuch } | Should -Throw -ExpectedMessage '*nosuch*'
        @(Invoke-OktaListUsers -Limit 1 -Configuration robot).Count | Should -Be 1 -Because 'a robot simply fetches a new token'
    }

    It 'refuses a key it cannot use, naming PrivateKey and never repeating the value' {
        $clientId = '0oa-badkey'
        Set-TestConfiguration -Url $sim.Url -ClientId $clientId -Scope 'okta.users.read' -PrivateKey 'not-a-key-SECRETISH'
        $caught = $null
        try { Invoke-OktaListUsers -Limit 1 } catch { $caught = $_ }
        $caught.Exception.Message | Should -Match 'PrivateKey'
        ($caught | Out-String) + $caught.Exception.Message | Should -Not -Match 'SECRETISH'
        (Get-OktaConfiguration).PrivateKey = $null
        (Get-OktaConfiguration).AuthorizationMode = 'Magic'
        { Invoke-OktaListUsers -Limit 1 } | Should -Throw -ExpectedMessage '*AuthorizationMode*'
    }
}

Describe 'DPoP' {
    AfterEach { Stop-ScriptedOAuth }

    It 'answers the token endpoint''s use_dpop_nonce and sends DPoP-bound tokens with a proof to the API (okta-sim)' {
        $rsa = [System.Security.Cryptography.RSA]::Create(2048)
        $clientId = New-OidcApp -Jwk (Get-PublicJwk $rsa) -Dpop
        Set-TestConfiguration -Url $sim.Url -ClientId $clientId -Scope 'okta.users.read' -PrivateKey $rsa.ExportRSAPrivateKeyPem() -UseDPoP
        @(Invoke-OktaListUsers -Limit 1).Count | Should -Be 1
        @(Invoke-OktaListUsers -Limit 1).Count | Should -Be 1
    }

    It 'switches to DPoP when the token endpoint asks, and retries an API call once with the nonce it names' {
        $server = Start-ScriptedOAuth -TokenAnswers @(
            (New-OAuthError use_dpop_nonce 'Authorization server requires nonce in DPoP proof.' | ForEach-Object { $_ -replace 'Content-Type', "DPoP-Nonce: token-nonce-1`r`nContent-Type" }),
            (New-TokenAnswer -AccessToken 'bound-token' -Type DPoP)) -ApiAnswers @(
            (New-JsonResponse 401 @{ errorCode = 'E0000011'; errorSummary = 'Invalid token provided' } @{ 'WWW-Authenticate' = 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"'; 'DPoP-Nonce' = 'api-nonce-1' }),
            (New-JsonResponse 200 @{ id = '00u1' }))
        $ec = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        Set-TestConfiguration -Url $server.Url -ClientId ('0oa-dpop-' + [guid]::NewGuid().ToString('N').Substring(0, 6)) -Scope 'okta.users.read' -PrivateKey $ec.ExportECPrivateKeyPem()
        (Get-OktaUser -UserId 00u1).id | Should -Be '00u1'
        $claims = { param($head) $proof = [regex]::Match($head, '(?im)^dpop:\s*(\S+)').Groups[1].Value; $part = ($proof -split '\.')[1].Replace('-', '+').Replace('_', '/'); $part += '=' * ((4 - $part.Length % 4) % 4); [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($part)) | ConvertFrom-Json }
        $tokens = @(Get-Requests $server '/oauth2/v1/token')
        $tokens.Count | Should -Be 2
        $tokens[0].Head | Should -Not -Match '(?im)^dpop:'
        (& $claims $tokens[1].Head).nonce | Should -Be 'token-nonce-1'
        $api = @(Get-Requests $server '/api/v1/users/00u1')
        $api.Count | Should -Be 2
        foreach ($request in $api) { $request.Head | Should -Match '(?im)^authorization: DPoP bound-token\r?$' }
        $first = & $claims $api[0].Head; $second = & $claims $api[1].Head
        $first.nonce | Should -BeNullOrEmpty
        $second.nonce | Should -Be 'api-nonce-1'
        $second.htm | Should -Be 'GET'
        $second.htu | Should -Be "$($server.Url)/api/v1/users/00u1"
        $second.ath | Should -Not -BeNullOrEmpty
        $second.jti | Should -Not -Be $first.jti
    }
}

Describe 'Invoke-OktaEstablishAccessToken -Interactive (authorization code + PKCE)' {
    AfterEach { Stop-ScriptedOAuth }

    It 'prints the URL, takes the code only with the right state, and exchanges it with the verifier' {
        $server = Start-ScriptedOAuth -TokenAnswers @((New-TokenAnswer -AccessToken 'pkce-token')) -ApiAnswers @((New-JsonResponse 200 @{ id = '00u1' }))
        $clientId = '0oa-pkce-' + [guid]::NewGuid().ToString('N').Substring(0, 6)
        $run = Start-InRunspace @"
`$c = Get-OktaConfiguration; `$c.BaseUrl = '$($server.Url)'; `$c.ClientId = '$clientId'; `$c.Scope = 'openid okta.users.read'
Invoke-OktaEstablishAccessToken -Interactive -NoBrowser
(Get-OktaUser -UserId 00u1).id
"@
        try {
            $found = Wait-Information $run 'open this URL in a browser on this computer: (\S+)'
            $authorize = [uri]$found[1]
            $query = @{}
            foreach ($pair in $authorize.Query.TrimStart('?') -split '&') { $k, $v = $pair -split '=', 2; $query[$k] = [uri]::UnescapeDataString($v.Replace('+', ' ')) }
            $authorize.AbsolutePath | Should -Be '/oauth2/v1/authorize'
            $query.code_challenge_method | Should -Be 'S256'
            $query.client_id | Should -Be $clientId
            $query.redirect_uri | Should -Match '^http://127\.0\.0\.1:\d+/callback$'
            { Invoke-WebRequest "$($query.redirect_uri)?code=forged&state=wrong" } | Should -Throw
            Invoke-WebRequest "$($query.redirect_uri)?code=the-code&state=$($query.state)" | Select-Object -ExpandProperty StatusCode | Should -Be 200
            $output = $run.PowerShell.EndInvoke($run.Handle)
            $run.PowerShell.Streams.Error | Should -BeNullOrEmpty
            $output | Should -Contain '00u1'
            $exchange = @(Get-Requests $server '/oauth2/v1/token')
            $exchange.Count | Should -Be 1
            $form = @{}
            foreach ($pair in $exchange[0].Body -split '&') { $k, $v = $pair -split '=', 2; $form[$k] = [uri]::UnescapeDataString($v.Replace('+', ' ')) }
            $form.grant_type | Should -Be 'authorization_code'
            $form.code | Should -Be 'the-code'
            $hash = [System.Security.Cryptography.SHA256]::HashData([Text.Encoding]::ASCII.GetBytes($form.code_verifier))
            ConvertTo-Base64Url $hash | Should -Be $query.code_challenge
        } finally { $run.PowerShell.Dispose() }
    }
}

Describe 'Secrets' {
    AfterEach { Stop-ScriptedOAuth }

    It 'shows no token, refresh token, assertion, proof or private key in any stream, error, display or export' {
        $canary = 'Canary' + [guid]::NewGuid().ToString('N')
        $ec = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $pem = $ec.ExportECPrivateKeyPem()
        $keyBody = ($pem -split "`n")[1].Trim()
        $server = Start-ScriptedOAuth -DeviceAnswer (New-DeviceAnswer -Interval 1) -TokenAnswers @(
            (New-OAuthError use_dpop_nonce 'nonce please' | ForEach-Object { $_ -replace 'Content-Type', "DPoP-Nonce: n1`r`nContent-Type" }),
            (New-TokenAnswer -AccessToken "at-$canary" -RefreshToken "rt-$canary" -Type DPoP -ExpiresIn 3600),
            (New-OAuthError access_denied "denied")) -ApiAnswers @(
            (New-JsonResponse 200 @{ id = '00u1' }),
            (New-JsonResponse 401 @{ errorCode = 'E0000011'; errorSummary = 'Invalid token provided' } @{ 'WWW-Authenticate' = 'DPoP error="invalid_token"' }),
            (New-JsonResponse 404 @{ errorCode = 'E0000007'; errorSummary = 'Not found' }))
        Set-TestConfiguration -Url $server.Url -ClientId ('0oa-secret-' + [guid]::NewGuid().ToString('N').Substring(0, 6)) -Scope 'okta.users.read offline_access' -PrivateKey $pem -KeyId 'kid-1'
        $transcript = Join-Path $TestDrive 'auth-transcript.txt'
        Start-Transcript -Path $transcript | Out-Null
        $all = & {
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
            Get-OktaUser -UserId 00u1 -Verbose -Debug
            try { Get-OktaUser -UserId 00u1 -Verbose -Debug } catch { $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String }
            try { Get-OktaUser -UserId 00u1 -Verbose -Debug } catch { $_ | Format-List * -Force | Out-String }
            $c = Get-OktaConfiguration
            $c; $c | Format-List | Out-String; $c | Format-Table -Wrap | Out-String; "$c"; $c.Values | Out-String
            $c | ConvertTo-Json -Depth 6
            $c | Export-Clixml -Path (Join-Path $TestDrive 'auth-config.clixml') -Depth 6
            Invoke-OktaRevokeAccessToken -Verbose -Debug
            $Error | Format-List * -Force | Out-String
        } *>&1 | Out-String
        Stop-Transcript | Out-Null
        $everything = $all + (Get-Content $transcript -Raw) + (Get-Content (Join-Path $TestDrive 'auth-config.clixml') -Raw)
        $everything | Should -Not -Match $canary
        $everything | Should -Not -Match ([regex]::Escape($keyBody))
        $everything | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10,}\.'   # no JWS: assertions, DPoP proofs
        $everything | Should -Match '\*\*\*\*\*\*\*\*'             # the private key shows masked
        @(Get-Requests $server '/oauth2/v1/token').Count | Should -BeGreaterOrEqual 2 -Because 'the secrets were really in use'
    }
}

Describe 'Against okta-sim''s scripted OAuth (cadence and outcomes from the simulator''s own log)' {
    BeforeAll {
        function Set-SimOAuth([hashtable]$Settings) {
            Invoke-RestMethod -Method Post -Uri "$($sim.Url)/__sim/oauth/settings" -ContentType 'application/json' -Body ($Settings | ConvertTo-Json) | Out-Null
        }
        function Set-DeviceScript([string[]]$Polls) {
            Invoke-RestMethod -Method Post -Uri "$($sim.Url)/__sim/oauth/device/script" -ContentType 'application/json' -Body (@{ polls = $Polls } | ConvertTo-Json) | Out-Null
        }
        # Invoke-RestMethod writes a JSON array as one object: unroll it
        function Get-SimPolls([string]$UserCode) { @(Invoke-RestMethod "$($sim.Url)/__sim/oauth/device/polls?user_code=$UserCode" | ForEach-Object { $_ }) }
        function Get-SimOAuthLog { @(Invoke-RestMethod "$($sim.Url)/__sim/oauth/log" | ForEach-Object { $_ }) }
        function Get-UserCode($Shown) { if ("$Shown" -match 'code (\S{4}-\S{4})') { $Matches[1] } }
        $script:defaults = Invoke-RestMethod "$($sim.Url)/__sim/oauth/settings"
    }
    AfterEach {
        Stop-ScriptedOAuth
        Set-DeviceScript @()
        Set-SimOAuth @{ device_interval_s = $defaults.device_interval_s; device_expires_in_s = $defaults.device_expires_in_s
                        device_silent_expiry = $false; dpop_api_nonce = $false; access_token_ttl_s = $defaults.access_token_ttl_s }
        Invoke-OktaRemoveAccessToken
    }

    It 'polls at the interval, slow_down adds 5 s, as the simulator measured it' {
        Set-SimOAuth @{ device_interval_s = 1 }
        Set-DeviceScript 'authorization_pending', 'slow_down', 'authorization_pending', 'issued'
        $clientId = New-OidcApp -GrantTypes 'urn:ietf:params:oauth:grant-type:device_code' -Type native
        Set-TestConfiguration -Url $sim.Url -ClientId $clientId -Scope 'okta.users.read'
        Invoke-OktaEstablishAccessToken -InformationVariable shown 6>$null
        $polls = Get-SimPolls (Get-UserCode $shown)
        $polls.Count | Should -Be 4
        $polls.answer | Should -Be 'authorization_pending', 'slow_down', 'authorization_pending', 'issued'
        $gaps = @($polls[0].at_ms) + @(1..3 | ForEach-Object { $polls[$_].at_ms - $polls[$_ - 1].at_ms })
        $gaps[0] | Should -BeGreaterOrEqual 950; $gaps[0] | Should -BeLessThan 2000
        $gaps[1] | Should -BeGreaterOrEqual 950; $gaps[1] | Should -BeLessThan 2000
        $gaps[2] | Should -BeGreaterOrEqual 5950; $gaps[2] | Should -BeLessThan 7000
        $gaps[3] | Should -BeGreaterOrEqual 5950; $gaps[3] | Should -BeLessThan 7000
        @(Invoke-OktaListUsers -Limit 1).Count | Should -Be 1
    }

    It 'stops at access_denied from the simulator with the OAuth error' {
        Set-SimOAuth @{ device_interval_s = 1 }
        Set-DeviceScript 'authorization_pending', 'access_denied'
        $clientId = New-OidcApp -GrantTypes 'urn:ietf:params:oauth:grant-type:device_code' -Type native
        Set-TestConfiguration -Url $sim.Url -ClientId $clientId -Scope 'okta.users.read'
        $caught = $null
        try { Invoke-OktaEstablishAccessToken -InformationVariable shown 6>$null } catch { $caught = $_ }
        $caught.Exception.OAuthError | Should -Be 'access_denied'
        (Get-SimPolls (Get-UserCode $shown)).Count | Should -Be 2
    }

    It 'gives up at expires_in when the simulator stays silent' {
        Set-SimOAuth @{ device_interval_s = 1; device_expires_in_s = 3; device_silent_expiry = $true }
        $clientId = New-OidcApp -GrantTypes 'urn:ietf:params:oauth:grant-type:device_code' -Type native
        Set-TestConfiguration -Url $sim.Url -ClientId $clientId -Scope 'okta.users.read'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        { Invoke-OktaEstablishAccessToken 6>$null } | Should -Throw -ExpectedMessage '*expired after 3 s*'
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 6
    }

    It 'asks the token endpoint once per configuration (the simulator''s OAuth log), and answers an API nonce challenge' {
        Set-SimOAuth @{ dpop_api_nonce = $true }
        $ec = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $jwk = Get-PublicJwk $ec; $jwk.kid = 'robot-ec'
        $clientId = New-OidcApp -Jwk $jwk -Dpop
        Set-TestConfiguration -Url $sim.Url -ClientId $clientId -Scope 'okta.users.read' -PrivateKey $ec -KeyId 'robot-ec'
        1..3 | ForEach-Object { @(Invoke-OktaListUsers -Limit 1).Count | Should -Be 1 }
        $log = @(Get-SimOAuthLog | Where-Object { $_.client_id -eq $clientId -and $_.grant_type -eq 'client_credentials' })
        # no DPoP proof (the app requires one), then the nonce round trip, then the one token for all three calls
        $log.outcome | Should -Be 'invalid_dpop_proof', 'use_dpop_nonce', 200
        $log[2].dpop | Should -BeTrue
    }

    It 'signs in with -Interactive: the simulator''s authorize page redirects to the loopback with code and state' {
        $clientId = New-OidcApp -GrantTypes 'authorization_code' -Type native
        $run = Start-InRunspace @"
`$c = Get-OktaConfiguration; `$c.BaseUrl = '$($sim.Url)'; `$c.ClientId = '$clientId'; `$c.Scope = 'openid okta.users.read'
Invoke-OktaEstablishAccessToken -Interactive -NoBrowser
@(Invoke-OktaListUsers -Limit 1).Count
"@
        try {
            $found = Wait-Information $run 'open this URL in a browser on this computer: (\S+)'
            (Invoke-WebRequest $found[1]).StatusCode | Should -Be 200   # follows the 302 to the loopback redirect
            $output = $run.PowerShell.EndInvoke($run.Handle)
            $run.PowerShell.Streams.Error | Should -BeNullOrEmpty
            $output | Should -Contain 1
        } finally { $run.PowerShell.Dispose() }
    }
}

Describe 'examples/Scheduled-Robot.ps1' {
    AfterEach { Stop-ScriptedOAuth }

    It 'reports the users by status against okta-sim, signed in with client credentials and a PKCS#8 key file' {
        $rsa = [System.Security.Cryptography.RSA]::Create(2048)
        $path = Join-Path $TestDrive 'robot-example.pem'
        Set-Content -Path $path -Value $rsa.ExportPkcs8PrivateKeyPem()
        $clientId = New-OidcApp -Jwk (Get-PublicJwk $rsa)
        $expected = @(Invoke-OktaListUsers -All).Count   # with the API token, before it is taken away
        Set-TestConfiguration -Url $null                  # no API token: only the robot's key can sign in
        $report = & (Join-Path (Get-RepositoryRoot) 'examples/Scheduled-Robot.ps1') -BaseUrl $sim.Url -ClientId $clientId -PrivateKeyPath $path
        $report.Status | Should -Contain 'ACTIVE'
        ($report | Measure-Object -Property Users -Sum).Sum | Should -Be $expected
        (Get-OktaConfiguration).ApiKey.Count | Should -Be 0
    }
}
