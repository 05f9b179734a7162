using System;
using System.Globalization;

namespace Okta.PowerShell.Json
{
    /// <summary>
    /// Decides which JSON strings ConvertFrom-Json hands back as DateTime, and which DateTime.
    /// pwsh 7.6 reads JSON with Newtonsoft.Json (DateParseHandling.DateTime, RoundtripKind), so the
    /// rules here are that reader's, re-stated: an ISO-like "yyyy-MM-ddTHH:mm:ss[.f..][zone]" of
    /// 19 to 40 characters, or the WCF form "/Date(ms[+-hhmm])/". Anything else stays a string.
    /// The odd corners (hour 24, up to 7 fraction digits, a loose zone suffix) are kept on purpose:
    /// a user switching from Invoke-RestMethod must get the same values.
    /// </summary>
    internal static class JsonDateText
    {
        private const long UnixEpochTicks = 621355968000000000;
        private static readonly int[] FractionScale = { 1, 1000000, 100000, 10000, 1000, 100, 10, 1 };

        /// <summary>Cheap pre-check on the raw UTF-8 bytes, so most strings skip the parse.</summary>
        public static bool MayBeDate(ReadOnlySpan<byte> utf8)
        {
            int n = utf8.Length;
            if (n >= 9 && utf8[0] == (byte)'/')
            {
                return utf8.StartsWith("/Date("u8) && utf8.EndsWith(")/"u8);
            }

            // byte length can exceed char length only with non-ASCII, which never parses as a date.
            return n >= 19 && n <= 40 && (uint)(utf8[0] - '0') <= 9 && utf8[10] == (byte)'T';
        }

        public static bool MayBeDate(ReadOnlySpan<char> s)
        {
            int n = s.Length;
            if (n >= 9 && s[0] == '/')
            {
                return true;
            }

            return n >= 19 && n <= 40 && char.IsDigit(s[0]) && s[10] == 'T';
        }

        /// <summary>
        /// Parse the text the way ConvertFrom-Json does. Throws OverflowException only where
        /// ConvertFrom-Json itself fails (a recognised date outside DateTime's range).
        /// </summary>
        public static bool TryParse(ReadOnlySpan<char> s, out DateTime value)
        {
            value = default;
            int n = s.Length;
            if (n == 0)
            {
                return false;
            }

            if (s[0] == '/')
            {
                return n >= 9 && s.StartsWith("/Date(", StringComparison.Ordinal) && s.EndsWith(")/", StringComparison.Ordinal)
                    && TryParseWcf(s, out value);
            }

            // char.IsDigit (not just ASCII) mirrors the gate; non-ASCII digits then fail below anyway.
            return n >= 19 && n <= 40 && char.IsDigit(s[0]) && s[10] == 'T' && TryParseIso(s, out value);
        }

        private enum Zone { None, Utc, West, East }

