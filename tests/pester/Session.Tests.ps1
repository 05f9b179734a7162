# The native session: the glue opens one core session per configuration version and sends only the request with
# it. A change made in place ($c.ApiKey = …, $c.DefaultHeaders['X'] = …) is used by the very next call; runspaces
# never see each other's session; changing a configuration again and again leaves no session behind.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-OktaModule
    # no rate limits: the runspace tests send a few hundred calls
    $script:sim = Start-OktaSimulator -ArgumentList '--rate-limit', 'default=100000000/60s', '--rate-limit', 'users=100000000/60s'
    Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token }
    $profile = Initialize-OktaUserProfile -FirstName Ada -LastName Lovelace -Email ada@example.com -Login ada@example.com
    New-OktaUser -Body (Initialize-OktaCreateUserRequest -VarProfile $profile) | Out-Null
    $script:manifest = Join-Path (Get-RepositoryRoot) 'Okta.PowerShell.psd1'

    function Get-Outcome([string]$Configuration) {
        $splat = if ($Configuration) { @{ Configuration = $Configuration } } else { @{} }
        try { $null = Get-OktaUser -UserId ada@example.com -ErrorAction Stop @splat; 'ok' } catch { 'refused' }
    }

    # A loopback server written for these tests (okta-sim does not show request headers): every request is
    # answered 200 with a user whose login is the Authorization it carried and whose nickName is its X-Test header.
    # One connection at a time, Connection: close; bounded in time.
    function Start-EchoServer([int]$Seconds = 90) {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $job = Start-ThreadJob -ThrottleLimit 16 -ArgumentList $listener, $Seconds -ScriptBlock {
            param($listener, $seconds)
            $deadline = [DateTime]::UtcNow.AddSeconds($seconds)
            try {
                while ([DateTime]::UtcNow -lt $deadline) {
                    $accept = $listener.AcceptTcpClientAsync()
                    if (-not $accept.Wait([int][Math]::Max(1, ($deadline - [DateTime]::UtcNow).TotalMilliseconds))) { break }
                    $client = $accept.Result
                    try {
                        $stream = $client.GetStream()
                        $buffer = [byte[]]::new(65536)
                        $text = ''
                        while ($text.IndexOf("`r`n`r`n") -lt 0) {
                            $read = $stream.Read($buffer, 0, $buffer.Length)
                            if ($read -le 0) { break }
                            $text += [System.Text.Encoding]::UTF8.GetString($buffer, 0, $read)
                        }
                        $authorization = if ($text -match '(?im)^authorization:\s*(.*?)\r?$') { $Matches[1] } else { '' }
                        $test = if ($text -match '(?im)^x-test:\s*(.*?)\r?$') { $Matches[1] } else { '' }
                        $json = @{ id = '00uecho'; status = 'ACTIVE'; profile = @{ login = $authorization; nickName = $test } } | ConvertTo-Json -Compress
                        $response = "HTTP/1.1 200 OK`r`nContent-Type: application/json`r`nContent-Length: $([System.Text.Encoding]::UTF8.GetByteCount($json))`r`nConnection: close`r`n`r`n$json"
                        $out = [System.Text.Encoding]::UTF8.GetBytes($response)
                        $stream.Write($out, 0, $out.Length)
                        $stream.Flush()
                    } catch {
                        # a client that went away: serve the next one
                    } finally { $client.Close() }
                }
            } finally { $listener.Stop() }
        }
        [pscustomobject]@{ Url = "http://127.0.0.1:$($listener.LocalEndpoint.Port)"; Job = $job; Listener = $listener }
    }

    function Stop-EchoServer($server) {
        $server.Listener.Stop()
        $server.Job | Stop-Job -PassThru | Remove-Job -Force
    }

    function Get-SessionCounts {
        [pscustomobject]@{
            InCore = [Okta.PowerShell.Native.NativeSessionDiagnostics]::OpenInCore()
            Opened = [Okta.PowerShell.Native.NativeSessionDiagnostics]::Opened
            Closed = [Okta.PowerShell.Native.NativeSessionDiagnostics]::Closed
        }
    }
}

