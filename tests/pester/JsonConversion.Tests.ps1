#Requires -Version 7.4
# JSON <-> PowerShell object conversion in the glue assembly (Okta.PowerShell.Json).
# Parse is checked side by side with the ConvertFrom-Json of the running pwsh on the same text;
# ToUtf8Json is checked against exact expected JSON.

BeforeDiscovery {
    # Documents both converters must turn into the same object graph.
    $script:SideBySide = @(
        @{ Name = 'Okta user'; Json = @'
{
  "id": "00ub0oNGTSWTBKOLGLNR",
  "status": "ACTIVE",
  "created": "2013-06-24T16:39:18.000Z",
  "activated": "2013-06-24T16:39:19.000Z",
  "statusChanged": "2013-06-24T16:39:19.000Z",
  "lastLogin": "2013-06-24T17:39:19.000Z",
  "lastUpdated": "2013-07-02T21:36:25.344Z",
  "passwordChanged": "2013-07-02T21:36:25.344Z",
  "transitioningToStatus": null,
  "type": { "id": "otyfnjfba4ye7pgjB0g4" },
  "profile": {
    "login": "isaac.brock@example.com",
    "firstName": "Isaac",
    "lastName": "Brock",
    "nickName": "issac",
    "displayName": "Isaac Brock",
    "email": "isaac.brock@example.com",
    "secondEmail": null,
    "mobilePhone": "555-415-1337",
    "locale": "en_US",
    "employeeNumber": "187",
    "costCenter": "10",
    "customArray": ["a", "b"],
    "customNumber": 42,
    "customDecimal": 3.14,
    "customBool": false,
    "startDate": "2024-03-28"
  },
  "credentials": {
    "password": {},
    "recovery_question": { "question": "Who's a major player in the cowboy scene?" },
    "provider": { "type": "OKTA", "name": "OKTA" }
  },
  "_links": {
    "resetPassword": { "href": "https://example.okta.com/api/v1/users/00ub0oNGTSWTBKOLGLNR/lifecycle/reset_password", "method": "POST" },
    "self": { "href": "https://example.okta.com/api/v1/users/00ub0oNGTSWTBKOLGLNR" },
    "deactivate": { "href": "https://example.okta.com/api/v1/users/00ub0oNGTSWTBKOLGLNR/lifecycle/deactivate", "method": "POST" },
    "schema": { "href": "https://example.okta.com/api/v1/meta/schemas/user/oscfnjfba4ye7pgjB0g4" }
  }
}
'@ 
        }
        @{ Name = 'list of users'; Json = '[{"id":"u1","created":"2024-03-28T16:07:51.000Z","profile":{"login":"a@example.com","lastName":"A"},"_links":{"self":{"href":"https://x/u1"}}},{"id":"u2","created":"2024-01-02T03:04:05.678Z","profile":{"login":"b@example.com","lastName":"B","groups":["g1","g2"]},"_links":{}}]' }
        @{ Name = 'empty object'; Json = '{}' }
        @{ Name = 'empty array'; Json = '[]' }
        @{ Name = 'array of one empty object'; Json = '[{}]' }
        @{ Name = 'nested arrays'; Json = '[[1,[2,[3,[]]]],[],[[]],[[{"a":[[]]}]]]' }
        @{ Name = 'numbers'; Json = '[0,-1,1,2147483647,2147483648,-2147483649,9223372036854775807,9223372036854775808,-9223372036854775808,-9223372036854775809,123456789012345678901234567890,-0,1e3,1E+3,1e-3,1.5,0.1,-0.0,1.0,1E400,-1E400,1e-400,1.7976931348623157e308,4.9e-324,12345678901234567890.5]' }
        @{ Name = 'numbers as properties'; Json = '{"zero":0,"neg":-1,"int32max":2147483647,"over32":2147483648,"int64max":9223372036854775807,"over64":9223372036854775808,"exp":1e3,"half":1.5,"tenth":0.1,"negzero":-0.0,"huge":1E400}' }
        @{ Name = 'unicode escapes'; Json = '{"e":"caf\u00e9","emoji":"\ud83d\ude00","raw":"日本語 café 😀","ctl":"a\nb\tc\"d\\e\/f\b\f\r","loneHigh":"x\ud800y","loneLow":"\udc00","twoHighs":"\ud800\ud83d\ude00","highThenPlain":"\ud800\u0041","nul":"\u0000"}' }
        @{ Name = 'dates'; Json = '{"msZ":"2024-03-28T16:07:51.000Z","z":"2024-03-28T16:07:51Z","lowerZ":"2024-03-28T16:07:51.000z","plus":"2024-03-28T16:07:51.123+02:00","minus":"2024-03-28T16:07:51.123-05:30","compactOffset":"2024-03-28T16:07:51+0200","hourOffset":"2024-03-28T16:07:51+02","noZone":"2024-03-28T16:07:51","sevenDigits":"2024-03-28T16:07:51.1234567","oneDigit":"2024-03-28T16:07:51.1","hour24":"2024-03-28T24:00:00Z","minDate":"0001-01-01T00:00:00Z","maxDate":"9999-12-31T23:59:59.9999999Z","wcf":"/Date(1711642071000)/","wcfOffset":"/Date(1711642071000+0200)/","wcfNegative":"/Date(-1000)/","escapedWcf":"\/Date(1711642071000)\/","escapedPlus":"2024-03-28T16:07:51\u002B02:00","dateOnly":"2024-03-28","noSeconds":"2024-03-28T16:07"}' }
        @{ Name = 'date-like text that stays text'; Json = '["2024-03-28 16:07:51Z","2024-03-28t16:07:51Z","2024-13-01T00:00:00Z","2024-02-30T00:00:00Z","2024-03-28T16:07:60Z","2024-03-28T24:00:01Z","24-03-28T16:07:51Z","12024-03-28T16:07:51Z","2024-03-28T16:07:51.Z","2024-03-28T16:07:51.12345678Z","2024-03-28T16:07:51.123456789012345678901234567890Z"," 2024-03-28T16:07:51Z","2024-03-28T16:07:51Z ","March 28, 2024","03/28/2024","1711642071","/Date()/","/Date(abc)/","/Date(+5)/","/date(1)/","0000-03-28T16:07:51","2024-03-28T16:07:51+0"]' }
        @{ Name = 'booleans and nulls'; Json = '{"t":true,"f":false,"n":null,"arr":[null,true,false,null],"nested":{"n":null}}' }
        @{ Name = 'duplicate keys (last wins, moves last)'; Json = '{"a":1,"b":2,"a":3,"c":{"k":1,"k":{"z":[1,2]}},"d":[{"x":1,"x":null}]}' }
        @{ Name = 'duplicate key replacing an invalid object'; Json = '{"a":{"":1},"a":2}' }
        @{ Name = 'top-level string'; Json = '"just text"' }
        @{ Name = 'top-level date'; Json = '"2024-03-28T16:07:51Z"' }
        @{ Name = 'top-level integer'; Json = '42' }
        @{ Name = 'top-level big integer'; Json = '-99999999999999999999' }
        @{ Name = 'top-level double'; Json = '2.5e-3' }
        @{ Name = 'top-level true'; Json = 'true' }
        @{ Name = 'comments and trailing commas'; Json = " /* lead */ {`"a`": [1, 2, ], // line`n `"b`": {`"c`": 3,}, } /* tail */ " }
        @{ Name = 'keys with spaces, symbols, unicode'; Json = '{"first name":"x","$ref":"y","ключ":"значение","a.b":1,"Count":2,"Length":3,"ToString":4,"PSObject2":5,"esc\u0061ped":6}' }
        @{ Name = 'empty strings'; Json = '{"a":"","b":[""]}' }
        @{ Name = 'deep nesting'; Json = ('{"a":' * 300) + '[1]' + ('}' * 300) }
        @{ Name = 'deep arrays at the 1024 limit'; Json = ('[' * 1024) + (']' * 1024) }
    )

    # Text both converters refuse.
    $script:BothReject = @(
        @{ Name = 'keys differing only in case'; Json = '{"a":1,"A":2}'; Pattern = 'casing' }
        @{ Name = 'nested case clash'; Json = '{"x":{"id":1,"ID":2}}'; Pattern = 'casing' }
        @{ Name = 'empty key'; Json = '{"":1}'; Pattern = 'empty' }
        @{ Name = 'reserved member name'; Json = '{"psobject":1}'; Pattern = 'reserved' }
        @{ Name = 'reserved member name, other case'; Json = '{"ok":1,"PSTypeNames":[]}'; Pattern = 'reserved' }
        @{ Name = 'missing value'; Json = '{"a":}'; Pattern = 'line 1' }
        @{ Name = 'missing colon'; Json = '{"a" 1}'; Pattern = 'line 1' }
        @{ Name = 'bad literal'; Json = '{"a":tru}'; Pattern = 'line 1' }
        @{ Name = 'two documents'; Json = '{"a":1} {"b":2}'; Pattern = 'line 1' }
        @{ Name = 'bad escape'; Json = '["\x"]'; Pattern = 'line 1' }
        @{ Name = 'unterminated string'; Json = '["abc'; Pattern = 'line 1' }
        @{ Name = 'lone minus'; Json = '[-]'; Pattern = 'line 1' }
        @{ Name = 'too deep (1025)'; Json = ('[' * 1025) + (']' * 1025); Pattern = 'depth' }
        @{ Name = 'integer over 380 characters'; Json = '1' * 381; Pattern = 'too large' }
        @{ Name = 'WCF date out of range'; Json = '"/Date(-62135596800001)/"'; Pattern = 'range' }
        @{ Name = 'ISO date past 9999 via hour 24'; Json = '["9999-12-31T24:00:00Z"]'; Pattern = 'range' }
        @{ Name = 'syntax error wins over a key problem'; Json = '{"a":1,"A":2,'; Pattern = 'line 1' }
    )

    # Non-standard JSON that pwsh's lenient reader accepts but this strict reader rejects (documented).
    $script:StricterThanConvertFromJson = @(
        @{ Name = 'unterminated array'; Json = '[1,2' }
        @{ Name = 'single quotes'; Json = "{'a':'b'}" }
        @{ Name = 'unquoted key'; Json = '{a:1}' }
        @{ Name = 'NaN literal'; Json = '[NaN]' }
        @{ Name = 'leading-zero (octal) number'; Json = '[010]' }
        @{ Name = 'hex number'; Json = '[0x1F]' }
        @{ Name = 'raw tab in string'; Json = "[`"a`tb`"]" }
    )
}