        private static bool TryParseIso(ReadOnlySpan<char> s, out DateTime value)
        {
            value = default;
            int n = s.Length;

            if (!Digits4(s, 0, out int year) || year < 1 || !CharAt(s, 4, '-')
                || !Digits2(s, 5, out int month) || month < 1 || month > 12 || !CharAt(s, 7, '-')
                || !Digits2(s, 8, out int day) || day < 1 || day > DateTime.DaysInMonth(year, month)
                || !CharAt(s, 10, 'T'))
            {
                return false;
            }

            if (!Digits2(s, 11, out int hour) || hour > 24 || !CharAt(s, 13, ':')
                || !Digits2(s, 14, out int minute) || minute > 59 || !CharAt(s, 16, ':')
                || !Digits2(s, 17, out int second) || second > 59
                || (hour == 24 && (minute != 0 || second != 0)))
            {
                return false;
            }

            int pos = 19;
            int fraction = 0;
            if (CharAt(s, pos, '.'))
            {
                // At most 7 digits are read; an 8th is left for the zone code to trip over.
                int digits = 0;
                while (++pos < n && digits < 7)
                {
                    uint d = (uint)(s[pos] - '0');
                    if (d > 9)
                    {
                        break;
                    }

                    fraction = fraction * 10 + (int)d;
                    digits++;
                }

                if (digits == 0)
                {
                    return false;
                }

                fraction *= FractionScale[digits];
                if (hour == 24 && fraction != 0)
                {
                    return false;
                }
            }

            Zone zone = Zone.None;
            int zoneHour = 0, zoneMinute = 0;
            if (pos < n)
            {
                char ch = s[pos];
                if (ch == 'Z' || ch == 'z')
                {
                    zone = Zone.Utc;
                    pos++;
                }
                else
                {
                    if (pos + 2 < n && Digits2(s, pos + 1, out int zh))
                    {
                        if (ch == '-')
                        {
                            zone = Zone.West;
                            zoneHour = zh;
                            pos += 3;
                        }
                        else if (ch == '+')
                        {
                            zone = Zone.East;
                            zoneHour = zh;
                            pos += 3;
                        }
                    }

                    // Minutes: optional colon, optional two digits (also accepted with no sign before them).
                    if (pos < n)
                    {
                        if (s[pos] == ':')
                        {
                            pos++;
                        }

                        if (pos + 1 < n && Digits2(s, pos, out int zm))
                        {
                            zoneMinute = zm;
                            pos += 2;
                        }
                    }
                }
            }

            if (pos != n)
            {
                return false;
            }

            bool is24 = hour == 24;
            DateTime local;
            try
            {
                local = new DateTime(year, month, day, is24 ? 0 : hour, minute, second).AddTicks(fraction);
                if (is24)
                {
                    local = local.AddDays(1);
                }
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw new OverflowException($"The date '{s.ToString()}' is outside the range of DateTime.", ex);
            }

            switch (zone)
            {
                case Zone.Utc:
                    value = new DateTime(local.Ticks, DateTimeKind.Utc);
                    break;
                case Zone.West:
                case Zone.East:
                    {
                        long offset = new TimeSpan(zoneHour, zoneMinute, 0).Ticks;
                        long utc = zone == Zone.West ? local.Ticks + offset : local.Ticks - offset;
                        if (utc >= DateTime.MinValue.Ticks && utc <= DateTime.MaxValue.Ticks)
                        {
                            value = new DateTime(utc, DateTimeKind.Utc).ToLocalTime();
                        }
                        else
                        {
                            // Instant not representable in UTC: shift by the local offset and clamp, as the reference does.
                            long ticks = utc + TimeZoneInfo.Local.GetUtcOffset(local).Ticks;
                            ticks = Math.Clamp(ticks, DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
                            value = new DateTime(ticks, DateTimeKind.Local);
                        }

                        break;
                    }

                default:
                    value = local; // Kind Unspecified
                    break;
            }

            return true;
        }

        // "/Date(" ticks [sign hh[mm]] ")/". The offset only makes the result local; it does not move it.
        private static bool TryParseWcf(ReadOnlySpan<char> s, out DateTime value)
        {
            value = default;
            int n = s.Length;
            ReadOnlySpan<char> searchArea = s.Slice(7, n - 8);
            int sign = searchArea.IndexOf('+');
            if (sign < 0)
            {
                sign = searchArea.IndexOf('-');
            }

            DateTimeKind kind = DateTimeKind.Utc;
            int digitsEnd = n - 2;
            if (sign >= 0)
            {
                sign += 7;
                kind = DateTimeKind.Local;

                // Two hour characters must parse as a (possibly negative) integer. The minutes are not
                // checked: inside a document the reference skips them (a buffer-offset quirk).
                if (!TryParseInt64(s.Slice(sign + 1, 2), out _))
                {
                    return false;
                }

                digitsEnd = sign;
            }

            if (!TryParseInt64(s.Slice(6, digitsEnd - 6), out long ms))
            {
                return false;
            }

            long ticks = unchecked(ms * 10000 + UnixEpochTicks);
            if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
            {
                throw new OverflowException($"The date '{s.ToString()}' is outside the range of DateTime.");
            }

            var utc = new DateTime(ticks, DateTimeKind.Utc);
            value = kind == DateTimeKind.Local ? utc.ToLocalTime() : utc;
            return true;
        }

        // Optional '-', then ASCII digits only; no '+', no spaces, no overflow.
        private static bool TryParseInt64(ReadOnlySpan<char> s, out long value)
        {
            value = 0;
            return s.Length > 0 && s[0] != '+'
                && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        private static bool CharAt(ReadOnlySpan<char> s, int at, char c) => at < s.Length && s[at] == c;

        private static bool Digits2(ReadOnlySpan<char> s, int at, out int value)
        {
            if (at + 1 < s.Length)
            {
                uint a = (uint)(s[at] - '0'), b = (uint)(s[at + 1] - '0');
                if (a <= 9 && b <= 9)
                {
                    value = (int)(a * 10 + b);
                    return true;
                }
            }

            value = 0;
            return false;
        }

        private static bool Digits4(ReadOnlySpan<char> s, int at, out int value)
        {
            if (Digits2(s, at, out int hi) && Digits2(s, at + 2, out int lo))
            {
                value = hi * 100 + lo;
                return true;
            }

            value = 0;
            return false;
        }
    }
}
