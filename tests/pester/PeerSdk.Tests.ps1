# okta-sim answers Okta's official Node SDK the way a real org does (the benchmark peer must work
# against it). Needs Node.js and the npm registry; the SDK is installed once into the smoke folder.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    $script:smoke = Join-Path (Get-RepositoryRoot) 'crates/okta-sim/tools/sdk-smoke'
    if (-not (Test-Path (Join-Path $smoke 'node_modules/@okta/okta-sdk-nodejs'))) {
        & npm ci --prefix $smoke --no-audit --no-fund | Out-Host
        if ($LASTEXITCODE -ne 0) { throw 'npm ci of @okta/okta-sdk-nodejs failed' }
    }
    $script:sim = Start-OktaSimulator -ArgumentList '--seed', '120'
}

AfterAll {
    Stop-OktaSimulator $script:sim
}

Describe 'The official Node SDK (@okta/okta-sdk-nodejs) against okta-sim' {
    It 'lists with paging, creates, gets by login, suspends, gets a 404, deletes in two steps, reads logs' {
        $output = & node (Join-Path $smoke 'node-smoke.js') $sim.Url $sim.Token 2>&1 | ForEach-Object { "$_" }
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $output | Should -Contain 'listed 120'
        ($output -match '^created 00u\S+ ACTIVE$') | Should -HaveCount 1
        $output | Should -Contain 'got node@example.com'
        $output | Should -Contain 'suspended SUSPENDED'
        $output | Should -Contain '404 404 E0000007'
        $output | Should -Contain 'deleted 404'
        # create, suspend, deactivate and delete were logged; the SDK stops at the empty page after them
        $logLine = @($output | Where-Object { $_ -match '^logs \d+$' })
        $logLine | Should -HaveCount 1
        [int]($logLine[0] -replace 'logs ') | Should -BeGreaterOrEqual 4
        ($output -match '^groups \d+$') | Should -HaveCount 1
    }
}