BeforeAll {
    if (-not ('Okta.PowerShell.Json.JsonToPSObject' -as [type])) {
        Add-Type -Path ($env:OKTA_GLUE_DLL ?? (Join-Path $PSScriptRoot '../../bin/Okta.PowerShell.dll'))
    }

    function script:Parse([string] $Json) {
        # -NoEnumerate semantics: a top-level array comes back as one object[]
        , [Okta.PowerShell.Json.JsonToPSObject]::Parse($Json)
    }

    function script:ParseBytes([byte[]] $Bytes) {
        , [Okta.PowerShell.Json.JsonToPSObject]::Parse($Bytes)
    }

    function script:Reference([string] $Json) {
        , (ConvertFrom-Json -InputObject $Json -NoEnumerate)
    }

    function script:ToJson($Value, [switch] $IncludeNulls) {
        [Okta.PowerShell.Json.PSObjectToJson]::ToJsonString($Value, $IncludeNulls.IsPresent)
    }

    # Lists every difference in type or value between two graphs (empty list = identical).
    function script:Compare-Graph {
        param([AllowNull()] $Expected, [AllowNull()] $Actual, [string] $Path = '$')
        if ($null -eq $Expected -or $null -eq $Actual) {
            if (-not ($null -eq $Expected -and $null -eq $Actual)) { "$Path : expected <$Expected>, got <$Actual>" }
            return
        }
        $et = $Expected.GetType().FullName
        $at = $Actual.GetType().FullName
        if ($et -ne $at) { "$Path : type $et vs $at"; return }
        if ($Expected -is [System.Management.Automation.PSCustomObject]) {
            $ep = @($Expected.psobject.Properties)
            $ap = @($Actual.psobject.Properties)
            $en = ($ep | ForEach-Object { "$($_.Name):$($_.MemberType)" }) -join ','
            $an = ($ap | ForEach-Object { "$($_.Name):$($_.MemberType)" }) -join ','
            if ($en -cne $an) { "$Path : properties [$en] vs [$an]"; return }
            $etn = $Expected.psobject.TypeNames -join ','
            $atn = $Actual.psobject.TypeNames -join ','
            if ($etn -ne $atn) { "$Path : type names [$etn] vs [$atn]" }
            for ($i = 0; $i -lt $ep.Count; $i++) {
                Compare-Graph -Expected $ep[$i].Value -Actual $ap[$i].Value -Path "$Path.$($ep[$i].Name)"
            }
            return
        }
        if ($Expected -is [object[]]) {
            if ($Expected.Length -ne $Actual.Length) { "$Path : length $($Expected.Length) vs $($Actual.Length)"; return }
            for ($i = 0; $i -lt $Expected.Length; $i++) {
                Compare-Graph -Expected $Expected[$i] -Actual $Actual[$i] -Path "$Path[$i]"
            }
            return
        }
        if ($Expected -is [datetime]) {
            if ($Expected.Ticks -ne $Actual.Ticks -or $Expected.Kind -ne $Actual.Kind) {
                "$Path : date $($Expected.ToString('o')) $($Expected.Kind) vs $($Actual.ToString('o')) $($Actual.Kind)"
            }
            return
        }
        if ($Expected -is [double]) {
            # bit-level, so -0.0 and 0.0 differ and infinities compare
            if ([BitConverter]::DoubleToInt64Bits($Expected) -ne [BitConverter]::DoubleToInt64Bits($Actual)) { "$Path : double $Expected vs $Actual" }
            return
        }
        if (-not $Expected.Equals($Actual)) { "$Path : value <$Expected> vs <$Actual>" }
    }

    function script:New-UserJson([int] $Index) {
        @"
{"id":"00u$('{0:d17}' -f $Index)","status":"ACTIVE","created":"2024-03-28T16:07:51.000Z","activated":null,"statusChanged":"2024-03-28T16:07:52.000Z","lastLogin":"2024-04-01T08:00:00.123Z","lastUpdated":"2024-04-02T09:30:00.000Z","passwordChanged":"2024-03-28T16:07:51.000Z","type":{"id":"otyfnjfba4ye7pgjB0g4"},"profile":{"firstName":"First$Index","lastName":"Last$Index","mobilePhone":null,"secondEmail":null,"login":"user$Index@example.com","email":"user$Index@example.com","department":"Engineering \u00e9t\u00e9","employeeNumber":"$Index","tags":["a","b","c"],"score":$($Index * 1.5),"manager":{"id":"00u1","displayName":"Boss"}},"credentials":{"password":{},"emails":[{"value":"user$Index@example.com","status":"VERIFIED","type":"PRIMARY"}],"provider":{"type":"OKTA","name":"OKTA"}},"_links":{"self":{"href":"https://example.okta.com/api/v1/users/00u$Index"},"deactivate":{"href":"https://example.okta.com/api/v1/users/00u$Index/lifecycle/deactivate","method":"POST"}}}
"@
    }
}

