# The benchmark harness (tests/bench) cannot rot: `Invoke-Benchmarks.ps1 -Quick` runs every scenario at a tiny
# size in a fresh pwsh, and this suite checks it produced every table, row, results file and chart, and that
# the README generator reads what it wrote. It never asserts a timing: numbers from a quick run are not claims.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/OktaTestSupport.psm1') -Force
    Import-Module (Join-Path (Get-RepositoryRoot) 'tests/bench/BenchCommon.psm1') -Force
    $script:out = Join-Path $TestDrive 'results'
    $script:date = '2099-01-01'
    $bench = Join-Path (Get-RepositoryRoot) 'tests/bench/Invoke-Benchmarks.ps1'
    $script:printed = & dotnet pwsh -NoProfile -NonInteractive -File $bench -Quick -OutputDirectory $out -Date $date 2>&1 | ForEach-Object { "$_" }
    $script:exitCode = $LASTEXITCODE
    $script:resultsFile = Join-Path $out "$date.md"
    $script:markdown = if (Test-Path $resultsFile) { Get-Content $resultsFile } else { @() }
    $script:scenarios = [ordered]@{
        import = '1. Cold Import-Module'; get = '2. One Get-OktaUser'; glue = '2b. The JSON glue alone'; list = '3. List'
        create = '4. Create'; memory = '5. Memory while streaming'; parallel = '6. * workers on one org'
    }
    # The rows of one scenario's Markdown table (first cell = client).
    function Get-TableClients([string]$TitlePrefix) {
        $inside = $false; $clients = @()
        foreach ($line in $markdown) {
            if ($line -like "## $TitlePrefix*") { $inside = $true; continue }
            if ($inside -and $line -like '## *') { break }
            if ($inside -and $line -match '^\| ' -and $line -notmatch '^\| Client ') { $clients += ($line.Trim('|').Split('|')[0]).Trim() }
        }
        $clients
    }
}

Describe 'Invoke-Benchmarks.ps1 -Quick' {
    It 'finishes without an error' {
        $exitCode | Should -Be 0 -Because (($printed | Select-Object -Last 30) -join "`n")
    }

    It 'prints a table for every scenario' {
        foreach ($title in $scenarios.Values) { ($printed -like "== $title*") | Should -HaveCount 1 -Because "scenario '$title' prints its table" }
    }

    It 'writes the results file, marked as a quick run, with the machine and the noise warning' {
        $resultsFile | Should -Exist
        $markdown[0] | Should -Match 'quick'
        ($markdown -like '- Machine:*') | Should -HaveCount 1
        ($markdown -like '*shared with 3 other engineers*') | Should -HaveCount 1
        foreach ($title in $scenarios.Values) { ($markdown -like "## $title*") | Should -HaveCount 1 }
    }

    It 'gives every table the columns of the issue: client, median, spread, ratio to ours, ratio to the floor' {
        $headers = @($markdown | Where-Object { $_ -like '| Client |*' })
        $headers | Should -HaveCount $scenarios.Count
        foreach ($h in $headers) { $h | Should -Match '^\| Client \| .+ \| Spread \| × ours \| × floor \|' }
    }

    It 'never leaves a peer silently missing: each has a row, with a value or the reason it did not run' {
        foreach ($name in 'get', 'list', 'create', 'memory', 'parallel') {
            $clients = Get-TableClients $scenarios[$name]
            ($clients -like '*(ours)*').Count + ($clients -like 'ours*').Count | Should -BeGreaterOrEqual 1 -Because "$name has our row"
            foreach ($peer in 'official*', 'Invoke-RestMethod*', 'Node SDK*', 'Python SDK*') {
                ($clients -like $peer) | Should -Not -BeNullOrEmpty -Because "$name has a row for $peer"
            }
        }
        foreach ($peer in '*(ours)*', 'official*', '*(floor)*') { (Get-TableClients $scenarios.import) -like $peer | Should -Not -BeNullOrEmpty }
        $floors = Get-TableClients $scenarios.get
        ($floors -like '.NET HttpClient*') | Should -Not -BeNullOrEmpty
        ($floors -like 'Rust reqwest*') | Should -Not -BeNullOrEmpty
    }

    It 'writes one well-formed SVG chart per scenario, linked from the results file' {
        foreach ($name in $scenarios.Keys) {
            $svg = Join-Path $out "$date-$name.svg"
            $svg | Should -Exist
            $xml = [xml](Get-Content -Raw $svg)
            $xml.DocumentElement.LocalName | Should -Be 'svg'
            ($markdown -like "*]($date-$name.svg)*") | Should -HaveCount 1
        }
        ([xml](Get-Content -Raw (Join-Path $out "$date-memory.svg"))).svg.polyline | Should -Not -BeNullOrEmpty -Because 'memory is drawn as lines'
        ([xml](Get-Content -Raw (Join-Path $out "$date-get.svg"))).svg.rect.Count | Should -BeGreaterThan 3 -Because 'ratios are drawn as bars'
    }
}

Describe 'Update-ReadmePerformance.ps1' {
    BeforeAll {
        $script:update = Join-Path (Get-RepositoryRoot) 'tests/bench/Update-ReadmePerformance.ps1'
        $script:readme = Join-Path $TestDrive 'README.md'
        Set-Content $readme "# Title`n`nbefore`n<!-- bench:results:start -->`nold table`n<!-- bench:results:end -->`nafter`n" -NoNewline
    }

    It 'refuses a quick run: its numbers are not claims' {
        { & $update -ResultsFile $resultsFile -ReadmePath $readme } | Should -Throw '*Quick*'
        Get-Content -Raw $readme | Should -Match 'old table'
    }

    It 'rewrites only the text between the markers, one row per scenario' {
        $recorded = Join-Path $TestDrive '2099-01-02.md'
        Set-Content $recorded (@('# Benchmarks 2099-01-02') + $markdown[1..($markdown.Count - 1)])
        & $update -ResultsFile $recorded -ReadmePath $readme
        $text = Get-Content -Raw $readme
        $text | Should -Not -Match 'old table'
        $text | Should -Match '(?s)^# Title\n\nbefore\n<!-- bench:results:start -->\n.*\n<!-- bench:results:end -->\nafter\n$'
        foreach ($title in 'Cold Import-Module', 'One Get-OktaUser', 'List ', 'Create ', 'Memory while streaming', '* workers on one org') {
            ($text -split "`n" | Where-Object { $_ -like "| $title*" }) | Should -HaveCount 1 -Because "the table has a row for $title"
        }
        $text | Should -Match '\| scenario \| metric \| Okta.PowerShell \| official 2.0.2 \| Invoke-RestMethod \| Node SDK \| Python SDK \| floor \|'
    }
}

Describe 'Benchmark statistics' {
    It 'takes the median and says which spread it gives' {
        $few = Get-BenchStats @(5, 1, 3) -Digits 0
        $few.Median | Should -Be 3
        $few.Spread | Should -Be '1–5'
        $few.Kind | Should -Be 'min–max'
        (Get-BenchStats ([double[]](1..101)) -Digits 0).Spread | Should -Be '6–96'
    }

    It "scores fairness with Jain's index" {
        Get-JainFairness @(10, 10, 10, 10) | Should -Be 1
        Get-JainFairness @(40, 0, 0, 0) | Should -Be 0.25
    }
}
