using System.Globalization;
using CsCheck;
using Pretzel.Ingest.Import;

namespace Pretzel.Ingest.Tests.Import;

public sealed class TimestampParserTests
{
    public static TheoryData<string, string> Accepted() => new()
    {
        { "2025-03-01T12:30:00Z", "2025-03-01T12:30:00.0000000" },
        { "2025-03-01t12:30:00z", "2025-03-01T12:30:00.0000000" },
        { "  2025-03-01T12:30:00Z\t", "2025-03-01T12:30:00.0000000" },
        { "2025-03-01T12:30:00", "2025-03-01T12:30:00.0000000" },
        { "2025-03-01T12:30", "2025-03-01T12:30:00.0000000" },
        { "2025-03-01 12:30:00", "2025-03-01T12:30:00.0000000" },
        { "2025-03-01 12:30:00.250", "2025-03-01T12:30:00.2500000" },
        { "2025-03-01T12:30:00+02:00", "2025-03-01T10:30:00.0000000" },
        { "2025-03-01T12:30:00-05:30", "2025-03-01T18:00:00.0000000" },
        { "2025-03-01T12:30:00+0200", "2025-03-01T10:30:00.0000000" },
        { "2025-03-01T12:30:00+14:00", "2025-02-28T22:30:00.0000000" },
        { "2025-03-01T00:30:00+01:00", "2025-02-28T23:30:00.0000000" },
        { "2025-03-01T12:30:00.5Z", "2025-03-01T12:30:00.5000000" },
        { "2025-03-01T12:30:00,5Z", "2025-03-01T12:30:00.5000000" },
        { "2025-03-01T12:30:00.123456Z", "2025-03-01T12:30:00.1234560" },
        { "2025-03-01T12:30:00.1234567Z", "2025-03-01T12:30:00.1234567" },
        { "2025-03-01T12:30:00.1234567+01:00", "2025-03-01T11:30:00.1234567" },
        { "2025-03-01T12:30:00.123456789Z", "2025-03-01T12:30:00.1234567" },
        { "2025-03-01", "2025-03-01T00:00:00.0000000" },
        { "2024-02-29", "2024-02-29T00:00:00.0000000" },
        { "2000-02-29T23:59:59Z", "2000-02-29T23:59:59.0000000" },
        { "2025-12-31T23:59:59.9999999Z", "2025-12-31T23:59:59.9999999" },
        { "1740832200", "2025-03-01T12:30:00.0000000" },
        { "1740832200.5", "2025-03-01T12:30:00.5000000" },
        { "1740832200123", "2025-03-01T12:30:00.1230000" },
        { "1740832200.1234567", "2025-03-01T12:30:00.1234567" },
        { "1740832200123.4567", "2025-03-01T12:30:00.1234567" },
        { "545059137787", "1987-04-10T13:18:57.7870000" },
        { "0", "1970-01-01T00:00:00.0000000" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void TryParse_AcceptedInput_ReturnsTheUtcInstant(string input, string expectedUtc)
    {
        var expected = DateTime.ParseExact(expectedUtc, "yyyy-MM-ddTHH:mm:ss.fffffff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

        Assert.True(TimestampParser.TryParse(input, out var utc), input);

        Assert.Equal(expected, utc);
        Assert.Equal(expected.Ticks, utc.Ticks);
        Assert.Equal(DateTimeKind.Utc, utc.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("yesterday")]
    [InlineData("not a date")]
    [InlineData("2025-02-29")]
    [InlineData("2025-02-29T12:00:00Z")]
    [InlineData("1900-02-29")]
    [InlineData("2023-02-29 00:00:00")]
    [InlineData("2025-03-01T24:00:00Z")]
    [InlineData("2025-03-01T24:00")]
    [InlineData("2025-03-01 24:00:00")]
    [InlineData("2025-03-01T12:60:00Z")]
    [InlineData("2025-03-01T12:30:60Z")]
    [InlineData("2025-13-01")]
    [InlineData("2025-00-10")]
    [InlineData("2025-04-31")]
    [InlineData("2025-03-00")]
    [InlineData("2025-03-01T")]
    [InlineData("2025-03-01T12")]
    [InlineData("2025-03-01T12:30:00.Z")]
    [InlineData("2025-03-01T12:30:00Q")]
    [InlineData("2025-03-01T12:30:00Z junk")]
    [InlineData("2025-03-01T12:30:00+15:00")]
    [InlineData("2025-03-01T12:30:00+02:60")]
    [InlineData("12345678901234")]
    [InlineData("-5")]
    [InlineData("1740832200.5.1")]
    [InlineData("0x1234")]
    public void TryParse_RejectedInput_ReturnsFalse(string input)
    {
        Assert.False(TimestampParser.TryParse(input, out var utc), $"'{input}' parsed as {utc:O}");
    }

    [Fact]
    public void TryParse_RandomUtcTimeFormattedAsRoundTripOrSpaceSeparated_ParsesToTheSameInstant()
    {
        Gen.DateTime.Utc.Sample(time =>
        {
            foreach (var format in new[] { "O", "yyyy-MM-dd HH:mm:ss.fffffffzzz", "yyyy-MM-ddTHH:mm:ss.fffffffZ", "yyyy-MM-dd HH:mm:ss.FFFFFFF" })
            {
                var text = time.ToString(format, CultureInfo.InvariantCulture);
                Assert.True(TimestampParser.TryParse(text, out var parsed), text);
                Assert.Equal(time.Ticks, parsed.Ticks);
                Assert.Equal(DateTimeKind.Utc, parsed.Kind);
            }
        }, iter: 20_000);
    }

    [Fact]
    public void TryParse_RandomInstantWithRandomOffset_ParsesToTheSameUtcInstant()
    {
        var gen = Gen.Select(
            Gen.DateTime.Utc[new DateTime(1, 1, 2, 0, 0, 0, DateTimeKind.Utc), new DateTime(9999, 12, 30, 0, 0, 0, DateTimeKind.Utc)],
            Gen.Int[-14 * 60, 14 * 60]);
        gen.Sample((utc, offsetMinutes) =>
        {
            var local = new DateTimeOffset(utc).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
            var text = local.ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);
            Assert.True(TimestampParser.TryParse(text, out var parsed), text);
            Assert.Equal(utc.Ticks, parsed.Ticks);
        }, iter: 20_000);
    }

    [Fact]
    public void TryParse_RandomEpochSecondsAndMillis_ParseToTheSameInstant()
    {
        Gen.Long[0, 99_999_999_999].Sample(seconds =>
        {
            Assert.True(TimestampParser.TryParse(seconds.ToString(CultureInfo.InvariantCulture), out var fromSeconds));
            Assert.Equal(DateTime.UnixEpoch.AddSeconds(seconds), fromSeconds);
        }, iter: 5_000);
        Gen.Long[100_000_000_000, 9_999_999_999_999].Sample(millis =>
        {
            Assert.True(TimestampParser.TryParse(millis.ToString(CultureInfo.InvariantCulture), out var fromMillis));
            Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(millis), fromMillis);
        }, iter: 5_000);
    }
}