Describe 'JsonToPSObject.Parse matches ConvertFrom-Json' {
    Context '<Name>' -ForEach $SideBySide {
        BeforeAll {
            $expected = Reference $Json
            $actual = Parse $Json
        }

        It 'gives the same types and values' {
            $differences = @(Compare-Graph -Expected $expected -Actual $actual)
            $differences | Should -BeNullOrEmpty
        }

        It 'gives the same Format-List output' {
            ($actual | Format-List | Out-String) | Should -BeExactly ($expected | Format-List | Out-String)
        }

        It 'gives the same Format-Table output' {
            ($actual | Format-Table | Out-String) | Should -BeExactly ($expected | Format-Table | Out-String)
        }

        It 'gives the same ConvertTo-Json -Depth 20 output' {
            (ConvertTo-Json -InputObject $actual -Depth 20 -WarningAction SilentlyContinue) | Should -BeExactly (ConvertTo-Json -InputObject $expected -Depth 20 -WarningAction SilentlyContinue)
        }

        It 'gives the same result from UTF-8 bytes as from a string' {
            $fromBytes = ParseBytes ([System.Text.Encoding]::UTF8.GetBytes($Json))
            @(Compare-Graph -Expected $actual -Actual $fromBytes) | Should -BeNullOrEmpty
        }
    }
}

