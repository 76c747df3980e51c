using System.Globalization;

namespace Pretzel.Ingest.Import;

/// <summary>
/// Parses event times to UTC. Accepted: ISO-8601 date-times with <c>T</c> or a space, optional
/// fraction (up to 7 digits) and optional <c>Z</c> or <c>±hh:mm</c> offset (no offset means UTC);
/// a bare date (midnight UTC); Unix epoch seconds (≤ 11 digits, fraction allowed) or milliseconds
/// (12–13 digits). The common ISO shapes take a hand-written path, since import parses a million a
/// second; anything else falls back to <see cref="DateTimeOffset.TryParse(string, IFormatProvider, DateTimeStyles, out DateTimeOffset)"/>.
/// </summary>
internal static class TimestampParser
{
    internal static bool TryParse(ReadOnlySpan<char> s, out DateTime utc)
    {
        s = s.Trim();
        if (s.Length >= 10 && TryIso(s, out utc))
        {
            return true;
        }

        if (s.Length > 0 && TryEpoch(s, out utc))
        {
            return true;
        }

        if (s.Length >= 8 && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var dto))
        {
            utc = dto.UtcDateTime;
            return true;
        }

        utc = default;
        return false;
    }

    private static bool TryIso(ReadOnlySpan<char> s, out DateTime utc)
    {
        utc = default;
        if (!Digits(s, 0, 4, out var year) || s[4] != '-' || !Digits(s, 5, 2, out var month) || s[7] != '-' || !Digits(s, 8, 2, out var day))
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month) || year < 1)
        {
            return false;
        }

        long ticks = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var i = 10;
        if (i == s.Length)
        {
            utc = new DateTime(ticks, DateTimeKind.Utc);
            return true;
        }

        if (s[i] is not ('T' or 't' or ' '))
        {
            return false;
        }

        i++;
        if (s.Length < i + 5 || !Digits(s, i, 2, out var hour) || s[i + 2] != ':' || !Digits(s, i + 3, 2, out var minute))
        {
            return false;
        }

        i += 5;
        var second = 0;
        if (i < s.Length && s[i] == ':')
        {
            if (!Digits(s, i + 1, 2, out second))
            {
                return false;
            }

            i += 3;
        }

        if (hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        ticks += (hour * 3600L + minute * 60L + second) * TimeSpan.TicksPerSecond;
        if (i < s.Length && (s[i] == '.' || s[i] == ','))
        {
            i++;
            long fraction = 0;
            var digits = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                if (digits < 7)
                {
                    fraction = fraction * 10 + (s[i] - '0');
                    digits++;
                }

                i++;
            }

            if (digits == 0)
            {
                return false;
            }

            for (var d = digits; d < 7; d++)
            {
                fraction *= 10;
            }

            ticks += fraction;
        }

        if (i < s.Length)
        {
            var sign = s[i];
            if (sign is 'Z' or 'z')
            {
                i++;
            }
            else if (sign is '+' or '-')
            {
                if (!Digits(s, i + 1, 2, out var oh))
                {
                    return false;
                }

                var j = i + 3;
                var om = 0;
                if (j < s.Length && s[j] == ':')
                {
                    j++;
                }

                if (j < s.Length)
                {
                    if (!Digits(s, j, 2, out om))
                    {
                        return false;
                    }

                    j += 2;
                }

                if (oh > 14 || om > 59)
                {
                    return false;
                }

                var offset = (oh * 60L + om) * TimeSpan.TicksPerMinute;
                ticks += sign == '+' ? -offset : offset;
                i = j;
            }

            if (i != s.Length)
            {
                return false;
            }
        }

        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        utc = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    private static bool TryEpoch(ReadOnlySpan<char> s, out DateTime utc)
    {
        utc = default;
        var dot = s.IndexOf('.');
        var whole = dot < 0 ? s : s[..dot];
        if (whole.Length is 0 or > 13 || whole.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        var fraction = dot < 0 ? [] : s[(dot + 1)..];
        if (fraction.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        // Integer arithmetic: a double holds only ~16 digits, so 13-digit millis scaled to 100 ns
        // ticks came out one tick off (545059137787 ms → …57.7869999).
        var unit = whole.Length >= 12 ? TimeSpan.TicksPerMillisecond : TimeSpan.TicksPerSecond;
        var ticks = long.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture) * unit;
        var place = unit;
        foreach (var digit in fraction)
        {
            place /= 10;
            if (place == 0)
            {
                ticks += digit >= '5' ? 1 : 0;
                break;
            }

            ticks += (digit - '0') * place;
        }

        if (ticks > 253402300799 * TimeSpan.TicksPerSecond)
        {
            return false;
        }

        utc = DateTime.UnixEpoch.AddTicks(ticks);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            var c = s[i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        return true;
    }
}
