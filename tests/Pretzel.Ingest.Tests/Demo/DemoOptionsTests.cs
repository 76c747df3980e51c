using Pretzel.Ingest.Demo;

namespace Pretzel.Ingest.Tests.Demo;

public sealed class DemoOptionsTests
{
    [Fact]
    public void Defaults_AreDocumented()
    {
        var options = new DemoOptions();
        Assert.Equal(20_000, options.People);
        Assert.Equal(1, options.Seed);
        Assert.Equal(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), options.Start);
        Assert.Equal(DateTimeKind.Utc, options.Start.Kind);
        Assert.Equal(365, options.Days);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(10_000_001)]
    public void Constructor_PeopleOutOfRange_NamesPeopleOption(int people)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DemoGenerator(new DemoOptions { People = people }));
        Assert.Equal("--people", error.ParamName);
        Assert.Contains("--people", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(29)]
    [InlineData(0)]
    [InlineData(3651)]
    public void Constructor_DaysOutOfRange_NamesDaysOption(int days)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DemoGenerator(new DemoOptions { Days = days }));
        Assert.Equal("--days", error.ParamName);
    }

    [Fact]
    public void Constructor_LocalStart_NamesStartOption()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DemoGenerator(new DemoOptions { Start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Local) }));
        Assert.Equal("--start", error.ParamName);
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(10_000_000, 3650)]
    public void Constructor_Bounds_AreAccepted(int people, int days)
    {
        var generator = new DemoGenerator(new DemoOptions { People = people, Days = days });
        Assert.Equal(people, generator.Options.People);
    }

    [Fact]
    public void Constructor_UnspecifiedStart_IsReadAsUtc()
    {
        var generator = new DemoGenerator(new DemoOptions { People = 50, Start = new DateTime(2024, 3, 1) });
        Assert.Equal(DateTimeKind.Utc, generator.Options.Start.Kind);
        Assert.All(generator.Generate(), e => Assert.Equal(DateTimeKind.Utc, e.Timestamp.Kind));
    }
}