Describe 'JsonToPSObject.Parse values in detail' {
    It 'builds PSCustomObjects with NoteProperties in document order' {
        $x = Parse '{"zeta":1,"alpha":{"inner":true},"Mid":"m"}'
        $x | Should -BeOfType System.Management.Automation.PSCustomObject
        $x.psobject.BaseObject.GetType().FullName | Should -Be 'System.Management.Automation.PSCustomObject'
        @($x.psobject.Properties.Name) | Should -Be @('zeta', 'alpha', 'Mid')
        @($x.psobject.Properties.MemberType | Sort-Object -Unique) | Should -Be @('NoteProperty')
        $x.alpha.inner | Should -BeTrue
        $x.mid | Should -Be 'm' # PowerShell member access is case-insensitive
        $x.psobject.TypeNames[0] | Should -Be 'System.Management.Automation.PSCustomObject'
    }

    It 'adds properties through the fast path on this PowerShell, and the objects behave as public-path ones' {
        # NotePropertyWriter reaches System.Management.Automation internals; if a PowerShell update renames them it
        # falls back to the public path silently, so the pinned pwsh must keep the fast one (or this names the regression).
        $writer = [Okta.PowerShell.Json.JsonToPSObject].Assembly.GetType('Okta.PowerShell.Json.NotePropertyWriter')
        $writer.GetProperty('IsFast', [System.Reflection.BindingFlags]'Static,NonPublic').GetValue($null) | Should -BeTrue
        $name = 'p' + [guid]::NewGuid().ToString('N')   # a name no member binder of this process has seen
        $site = [scriptblock]::Create("param(`$o) `$o.$name")
        # A compiled site that found nothing must find the property on our objects. (This checks behaviour, not the
        # announcing: measured on pwsh 7.6.9, such a site finds an instance member of a PSCustomObject even when it
        # was added without telling the binders.)
        foreach ($i in 1..50) { $null = & $site ([pscustomobject]@{ other = 1 }) }
        $x = Parse "{`"$name`": 42, `"nested`": {`"$name`": 7}}"
        & $site $x | Should -Be 42
        & $site $x.nested | Should -Be 7
        $x | Add-Member -NotePropertyName added -NotePropertyValue 1
        @($x.psobject.Properties.Name) | Should -Be @($name, 'nested', 'added')
        { $x | Add-Member -NotePropertyName $name.ToUpperInvariant() -NotePropertyValue 2 } | Should -Throw
        $x.$name = 43
        $x.$name | Should -Be 43
        ($x | Select-Object $name | ConvertTo-Json -Compress) | Should -Be "{`"$name`":43}"
    }

    It 'gives each new object its own member table, outside PowerShell''s weak table, and it behaves as usual' {
        # NotePropertyWriter.MembersOfNew sets the table on the object; PowerShell's InstanceMembers getter would
        # also file it in a process-wide ConditionalWeakTable (a dependent GC handle per object).
        $flags = [System.Reflection.BindingFlags]'Static,NonPublic'
        $table = [psobject].GetField('s_instanceMembersResurrectionTable', $flags).GetValue($null)
        $x = Parse '{"id": 1, "profile": {"login": "a@example.com"}}'
        $found = $null
        $table.TryGetValue($x, [ref]$found) | Should -BeFalse
        $table.TryGetValue($x.profile, [ref]$found) | Should -BeFalse
        $x.profile.login | Should -Be 'a@example.com'
        # what reaches the members another way: a wrapping PSObject, a copy, Add-Member, serialization
        ([psobject]::new($x)).profile.login | Should -Be 'a@example.com'
        $copy = $x.psobject.Copy(); $copy.id = 2
        $x.id | Should -Be 1
        $x | Add-Member -NotePropertyName extra -NotePropertyValue 3
        @($x.psobject.Properties.Name) | Should -Be @('id', 'profile', 'extra')
        $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($x))
        $back.profile.login | Should -Be 'a@example.com'
    }

    It 'gives profile access like Invoke-RestMethod results' {
        $user = Parse '{"profile":{"lastName":"Brock","firstName":"Isaac"}}'
        $user.profile.lastName | Should -BeExactly 'Brock'
    }

    It 'types integers like ConvertFrom-Json: Int64, BigInteger past Int64' {
        $n = Parse '[0,2147483647,2147483648,9223372036854775807,9223372036854775808,-9223372036854775808,-9223372036854775809]'
        $n[0] | Should -BeOfType [long]
        $n[1] | Should -BeOfType [long]
        $n[2] | Should -BeOfType [long]
        $n[3] | Should -Be ([long]::MaxValue)
        $n[4] | Should -BeOfType [System.Numerics.BigInteger]
        $n[4] | Should -Be ([System.Numerics.BigInteger]::Parse('9223372036854775808'))
        $n[5] | Should -Be ([long]::MinValue)
        $n[5] | Should -BeOfType [long]
        $n[6] | Should -BeOfType [System.Numerics.BigInteger]
    }

    It 'types fractions and exponents as Double, keeping -0.0 and overflow to infinity' {
        $n = Parse '[1e3,1.5,0.1,-0.0,1E400,1.0]'
        foreach ($v in $n) { $v | Should -BeOfType [double] }
        $n[0] | Should -Be 1000
        $n[2] | Should -Be 0.1
        [BitConverter]::DoubleToInt64Bits($n[3]) | Should -Be ([BitConverter]::DoubleToInt64Bits(-0.0))
        [double]::IsPositiveInfinity($n[4]) | Should -BeTrue
    }

    It 'turns ISO date-times into DateTime with the same Kind rules' {
        $d = Parse '{"utc":"2024-03-28T16:07:51.000Z","offset":"2024-03-28T16:07:51.123+02:00","plain":"2024-03-28T16:07:51","day":"2024-03-28","short":"2024-03-28T16:07"}'
        $d.utc -is [datetime] | Should -BeTrue
        $d.utc.Kind | Should -Be 'Utc'
        $d.utc | Should -Be ([datetime]::new(2024, 3, 28, 16, 7, 51, [DateTimeKind]::Utc))
        $d.offset.Kind | Should -Be 'Local'
        $d.offset.ToUniversalTime() | Should -Be ([datetime]::new(2024, 3, 28, 14, 7, 51, 123, [DateTimeKind]::Utc))
        $d.plain.Kind | Should -Be 'Unspecified'
        $d.plain.Ticks | Should -Be ([datetime]::new(2024, 3, 28, 16, 7, 51).Ticks)
        $d.day | Should -BeOfType [string]
        $d.short | Should -BeOfType [string]
    }

    It 'decodes escapes, non-ASCII and broken surrogates' {
        $s = Parse '["caf\u00e9","\ud83d\ude00","日本","\ud800x","tab\there"]'
        $s[0] | Should -BeExactly 'café'
        $s[1] | Should -BeExactly ([char]::ConvertFromUtf32(0x1F600))
        $s[2] | Should -BeExactly '日本'
        $s[3] | Should -BeExactly "$([char]0xFFFD)x"
        $s[4] | Should -BeExactly "tab`there"
    }

    It 'replaces invalid UTF-8 bytes with U+FFFD instead of failing' {
        [byte[]] $bytes = 0x5B, 0x22, 0x61, 0xFF, 0x62, 0x22, 0x5D # ["a<FF>b"]
        $s = ParseBytes $bytes
        $s[0] | Should -BeExactly "a$([char]0xFFFD)b"
    }

    It 'skips a UTF-8 byte order mark' {
        [byte[]] $bytes = @(0xEF, 0xBB, 0xBF) + [System.Text.Encoding]::UTF8.GetBytes('{"a":1}')
        (ParseBytes $bytes).a | Should -Be 1
    }

    It 'returns null for empty or blank input' {
        [Okta.PowerShell.Json.JsonToPSObject]::Parse([byte[]]::new(0)) | Should -BeNullOrEmpty
        [Okta.PowerShell.Json.JsonToPSObject]::Parse('') | Should -BeNullOrEmpty
        [Okta.PowerShell.Json.JsonToPSObject]::Parse("  `r`n ") | Should -BeNullOrEmpty
        [Okta.PowerShell.Json.JsonToPSObject]::Parse('null') | Should -BeNullOrEmpty
        ConvertFrom-Json -InputObject ' /* only */ // comments' | Should -BeNullOrEmpty
        [Okta.PowerShell.Json.JsonToPSObject]::Parse(' /* only */ // comments') | Should -BeNullOrEmpty
    }

    It 'keeps the last of duplicate keys, in the position ConvertFrom-Json gives' {
        $x = Parse '{"a":1,"b":2,"a":3}'
        @($x.psobject.Properties.Name) | Should -Be @('b', 'a')
        $x.a | Should -Be 3
    }

    It 'reports a syntax error with its position' {
        $err = { [Okta.PowerShell.Json.JsonToPSObject]::Parse("{`n  `"a`": tru`n}") } | Should -Throw -PassThru
        $err.Exception.InnerException | Should -BeOfType Okta.PowerShell.Json.OktaJsonParseException
        $err.Exception.InnerException | Should -BeOfType System.Text.Json.JsonException
        $err.Exception.InnerException.LineNumber | Should -Be 2
        $err.Exception.InnerException.Message | Should -Match 'line 2'
    }
}

Describe 'JsonToPSObject.Parse rejects what ConvertFrom-Json rejects' {
    It '<Name>' -ForEach $BothReject {
        { ConvertFrom-Json -InputObject $Json -NoEnumerate } | Should -Throw
        $err = { [Okta.PowerShell.Json.JsonToPSObject]::Parse($Json) } | Should -Throw -PassThru
        $err.Exception.InnerException | Should -BeOfType Okta.PowerShell.Json.OktaJsonParseException
        $err.Exception.InnerException.Message | Should -Match $Pattern
    }
}

Describe 'JsonToPSObject.Parse is stricter than ConvertFrom-Json on non-standard JSON' {
    It 'rejects <Name>' -ForEach $StricterThanConvertFromJson {
        { ConvertFrom-Json -InputObject $Json -NoEnumerate } | Should -Not -Throw
        { [Okta.PowerShell.Json.JsonToPSObject]::Parse($Json) } | Should -Throw -ExceptionType ([System.Management.Automation.MethodInvocationException])
    }
}

Describe 'JsonToPSObject.Parse property names (one cache for the process)' {
    It 'names every property right from parses on several threads at once, also past the cache''s 4,096 names' {
        # Each thread parses objects whose keys it shares with the others (cached once, raced for) and keys of
        # its own, far more than the cache holds: every object must come back with exactly its own names.
        $tag = [guid]::NewGuid().ToString('N').Substring(0, 8)
        $wrong = 0..3 | ForEach-Object -ThrottleLimit 4 -Parallel {
            $t = $_; $tag = $using:tag; $bad = 0
            foreach ($i in 1..1100) {
                $shared = "s$tag$($i % 50)"; $own = "o$tag${t}x$i"
                $o = [Okta.PowerShell.Json.JsonToPSObject]::Parse("{`"$shared`": $i, `"$own`": $t}")
                $names = @($o.psobject.Properties.Name)
                if ($names.Count -ne 2 -or $names[0] -cne $shared -or $names[1] -cne $own -or $o.$shared -ne $i -or $o.$own -ne $t) { $bad++ }
            }
            $bad
        }
        ($wrong | Measure-Object -Sum).Sum | Should -Be 0
    }
}

Describe 'JsonToPSObject.Parse on a large document' {
    It 'parses a 5 MB list of users the same as ConvertFrom-Json' {
        $users = foreach ($i in 1..5600) { New-UserJson $i }
        $json = '[' + ($users -join ',') + ']'
        $json.Length | Should -BeGreaterThan (5MB)
        $bytes = [System.Text.Encoding]::UTF8.GetBytes($json)
        $actual = ParseBytes $bytes
        $actual.Length | Should -Be 5600
        $actual[5599].profile.lastName | Should -BeExactly 'Last5600'
        $actual[5599].created | Should -BeOfType [datetime]
        $expected = Reference $json
        # a full comparison of 5 MB in script is slow: compare samples fully, and some members of every user
        foreach ($i in 0, 1234, 2799, 5599) {
            @(Compare-Graph -Expected $expected[$i] -Actual $actual[$i] -Path "`$[$i]") | Should -BeNullOrEmpty
        }
        ($actual.id -join ',') | Should -BeExactly ($expected.id -join ',')
        ($actual.lastLogin.Ticks -join ',') | Should -BeExactly ($expected.lastLogin.Ticks -join ',')
        ($actual.profile.score -join ',') | Should -BeExactly ($expected.profile.score -join ',')
    }
}

Describe 'PSObjectToJson.ToUtf8Json' {
    It 'writes a PSCustomObject with names and order exactly as written' {
        $body = [pscustomobject]@{ profile = [pscustomobject]@{ firstName = 'Isaac'; lastNAME = 'Brock' }; Status = 'ACTIVE' }
        ToJson $body | Should -BeExactly '{"profile":{"firstName":"Isaac","lastNAME":"Brock"},"Status":"ACTIVE"}'
    }

    It 'writes a hashtable' {
        ToJson @{ login = 'a@example.com' } | Should -BeExactly '{"login":"a@example.com"}'
        $multi = ToJson @{ a = 1; B = 'two'; c = $true }
        $back = Parse $multi
        @($back.psobject.Properties.Name | Sort-Object) | Should -Be @('a', 'B', 'c')
        $back.B | Should -BeExactly 'two'
    }

    It 'writes an ordered dictionary in order' {
        ToJson ([ordered]@{ z = 1; a = 2; M = 3 }) | Should -BeExactly '{"z":1,"a":2,"M":3}'
    }

    It 'writes generic dictionaries and non-string keys as text' {
        $d = [System.Collections.Generic.Dictionary[string, int]]::new()
        $d['x'] = 1
        ToJson $d | Should -BeExactly '{"x":1}'
        ToJson @{ 1 = 'one' } | Should -BeExactly '{"1":"one"}'
    }

    It 'writes nested arrays and lists' {
        ToJson @(1, @(2, 3), @(), @(, @(4))) | Should -BeExactly '[1,[2,3],[],[[4]]]'
        $list = [System.Collections.Generic.List[object]]::new()
        $list.Add('a'); $list.Add($null)
        ToJson ([ordered]@{ items = $list }) | Should -BeExactly '{"items":["a",null]}'
    }

    It 'keeps $false, 0 and empty strings, drops null members' {
        $body = [ordered]@{ a = $null; b = $false; c = 0; d = ''; e = @($null, 1); f = [pscustomobject]@{ g = $null; h = 1 } }
        ToJson $body | Should -BeExactly '{"b":false,"c":0,"d":"","e":[null,1],"f":{"h":1}}'
    }

    It 'keeps null members when asked' {
        $body = [ordered]@{ a = $null; f = [pscustomobject]@{ g = $null; h = 1 } }
        ToJson $body -IncludeNulls | Should -BeExactly '{"a":null,"f":{"g":null,"h":1}}'
    }

    It 'treats AutomationNull and DBNull as null' {
        $body = [ordered]@{ a = [System.Management.Automation.Internal.AutomationNull]::Value; b = [DBNull]::Value; c = 1 }
        ToJson $body | Should -BeExactly '{"c":1}'
        ToJson $body -IncludeNulls | Should -BeExactly '{"a":null,"b":null,"c":1}'
        ToJson $null | Should -BeExactly 'null'
    }

    It 'writes dates as ISO 8601 round-trip text' {
        ToJson ([datetime]::new(2024, 3, 28, 16, 7, 51, [DateTimeKind]::Utc)) | Should -BeExactly '"2024-03-28T16:07:51Z"'
        ToJson ([datetime]::new(2024, 3, 28, 16, 7, 51, 123, [DateTimeKind]::Utc)) | Should -BeExactly '"2024-03-28T16:07:51.123Z"'
        ToJson ([datetime]::new(2024, 3, 28, 16, 7, 51)) | Should -BeExactly '"2024-03-28T16:07:51"'
        ToJson ([datetimeoffset]::new(2024, 3, 28, 16, 7, 51, [timespan]::FromHours(2))) | Should -BeExactly '"2024-03-28T16:07:51+02:00"'
        $local = [datetime]::new(2024, 3, 28, 16, 7, 51, [DateTimeKind]::Local)
        $back = Parse (ToJson $local)
        $back.Kind | Should -Be 'Local'
        $back | Should -Be $local
    }

    It 'writes numbers of every type' {
        $body = [ordered]@{
            i = 42; l = [long]::MaxValue; neg = -7; b = [byte]255; sb = [sbyte]-8; s = [int16]-3; us = [uint16]3; ui = [uint32]::MaxValue; ul = [uint64]::MaxValue
            d = 1.5; whole = 1.0; tenth = 0.1; negzero = -0.0; f = [float]0.25; fwhole = [float]2; m = 1.50d; big = [System.Numerics.BigInteger]::Parse('123456789012345678901234567890')
            nan = [double]::NaN; inf = [double]::PositiveInfinity
        }
        ToJson $body | Should -BeExactly '{"i":42,"l":9223372036854775807,"neg":-7,"b":255,"sb":-8,"s":-3,"us":3,"ui":4294967295,"ul":18446744073709551615,"d":1.5,"whole":1.0,"tenth":0.1,"negzero":-0.0,"f":0.25,"fwhole":2.0,"m":1.50,"big":123456789012345678901234567890,"nan":"NaN","inf":"Infinity"}'
    }

    It 'writes Guid, enum, char and bool as JSON scalars' {
        $body = [ordered]@{ g = [guid]'6f1b1a43-7c3a-4b5e-9a55-0a6e3b6b9e10'; day = [DayOfWeek]::Monday; flags = [System.IO.FileAttributes]'ReadOnly, Hidden'; ch = [char]'x'; t = $true }
        ToJson $body | Should -BeExactly '{"g":"6f1b1a43-7c3a-4b5e-9a55-0a6e3b6b9e10","day":"Monday","flags":"ReadOnly, Hidden","ch":"x","t":true}'
    }

    It 'writes non-ASCII text as valid UTF-8 JSON' {
        $text = "café 日本 $([char]::ConvertFromUtf32(0x1F600)) `"q`" \ `n"
        $bytes = [Okta.PowerShell.Json.PSObjectToJson]::ToUtf8Json([ordered]@{ name = $text }, $false)
        $null = [System.Text.Json.JsonDocument]::Parse([System.ReadOnlyMemory[byte]]::new($bytes))
        [System.Text.Encoding]::UTF8.GetString($bytes) | Should -Match 'café 日本'
        (ParseBytes $bytes).name | Should -BeExactly $text
    }

    It 'unwraps PSObject-wrapped values' {
        ToJson @([psobject]'text', [psobject]5, [psobject]@(1, 2), [psobject]@{ k = 'v' }) | Should -BeExactly '["text",5,[1,2],{"k":"v"}]'
    }

    It 'keeps NoteProperties added to a wrapped hashtable' {
        # nested, because PowerShell's method binder unwraps a top-level argument
        $h = [ordered]@{ a = 1 } | Add-Member -NotePropertyName extra -NotePropertyValue 'x' -PassThru
        ToJson ([ordered]@{ body = $h }) | Should -BeExactly '{"body":{"a":1,"extra":"x"}}'
    }

    It 'writes other .NET objects through their properties' {
        $json = ToJson ([version]::new(1, 2, 3, 4))
        $back = Parse $json
        $back.Major | Should -Be 1
        $back.Revision | Should -Be 4
    }

    It 'writes PSCustomObjects holding script, alias and note properties' {
        $o = [pscustomobject]@{ a = 1 }
        $o | Add-Member -MemberType AliasProperty -Name b -Value a
        ToJson $o | Should -BeExactly '{"a":1,"b":1}'
    }

    It 'round-trips: Parse(ToUtf8Json(Parse(x))) equals Parse(x)' {
        $json = (New-UserJson 7) -replace '"activated":null', '"activated":"2024-03-28T16:07:51.123+02:00"'
        $first = Parse $json
        $bytes = [Okta.PowerShell.Json.PSObjectToJson]::ToUtf8Json($first, $true)
        $second = ParseBytes $bytes
        @(Compare-Graph -Expected $first -Actual $second) | Should -BeNullOrEmpty
        $first.profile.score | Should -BeOfType [double]
    }

    It 'round-trips values of every JSON type' {
        $json = '{"s":"x","i":1,"big":99999999999999999999,"d":1.0,"nz":-0.0,"t":true,"f":false,"n":null,"a":[null,[],{}],"o":{},"dt":"2024-03-28T16:07:51.1234567Z","un":"2024-03-28T16:07:51"}'
        $first = Parse $json
        $second = Parse (ToJson $first -IncludeNulls)
        @(Compare-Graph -Expected $first -Actual $second) | Should -BeNullOrEmpty
    }

    It 'refuses a reference cycle with the path where it closes' {
        $h = @{ name = 'loop' }
        $h.self = $h
        $err = { ToJson $h } | Should -Throw -PassThru
        $err.Exception.InnerException | Should -BeOfType Okta.PowerShell.Json.OktaJsonSerializationException
        $err.Exception.InnerException.Message | Should -Match 'cycle'
        $err.Exception.InnerException.Path | Should -BeExactly '$.self'

        $o = [pscustomobject]@{ name = 'x'; child = $null }
        $o.child = [pscustomobject]@{ parent = $o }
        $err = { ToJson $o } | Should -Throw -PassThru
        $err.Exception.InnerException.Path | Should -BeExactly '$.child.parent'
    }

    It 'allows the same object twice when it is not its own ancestor' {
        $leaf = [ordered]@{ a = 1 }
        ToJson ([ordered]@{ x = $leaf; y = $leaf }) | Should -BeExactly '{"x":{"a":1},"y":{"a":1}}'
    }

    It 'allows 100 levels of nesting and refuses 101, naming the limit' {
        function Nest([int] $Levels) { $v = 1; for ($i = 0; $i -lt $Levels; $i++) { $v = @{ n = $v } }; $v }
        $ok = ToJson (Nest 100)
        $ok | Should -BeExactly (('{"n":' * 100) + '1' + ('}' * 100))
        $err = { ToJson (Nest 101) } | Should -Throw -PassThru
        $err.Exception.InnerException | Should -BeOfType Okta.PowerShell.Json.OktaJsonSerializationException
        $err.Exception.InnerException.Message | Should -Match '100 levels'
    }

    It 'refuses a SecureString, naming where it is' {
        $secret = ConvertTo-SecureString 'hunter2' -AsPlainText -Force
        $body = @{ credentials = @{ password = @{ value = $secret } } }
        $err = { ToJson $body } | Should -Throw -PassThru
        $err.Exception.InnerException | Should -BeOfType Okta.PowerShell.Json.OktaJsonSerializationException
        $err.Exception.InnerException.Message | Should -Match 'SecureString'
        $err.Exception.InnerException.Message | Should -Not -Match 'hunter2'
        $err.Exception.InnerException.Path | Should -BeExactly '$.credentials.password.value'
    }

    It 'writes top-level scalars' {
        ToJson 'text' | Should -BeExactly '"text"'
        ToJson 12 | Should -BeExactly '12'
        ToJson $false | Should -BeExactly 'false'
        ToJson @() | Should -BeExactly '[]'
    }
}