AfterAll {
    Stop-OktaSimulator $script:sim
}

Describe 'Changes made in place reach the very next call' {
    BeforeEach {
        Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token }
        (Get-OktaConfiguration).DefaultHeaders = @{}
    }

    It 'uses a new token set on the live object, and the right one again at once' {
        $c = Get-OktaConfiguration
        Get-Outcome | Should -Be 'ok'
        $c.ApiKey = 'not-the-token'
        Get-Outcome | Should -Be 'refused'
        $c.ApiKey['apitoken'] = $sim.Token   # inside the nested table
        Get-Outcome | Should -Be 'ok'
    }

    It 'uses an Authorization changed inside DefaultHeaders' {
        $c = Get-OktaConfiguration
        $c.ApiKey = @{}
        $c.DefaultHeaders['Authorization'] = "SSWS $($sim.Token)"
        Get-Outcome | Should -Be 'ok'
        $c.DefaultHeaders['Authorization'] = 'SSWS not-the-token'
        Get-Outcome | Should -Be 'refused'
        $c.DefaultHeaders.Remove('Authorization')
        $c.ApiKeyPrefix['apitoken'] = 'SSWS'
        $c.ApiKey['apitoken'] = $sim.Token
        Get-Outcome | Should -Be 'ok'
    }

    It 'sends the header and token values of the moment (seen by an echo server)' {
        $echo = Start-EchoServer
        try {
            Set-OktaConfiguration -Name echo -BaseUrl $echo.Url -ApiKey @{ apitoken = 'first' }
            $c = (Get-OktaConfiguration -Name echo)
            $seen = Get-OktaUser -UserId x -Configuration echo
            $seen.profile.login | Should -Be 'SSWS first'
            $seen.profile.nickName | Should -Be ''
            $c.DefaultHeaders['X-Test'] = '1'
            (Get-OktaUser -UserId x -Configuration echo).profile.nickName | Should -Be '1'
            $c.DefaultHeaders['X-Test'] = '2'
            $c.ApiKey['apitoken'] = 'second'
            $seen = Get-OktaUser -UserId x -Configuration echo
            $seen.profile.nickName | Should -Be '2'
            $seen.profile.login | Should -Be 'SSWS second'
            $c.ApiKeyPrefix = @{ apitoken = 'Custom' }
            (Get-OktaUser -UserId x -Configuration echo).profile.login | Should -Be 'Custom second'
        } finally { Stop-EchoServer $echo }
    }

    It 'reports a configuration the core refuses on every call, and recovers when it is fixed' {
        $c = Get-OktaConfiguration
        $c.BaseUrl = 'not a url'
        $failed = $null
        try { Get-OktaUser -UserId ada@example.com -ErrorAction Stop } catch { $failed = $_ }
        "$failed" | Should -Match 'BaseUrl'
        $failed = $null
        try { Get-OktaUser -UserId ada@example.com -ErrorAction Stop } catch { $failed = $_ }
        "$failed" | Should -Match 'BaseUrl'
        $c.BaseUrl = $sim.Url
        Get-Outcome | Should -Be 'ok'
    }

    It 'keeps named configurations apart: each has its own session' {
        Set-OktaConfiguration -Name wrong -BaseUrl $sim.Url -ApiKey 'not-the-token'
        Get-Outcome -Configuration wrong | Should -Be 'refused'
        Get-Outcome | Should -Be 'ok'
        (Get-OktaConfiguration -Name wrong).ApiKey = $sim.Token
        Get-Outcome -Configuration wrong | Should -Be 'ok'
    }
}

