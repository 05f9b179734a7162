using System;
using System.Buffers;
using System.Text;

namespace Okta.PowerShell.Json
{
    /// <summary>
    /// Turns the raw bytes of a JSON string token into a .NET string the way ConvertFrom-Json would
    /// see it: invalid UTF-8 becomes U+FFFD (as decoding the body to text does), and broken
    /// \u surrogate escapes become U+FFFD instead of failing (Utf8JsonReader.GetString would throw).
    /// </summary>
    internal static class JsonStringDecoder
    {
        private const char Replacement = '\uFFFD';

        // Encoding.UTF8 substitutes U+FFFD for bad sequences rather than throwing.
        public static string DecodePlain(ReadOnlySpan<byte> utf8) =>
            utf8.IsEmpty ? string.Empty : Encoding.UTF8.GetString(utf8);

        /// <summary>Decodes a token whose escapes Utf8JsonReader has already validated.</summary>
        public static string DecodeEscaped(ReadOnlySpan<byte> utf8)
        {
            // Every input byte yields at most one char, so the input length bounds the output.
            char[]? rented = null;
            Span<char> buffer = utf8.Length <= 512
                ? stackalloc char[512]
                : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
            try
            {
                int written = Unescape(utf8, buffer);
                return new string(buffer.Slice(0, written));
            }
            finally
            {
                if (rented != null)
                {
                    ArrayPool<char>.Shared.Return(rented);
                }
            }
        }

        private static int Unescape(ReadOnlySpan<byte> src, Span<char> dst)
        {
            int w = 0;
            int i = 0;
            while (i < src.Length)
            {
                int run = src.Slice(i).IndexOf((byte)'\\');
                if (run < 0)
                {
                    run = src.Length - i;
                }

                if (run > 0)
                {
                    // A backslash byte never occurs inside a multi-byte UTF-8 sequence, so runs split cleanly.
                    w += Encoding.UTF8.GetChars(src.Slice(i, run), dst.Slice(w));
                    i += run;
                    if (i >= src.Length)
                    {
                        break;
                    }
                }

                byte kind = src[i + 1];
                i += 2;
                char c;
                switch (kind)
                {
                    case (byte)'n': c = '\n'; break;
                    case (byte)'r': c = '\r'; break;
                    case (byte)'t': c = '\t'; break;
                    case (byte)'b': c = '\b'; break;
                    case (byte)'f': c = '\f'; break;
                    case (byte)'u':
                        c = Hex4(src.Slice(i));
                        i += 4;
                        if (char.IsLowSurrogate(c))
                        {
                            c = Replacement; // low half with no high half before it
                        }
                        else if (char.IsHighSurrogate(c))
                        {
                            // Look for the low half; every high half left unpaired becomes U+FFFD.
                            while (true)
                            {
                                if (i + 1 < src.Length && src[i] == (byte)'\\' && src[i + 1] == (byte)'u')
                                {
                                    char next = Hex4(src.Slice(i + 2));
                                    i += 6;
                                    if (char.IsLowSurrogate(next))
                                    {
                                        dst[w++] = c;
                                        c = next;
                                        break;
                                    }

                                    dst[w++] = Replacement;
                                    c = next;
                                    if (char.IsHighSurrogate(next))
                                    {
                                        continue;
                                    }

                                    break;
                                }

                                c = Replacement;
                                break;
                            }
                        }

                        break;
                    default:
                        c = (char)kind; // \" \\ \/
                        break;
                }

                dst[w++] = c;
            }

            return w;
        }

        private static char Hex4(ReadOnlySpan<byte> s)
        {
            int v = 0;
            for (int k = 0; k < 4; k++)
            {
                int b = s[k];
                int d = b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
                v = (v << 4) | d;
            }

            return (char)v;
        }
    }
}
