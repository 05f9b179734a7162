using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace Okta.PowerShell.Json
{
    /// <summary>
    /// UTF-8 JSON to the object graph that pwsh 7.6's ConvertFrom-Json (default parameters) returns:
    /// objects are PSCustomObjects with NoteProperties in document order, arrays are object[],
    /// integers Int64 (BigInteger past its range), other numbers Double, ISO and "/Date()/" strings
    /// DateTime. Built in one forward pass over Utf8JsonReader with no intermediate DOM.
    /// </summary>
    public static class JsonToPSObject
    {
        /// <summary>Same nesting limit as ConvertFrom-Json's default -Depth.</summary>
        public const int MaxDepth = 1024;

        // ConvertFrom-Json refuses integers longer than this (sign included).
        private const int MaxIntegerLength = 380;

        private static readonly SearchValues<byte> JsonWhitespace = SearchValues.Create(" \t\r\n"u8);
        private static readonly object BoxedTrue = true;
        private static readonly object BoxedFalse = false;
        private static readonly object[] SmallIntegers = CreateSmallIntegers();

        private static readonly JsonReaderOptions ReaderOptions = new()
        {
            // The reference reader skips comments and tolerates trailing commas.
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = MaxDepth,
        };

        public static object? Parse(string? json)
        {
            if (string.IsNullOrEmpty(json))
            {
                return null;
            }

            int max = Encoding.UTF8.GetMaxByteCount(json.Length);
            byte[] rented = ArrayPool<byte>.Shared.Rent(max);
            try
            {
                int length = Encoding.UTF8.GetBytes(json, rented);
                return Parse(new ReadOnlySpan<byte>(rented, 0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        /// <summary>For PowerShell callers, which cannot pass a span.</summary>
        public static object? Parse(byte[]? utf8Json) => utf8Json == null ? null : Parse(new ReadOnlySpan<byte>(utf8Json));

        public static object? Parse(ReadOnlySpan<byte> utf8Json)
        {
            // A UTF-8 byte order mark is not JSON; text decoders drop it before ConvertFrom-Json sees it.
            if (utf8Json.Length >= 3 && utf8Json[0] == 0xEF && utf8Json[1] == 0xBB && utf8Json[2] == 0xBF)
            {
                utf8Json = utf8Json.Slice(3);
            }

            // Empty or blank text gives $null, as ConvertFrom-Json does for whitespace.
            if (utf8Json.IndexOfAnyExcept(JsonWhitespace) < 0)
            {
                return null;
            }

            var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
            var builder = new GraphBuilder();
            try
            {
                while (reader.Read())
                {
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.StartObject:
                            builder.Open(isObject: true);
                            break;
                        case JsonTokenType.StartArray:
                            builder.Open(isObject: false);
                            break;
                        case JsonTokenType.EndObject:
                            builder.Add(builder.CloseObject());
                            break;
                        case JsonTokenType.EndArray:
                            builder.Add(builder.CloseArray());
                            break;
                        case JsonTokenType.PropertyName:
                            builder.SetName(ReadName(ref reader));
                            break;
                        case JsonTokenType.String:
                            builder.Add(ReadString(ref reader));
                            break;
                        case JsonTokenType.Number:
                            builder.Add(ReadNumber(ref reader));
                            break;
                        case JsonTokenType.True:
                            builder.Add(BoxedTrue);
                            break;
                        case JsonTokenType.False:
                            builder.Add(BoxedFalse);
                            break;
                        case JsonTokenType.Null:
                            builder.Add(null);
                            break;
                    }
                }
            }
            catch (JsonException) when (reader.TokenType == JsonTokenType.None && IsOnlyComments(utf8Json))
            {
                // ConvertFrom-Json gives $null for text that holds nothing but comments.
                return null;
            }
            catch (JsonException ex)
            {
                long? line = ex.LineNumber + 1;
                long? column = ex.BytePositionInLine + 1;
                throw new OktaJsonParseException(
                    $"Invalid JSON at line {line}, byte {column}: {StripReaderPosition(ex.Message)}",
                    line,
                    column,
                    ex);
            }
            catch (OverflowException ex)
            {
                throw Positioned(ex.Message, ref reader, ex);
            }

            object? root = builder.Root;
            if (root is DeferredError error)
            {
                throw new OktaJsonParseException(error.Message);
            }

            return root;
        }

        private static OktaJsonParseException Positioned(string message, ref Utf8JsonReader reader, Exception? inner = null)
        {
            long offset = reader.TokenStartIndex + 1;
            return new OktaJsonParseException($"{message} (at byte {offset})", null, null, inner);
        }

        private static bool IsOnlyComments(ReadOnlySpan<byte> text)
        {
            while (true)
            {
                int start = text.IndexOfAnyExcept(JsonWhitespace);
                if (start < 0)
                {
                    return true;
                }

                text = text.Slice(start);
                if (text.StartsWith("//"u8))
                {
                    int end = text.IndexOfAny((byte)'\n', (byte)'\r');
                    text = end < 0 ? ReadOnlySpan<byte>.Empty : text.Slice(end);
                }
                else if (text.StartsWith("/*"u8))
                {
                    int end = text.Slice(2).IndexOf("*/"u8);
                    if (end < 0)
                    {
                        return false;
                    }

                    text = text.Slice(end + 4);
                }
                else
                {
                    return false;
                }
            }
        }

        private static string StripReaderPosition(string message)
        {
            // Utf8JsonReader appends "LineNumber: 0 | BytePositionInLine: 5." with 0-based numbers; we print 1-based.
            int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return at > 0 ? message.Substring(0, at) : message;
        }

        private static string ReadName(ref Utf8JsonReader reader)
        {
            ReadOnlySpan<byte> raw = reader.ValueSpan;
            if (!reader.ValueIsEscaped)
            {
                return NameCache.Shared.Get(raw); // announces each name the process has not seen
            }

            string name = JsonStringDecoder.DecodeEscaped(raw);
            NotePropertyWriter.Announce(name);
            return name;
        }

        private static object ReadString(ref Utf8JsonReader reader)
        {
            ReadOnlySpan<byte> raw = reader.ValueSpan;
            if (!reader.ValueIsEscaped)
            {
                if (JsonDateText.MayBeDate(raw))
                {
                    if (raw.Length > 64)
                    {
                        // Only a "/Date(...)/" can be this long; rare enough to go through a string.
                        string longText = JsonStringDecoder.DecodePlain(raw);
                        return JsonDateText.TryParse(longText, out DateTime longDate) ? longDate : longText;
                    }

                    // Date candidates are short ASCII, so widen on the stack instead of allocating a string.
                    Span<char> chars = stackalloc char[raw.Length];
                    for (int i = 0; i < raw.Length; i++)
                    {
                        chars[i] = (char)raw[i];
                    }

                    if (JsonDateText.TryParse(chars, out DateTime date))
                    {
                        return date;
                    }
                }

                return JsonStringDecoder.DecodePlain(raw);
            }

            string text = JsonStringDecoder.DecodeEscaped(raw);
            if (JsonDateText.MayBeDate(text) && JsonDateText.TryParse(text, out DateTime escapedDate))
            {
                return escapedDate;
            }

            return text;
        }

        private static object ReadNumber(ref Utf8JsonReader reader)
        {
            ReadOnlySpan<byte> raw = reader.ValueSpan;

            // Only a fraction or exponent makes a Double; plain integers stay integral however large.
            if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0)
            {
                return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
            }

            if (Utf8Parser.TryParse(raw, out long value, out int consumed) && consumed == raw.Length)
            {
                return value >= -128 && value < 1024 ? SmallIntegers[value + 128] : value;
            }

            if (raw.Length > MaxIntegerLength)
            {
                throw new OverflowException($"The JSON integer of {raw.Length} digits is too large to parse (ConvertFrom-Json's limit is {MaxIntegerLength} characters).");
            }

            Span<char> digits = stackalloc char[raw.Length];
            for (int i = 0; i < raw.Length; i++)
            {
                digits[i] = (char)raw[i];
            }

            return BigInteger.Parse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        private static object[] CreateSmallIntegers()
        {
            var boxes = new object[128 + 1024];
            for (int i = 0; i < boxes.Length; i++)
            {
                boxes[i] = (long)(i - 128);
            }

            return boxes;
        }

        /// <summary>
        /// A problem ConvertFrom-Json reports only after the whole text has parsed (empty or
        /// case-clashing keys, reserved names). Carried as a value so that a later duplicate key can
        /// still replace it, and so that a syntax error anywhere wins, exactly as in the reference.
        /// </summary>
        private sealed class DeferredError
        {
            public DeferredError(string message) => Message = message;

            public string Message { get; }
        }

        /// <summary>Stacks of pending values; a container is materialised when it closes.</summary>
        private sealed class GraphBuilder
        {
            private object?[] _values = new object?[64];
            private string?[] _names = new string?[64];
            private int _count;

            private Frame[] _frames = new Frame[16];
            private int _depth;

            private Dictionary<string, int>? _seen;

            public object? Root { get; private set; }

            private struct Frame
            {
                public int Start;
                public bool IsObject;
                public bool HasError;
                public string? PendingName;
            }

            public void Open(bool isObject)
            {
                if (_depth == _frames.Length)
                {
                    Array.Resize(ref _frames, _frames.Length * 2);
                }

                _frames[_depth++] = new Frame { Start = _count, IsObject = isObject };
            }

            // Held on the frame, not in the value slot: a nested container fills slots before this value lands.
            public void SetName(string name) => _frames[_depth - 1].PendingName = name;

            public void Add(object? value)
            {
                if (_depth == 0)
                {
                    Root = value;
                    return;
                }

                EnsureRoom();
                ref Frame frame = ref _frames[_depth - 1];
                if (frame.IsObject)
                {
                    _names[_count] = frame.PendingName;
                }

                _values[_count++] = value;
                if (value is DeferredError)
                {
                    frame.HasError = true;
                }
            }

            private void EnsureRoom()
            {
                if (_count == _values.Length)
                {
                    Array.Resize(ref _values, _values.Length * 2);
                    Array.Resize(ref _names, _names.Length * 2);
                }
            }

            public object CloseArray()
            {
                Frame frame = _frames[--_depth];
                _frames[_depth] = default;
                int n = _count - frame.Start;
                object?[] items = n == 0 ? Array.Empty<object>() : new object?[n];
                Array.Copy(_values, frame.Start, items, 0, n);
                Array.Clear(_values, frame.Start, n);
                _count = frame.Start;

                if (frame.HasError)
                {
                    foreach (object? item in items)
                    {
                        if (item is DeferredError error)
                        {
                            return error;
                        }
                    }
                }

                return items!;
            }

            public object CloseObject()
            {
                Frame frame = _frames[--_depth];
                _frames[_depth] = default;
                int start = frame.Start;
                int n = _count - start;
                object result = NeedsCarefulPath(start, n, frame.HasError)
                    ? BuildCarefully(start, n)
                    : BuildDirect(start, n);
                Array.Clear(_values, start, n);
                Array.Clear(_names, start, n);
                _count = start;
                return result;
            }

            // The common case: distinct keys, none empty or reserved, no deferred errors inside.
            private bool NeedsCarefulPath(int start, int n, bool hasError)
            {
                if (hasError)
                {
                    return true;
                }

                for (int i = 0; i < n; i++)
                {
                    string name = _names[start + i]!;
                    if (name.Length == 0 || IsReservedName(name))
                    {
                        return true;
                    }
                }

                if (n <= 16)
                {
                    for (int i = 1; i < n; i++)
                    {
                        string name = _names[start + i]!;
                        for (int j = 0; j < i; j++)
                        {
                            string other = _names[start + j]!;
                            if (other.Length == name.Length && string.Equals(other, name, StringComparison.OrdinalIgnoreCase))
                            {
                                return true;
                            }
                        }
                    }

                    return false;
                }

                Dictionary<string, int> seen = _seen ??= new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                seen.Clear();
                for (int i = 0; i < n; i++)
                {
                    if (!seen.TryAdd(_names[start + i]!, i))
                    {
                        return true;
                    }
                }

                return false;
            }

            private PSObject BuildDirect(int start, int n)
            {
                var result = new PSObject();
                PSMemberInfoCollection<PSMemberInfo> members = NotePropertyWriter.MembersOfNew(result);
                for (int i = start; i < start + n; i++)
                {
                    // Names were validated (and announced) already, so skip the collection's own (slower) checks.
                    NotePropertyWriter.Add(result, members, new PSNoteProperty(_names[i]!, _values[i]));
                }

                return result;
            }

            /// <summary>
            /// Replays what ConvertFrom-Json does: a repeated key (same case) keeps the last value and
            /// moves to the last position; then keys are checked in order and the first problem wins.
            /// </summary>
            private object BuildCarefully(int start, int n)
            {
                var keep = new List<int>(n);
                for (int i = 0; i < n; i++)
                {
                    string name = _names[start + i]!;
                    bool repeatedLater = false;
                    for (int j = i + 1; j < n; j++)
                    {
                        if (string.Equals(_names[start + j], name, StringComparison.Ordinal))
                        {
                            repeatedLater = true;
                            break;
                        }
                    }

                    if (!repeatedLater)
                    {
                        keep.Add(start + i);
                    }
                }

                var firstSpelling = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (int index in keep)
                {
                    string name = _names[index]!;
                    if (name.Length == 0)
                    {
                        return new DeferredError(
                            "The JSON contains a property whose name is an empty string; such a property cannot become a PowerShell object property.");
                    }

                    if (firstSpelling.TryGetValue(name, out string? existing))
                    {
                        return new DeferredError(
                            $"The JSON contains keys that differ only in casing, which a PowerShell object cannot hold: existing key '{existing}', new key '{name}'.");
                    }

                    if (_values[index] is DeferredError inner)
                    {
                        return inner;
                    }

                    if (IsReservedName(name))
                    {
                        return new DeferredError($"The JSON contains a property named \"{name}\"; that member name is reserved in PowerShell, so it cannot become an object property.");
                    }

                    firstSpelling.Add(name, name);
                }

                var result = new PSObject();
                PSMemberInfoCollection<PSMemberInfo> members = NotePropertyWriter.MembersOfNew(result);
                foreach (int index in keep)
                {
                    NotePropertyWriter.Add(result, members, new PSNoteProperty(_names[index]!, _values[index]));
                }

                return result;
            }

            // PowerShell refuses these as member names (they are the intrinsic views of every object).
            private static bool IsReservedName(string name)
            {
                if (name.Length < 6 || name.Length > 11 || (name[0] | 0x20) != 'p' || (name[1] | 0x20) != 's')
                {
                    return false;
                }

                return name.Equals("psbase", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("psobject", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("psadapted", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("psextended", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("pstypenames", StringComparison.OrdinalIgnoreCase);
            }
        }

        /// <summary>
        /// The process's cache of property-name strings: Okta's objects repeat the same few hundred keys, so each
        /// distinct short name is decoded, allocated and announced to PowerShell's member binders
        /// (<see cref="NotePropertyWriter.Announce"/>; their flag is sticky) once per process, not once per parse.
        /// A single <c>Get-OktaUser</c> parses one object: building a per-parse cache and announcing its ~30 names
        /// every call cost more than the rest of the conversion (measured with dotnet-trace). Lock-free: entries
        /// are immutable and pushed onto a bucket's chain with a compare-exchange, so parses on several threads
        /// (runspaces, the page feed) share it; a name two threads add at once is merely in the chain twice.
        /// At most <see cref="MaxEntries"/> names (a map keyed by ids must not grow it forever); past that, names
        /// are decoded and announced each time, as long ones are.
        /// </summary>
        private sealed class NameCache
        {
            internal static readonly NameCache Shared = new();

            private const int MaxCachedLength = 32;
            private const int MaxEntries = 4096;
            private const int BucketCount = 1024; // power of two

            private readonly Entry?[] _buckets = new Entry?[BucketCount];
            private int _entries;

            private sealed class Entry
            {
                public Entry(byte[] key, string value, Entry? next)
                {
                    Key = key;
                    Value = value;
                    Next = next;
                }

                public byte[] Key { get; }

                public string Value { get; }

                public Entry? Next { get; }
            }

            public string Get(ReadOnlySpan<byte> utf8)
            {
                if (utf8.Length > MaxCachedLength)
                {
                    string uncached = JsonStringDecoder.DecodePlain(utf8);
                    NotePropertyWriter.Announce(uncached);
                    return uncached;
                }

                uint hash = 2166136261;
                foreach (byte b in utf8)
                {
                    hash = (hash ^ b) * 16777619;
                }

                ref Entry? bucket = ref _buckets[hash & (BucketCount - 1)];
                Entry? head = Volatile.Read(ref bucket);
                for (Entry? e = head; e != null; e = e.Next)
                {
                    if (utf8.SequenceEqual(e.Key))
                    {
                        return e.Value;
                    }
                }

                string value = JsonStringDecoder.DecodePlain(utf8);
                NotePropertyWriter.Announce(value);
                if (Volatile.Read(ref _entries) < MaxEntries && Interlocked.Increment(ref _entries) <= MaxEntries)
                {
                    var key = utf8.ToArray();
                    Entry? seen = head;
                    while (true)
                    {
                        var added = new Entry(key, value, seen);
                        var now = Interlocked.CompareExchange(ref bucket, added, seen);
                        if (ReferenceEquals(now, seen)) break;
                        seen = now; // another thread pushed first: push onto its entry
                    }
                }

                return value;
            }
        }
    }
}