Describe 'Runspaces' {
    It 'gives 8 parallel runspaces with different tokens their own sessions: none sees another''s token' {
        $echo = Start-EchoServer
        try {
            $url = $echo.Url
            $manifest = $script:manifest
            $results = 1..8 | ForEach-Object -ThrottleLimit 8 -UseNewRunspace -Parallel {
                Import-Module $using:manifest
                $n = $_
                Set-OktaConfiguration -BaseUrl $using:url -ApiKey @{ apitoken = "token-$n" }
                $c = Get-OktaConfiguration
                foreach ($i in 1..12) {
                    # every third call, the token changes in place, as a script renewing it would
                    if ($i % 3 -eq 0) { $c.ApiKey['apitoken'] = "token-$n-$i" }
                    $expected = "SSWS $($c.ApiKey['apitoken'])"
                    $seen = (Get-OktaUser -UserId x).profile.login
                    [pscustomobject]@{ Runspace = $n; Expected = $expected; Seen = $seen }
                }
            }
            $results.Count | Should -Be 96
            foreach ($result in $results) { $result.Seen | Should -Be $result.Expected }
            # per runspace: its first token and four renewed ones, none shared
            ($results.Seen | Sort-Object -Unique).Count | Should -Be 40
        } finally { Stop-EchoServer $echo }
    }

    It 'lets 8 runspaces against okta-sim keep their own good or bad token under load' {
        $url = $sim.Url
        $token = $sim.Token
        $manifest = $script:manifest
        $results = 1..8 | ForEach-Object -ThrottleLimit 8 -UseNewRunspace -Parallel {
            Import-Module $using:manifest
            $good = ($_ % 2) -eq 0
            Set-OktaConfiguration -BaseUrl $using:url -ApiKey @{ apitoken = $(if ($good) { $using:token } else { "wrong-$_" }) }
            $outcomes = foreach ($i in 1..20) {
                try { $null = Get-OktaUser -UserId ada@example.com -ErrorAction Stop; 'ok' } catch { 'refused' }
            }
            [pscustomobject]@{ Good = $good; Outcomes = ($outcomes | Sort-Object -Unique) -join ',' }
        }
        foreach ($result in $results) { $result.Outcomes | Should -Be $(if ($result.Good) { 'ok' } else { 'refused' }) }
    }
}

Describe 'No session is leaked' {
    It 'closes the previous session whenever the configuration changes' {
        Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token }
        Get-Outcome | Should -Be 'ok'
        # sessions of configurations dropped earlier are closed by finalizers: let those run first
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        $before = Get-SessionCounts
        foreach ($n in 1..150) {
            Set-OktaConfiguration -BaseUrl $sim.Url -ApiKey @{ apitoken = $sim.Token } -DefaultHeaders @{ 'X-Round' = "$n" }
            Get-Outcome | Should -Be 'ok'
        }
        $after = Get-SessionCounts
        ($after.Opened - $before.Opened) | Should -BeGreaterOrEqual 150 -Because 'each change opened a session'
        ($after.Closed - $before.Closed) | Should -BeGreaterOrEqual ($after.Opened - $before.Opened) -Because 'and closed the one before'
        $after.InCore | Should -BeLessOrEqual $before.InCore
    }

    It 'reuses the session while nothing changes' {
        Get-Outcome | Should -Be 'ok'
        $before = Get-SessionCounts
        foreach ($n in 1..50) { Get-Outcome | Should -Be 'ok' }
        (Get-SessionCounts).Opened | Should -Be $before.Opened
    }

    It 'closes the sessions of configurations that are gone (runspaces that ended)' {
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        $before = Get-SessionCounts
        $url = $sim.Url
        $token = $sim.Token
        $manifest = $script:manifest
        1..4 | ForEach-Object -ThrottleLimit 4 -UseNewRunspace -Parallel {
            Import-Module $using:manifest
            Set-OktaConfiguration -BaseUrl $using:url -ApiKey @{ apitoken = $using:token }
            $null = Get-OktaUser -UserId ada@example.com
        }
        (Get-SessionCounts).Opened | Should -BeGreaterOrEqual ($before.Opened + 4)
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        do {
            [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
            $now = Get-SessionCounts
            if ($now.InCore -le $before.InCore) { break }
            Start-Sleep -Milliseconds 200
        } while ([DateTime]::UtcNow -lt $deadline)
        $now.InCore | Should -Be $before.InCore
    }
}
