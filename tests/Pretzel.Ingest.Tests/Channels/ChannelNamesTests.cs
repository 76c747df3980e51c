using Pretzel.Ingest.Channels;

namespace Pretzel.Ingest.Tests.Channels;

public sealed class ChannelNamesTests
{
    [Theory]
    [InlineData("Offline Call", "offline_call")]
    [InlineData("__paid--search__", "paid_search")]
    [InlineData("PaidSearch", "paidsearch")]
    [InlineData("word of mouth", "word_of_mouth")]
    [InlineData(" - ", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Normalize_SpellsSnakeCase(string? value, string? expected) =>
        Assert.Equal(expected, ChannelNames.Normalize(value));

    [Fact]
    public void Normalize_AlreadySnakeCase_ReturnsSameInstance()
    {
        var value = new string("paid_search".AsSpan());

        Assert.Same(value, ChannelNames.Normalize(value));
    }
}
