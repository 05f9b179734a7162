using System;
using System.Buffers;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Internal;
using System.Numerics;
using System.Security;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Okta.PowerShell.Json
{
    /// <summary>
    /// Serialises what a PowerShell user passes as a request body to UTF-8 JSON: PSCustomObjects,
    /// dictionaries, lists, scalars, and (through their properties) other .NET objects.
    /// </summary>
    public static class PSObjectToJson
    {
        /// <summary>How many containers deep a body may nest before we call it an error.</summary>
        public const int MaxDepth = 100;

        private static readonly JsonWriterOptions WriterOptions = new()
        {
            // Non-ASCII text goes out as UTF-8 rather than \u escapes; quotes, backslashes and
            // control characters are still escaped, so the output is valid JSON.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Indented = false,
            SkipValidation = false,
            MaxDepth = MaxDepth + 8,
        };

        public static byte[] ToUtf8Json(object? value, bool includeNullValues)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                new Walker(writer, includeNullValues).Write(value);
            }

            return buffer.WrittenSpan.ToArray();
        }

        /// <summary>Convenience for tests and diagnostics: the same JSON as a string.</summary>
        public static string ToJsonString(object? value, bool includeNullValues) =>
            Encoding.UTF8.GetString(ToUtf8Json(value, includeNullValues));

        private sealed class Walker
        {
            private readonly Utf8JsonWriter _writer;
            private readonly bool _includeNulls;

            // Containers on the current path: meeting one again means a cycle.
            private readonly HashSet<object> _open = new(ReferenceEqualityComparer.Instance);

            // Path segments (string = member name, int = index), turned into text only for errors.
            private readonly List<object> _path = new();

            public Walker(Utf8JsonWriter writer, bool includeNulls)
            {
                _writer = writer;
                _includeNulls = includeNulls;
            }

            public void Write(object? value)
            {
                // PSObject.Base unwrapping: keep the wrapper only when it is itself the object
                // (a PSCustomObject) or carries extra NoteProperties we must not lose.
                PSObject? wrapper = null;
                if (IsAutomationNull(value))
                {
                    _writer.WriteNullValue();
                    return;
                }

                if (value is PSObject pso)
                {
                    wrapper = pso;
                    value = pso.BaseObject;
                }

                switch (value)
                {
                    case null:
                    case DBNull:
                        _writer.WriteNullValue();
                        return;
                    case PSCustomObject when wrapper != null:
                        WriteCustomObject(wrapper);
                        return;
                    case string s:
                        _writer.WriteStringValue(s);
                        return;
                    case bool b:
                        _writer.WriteBooleanValue(b);
                        return;
                    case char ch:
                        _writer.WriteStringValue(ch.ToString());
                        return;
                    case int i:
                        _writer.WriteNumberValue(i);
                        return;
                    case long l:
                        _writer.WriteNumberValue(l);
                        return;
                    case double d:
                        WriteDouble(d);
                        return;
                    case float f:
                        WriteSingle(f);
                        return;
                    case decimal m:
                        _writer.WriteNumberValue(m);
                        return;
                    case byte u8:
                        _writer.WriteNumberValue(u8);
                        return;
                    case sbyte i8:
                        _writer.WriteNumberValue(i8);
                        return;
                    case short i16:
                        _writer.WriteNumberValue(i16);
                        return;
                    case ushort u16:
                        _writer.WriteNumberValue(u16);
                        return;
                    case uint u32:
                        _writer.WriteNumberValue(u32);
                        return;
                    case ulong u64:
                        _writer.WriteNumberValue(u64);
                        return;
                    case BigInteger big:
                        _writer.WriteRawValue(big.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
                        return;
                    case DateTime dt:
                        // Round-trip ISO 8601: Utc keeps its Z, Local its offset, Unspecified has neither.
                        _writer.WriteStringValue(dt);
                        return;
                    case DateTimeOffset dto:
                        _writer.WriteStringValue(dto);
                        return;
                    case Guid g:
                        _writer.WriteStringValue(g);
                        return;
                    case Enum e:
                        _writer.WriteStringValue(e.ToString());
                        return;
                    case TimeSpan ts:
                        _writer.WriteStringValue(ts.ToString("c", CultureInfo.InvariantCulture));
                        return;
                    case Uri uri:
                        _writer.WriteStringValue(uri.OriginalString);
                        return;
                    case SecureString:
                        throw Fail(
                            "A SecureString cannot be sent in a request body: secrets are never converted implicitly. "
                            + "Convert it yourself (for example with ConvertFrom-SecureString -AsPlainText) if you mean to send it.");
                    case IDictionary dictionary:
                        WriteDictionary(dictionary, wrapper);
                        return;
                    case IEnumerable sequence:
                        WriteSequence(sequence);
                        return;
                    default:
                        WriteObjectProperties(wrapper ?? PSObject.AsPSObject(value), value);
                        return;
                }
            }

            private void WriteDouble(double d)
            {
                if (!double.IsFinite(d))
                {
                    // JSON has no NaN or infinities; ConvertTo-Json writes them as strings too.
                    _writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                    return;
                }

                Span<byte> text = stackalloc byte[32];
                if (d.TryFormat(text, out int length, "R", CultureInfo.InvariantCulture))
                {
                    WriteFloatText(text, length);
                    return;
                }

                _writer.WriteNumberValue(d);
            }

            private void WriteSingle(float f)
            {
                if (!float.IsFinite(f))
                {
                    _writer.WriteStringValue(f.ToString(CultureInfo.InvariantCulture));
                    return;
                }

                Span<byte> text = stackalloc byte[32];
                if (f.TryFormat(text, out int length, "R", CultureInfo.InvariantCulture))
                {
                    WriteFloatText(text, length);
                    return;
                }

                _writer.WriteNumberValue(f);
            }

            // Keep a whole floating value looking like one ("1.0"), so it reads back as Double, not Int64.
            private void WriteFloatText(Span<byte> text, int length)
            {
                if (text.Slice(0, length).IndexOfAny((byte)'.', (byte)'E', (byte)'e') < 0 && length + 2 <= text.Length)
                {
                    text[length++] = (byte)'.';
                    text[length++] = (byte)'0';
                }

                _writer.WriteRawValue(text.Slice(0, length), skipInputValidation: true);
            }

            private void WriteCustomObject(PSObject obj)
            {
                // The PSObject itself is the identity: every PSCustomObject shares one base instance.
                Enter(obj);
                _writer.WriteStartObject();
                foreach (PSPropertyInfo property in obj.Properties)
                {
                    WriteProperty(property);
                }

                _writer.WriteEndObject();
                Leave(obj);
            }

            private void WriteDictionary(IDictionary dictionary, PSObject? wrapper)
            {
                Enter(dictionary);
                _writer.WriteStartObject();
                IDictionaryEnumerator entries = dictionary.GetEnumerator();
                while (entries.MoveNext())
                {
                    string name = KeyText(entries.Key);
                    WriteMember(name, entries.Value);
                }

                if (wrapper != null)
                {
                    WriteAddedNoteProperties(wrapper);
                }

                _writer.WriteEndObject();
                Leave(dictionary);
            }

            private void WriteSequence(IEnumerable sequence)
            {
                Enter(sequence);
                _writer.WriteStartArray();
                int index = 0;
                foreach (object? item in sequence)
                {
                    _path.Add(index);
                    Write(item); // nulls inside arrays stay: dropping them would shift positions
                    _path.RemoveAt(_path.Count - 1);
                    index++;
                }

                _writer.WriteEndArray();
                Leave(sequence);
            }

            private void WriteObjectProperties(PSObject view, object identity)
            {
                Enter(identity);
                _writer.WriteStartObject();
                foreach (PSPropertyInfo property in view.Properties)
                {
                    WriteProperty(property);
                }

                _writer.WriteEndObject();
                Leave(identity);
            }

            // NoteProperties attached to a wrapped dictionary (Add-Member on a hashtable) become extra keys.
            private void WriteAddedNoteProperties(PSObject wrapper)
            {
                foreach (PSPropertyInfo property in wrapper.Properties)
                {
                    if (property is PSNoteProperty)
                    {
                        WriteProperty(property);
                    }
                }
            }

            private void WriteProperty(PSPropertyInfo property)
            {
                if (!property.IsGettable)
                {
                    return;
                }

                object? value;
                try
                {
                    value = property.Value;
                }
                catch (Exception ex) when (ex is GetValueException or ExtendedTypeSystemException or InvalidOperationException or NotSupportedException)
                {
                    _path.Add(property.Name);
                    throw Fail($"Reading property '{property.Name}' failed: {ex.Message}", ex);
                }

                WriteMember(property.Name, value);
            }

            private void WriteMember(string name, object? value)
            {
                if (!_includeNulls && IsNull(value))
                {
                    return;
                }

                _writer.WritePropertyName(name);
                _path.Add(name);
                Write(value);
                _path.RemoveAt(_path.Count - 1);
            }

            private static bool IsNull(object? value) =>
                value is null or DBNull || IsAutomationNull(value) || (value is PSObject p && p.BaseObject is null or DBNull);

            // The engine's "no output" marker; it may surface as a PSObject, so compare by reference.
            private static bool IsAutomationNull(object? value) =>
                value is PSObject && ReferenceEquals(value, AutomationNull.Value);

            private static string KeyText(object? key)
            {
                object? bare = key is PSObject p ? p.BaseObject : key;
                return bare switch
                {
                    string s => s,
                    null => string.Empty,
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    _ => bare.ToString() ?? string.Empty,
                };
            }

            private void Enter(object container)
            {
                if (_writer.CurrentDepth >= MaxDepth)
                {
                    throw Fail($"The value is nested more than {MaxDepth} levels deep; request bodies are limited to a depth of {MaxDepth}.");
                }

                if (!_open.Add(container))
                {
                    throw Fail("The value contains a reference cycle (an object that contains itself), which JSON cannot represent.");
                }
            }

            private void Leave(object container) => _open.Remove(container);

            private OktaJsonSerializationException Fail(string message, Exception? inner = null)
            {
                string path = PathText();
                return new OktaJsonSerializationException($"{message} Path: {path}", path, inner);
            }

            private string PathText()
            {
                var text = new StringBuilder("$");
                foreach (object segment in _path)
                {
                    if (segment is int index)
                    {
                        text.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
                    }
                    else
                    {
                        string name = (string)segment;
                        bool plain = name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_');
                        foreach (char c in name)
                        {
                            plain &= char.IsLetterOrDigit(c) || c == '_';
                        }

                        if (plain)
                        {
                            text.Append('.').Append(name);
                        }
                        else
                        {
                            text.Append("['").Append(name.Replace("'", "\\'")).Append("']");
                        }
                    }
                }

                return text.ToString();
            }
        }
    }
}
