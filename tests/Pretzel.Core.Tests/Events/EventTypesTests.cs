using Pretzel.Core.Events;

namespace Pretzel.Core.Tests.Events;

public sealed class EventTypesTests
{
    [Fact]
    public void Name_EveryType_IsItsLowerCaseEnumName()
    {
        foreach (var type in Enum.GetValues<EventType>())
        {
            Assert.Equal(type.ToString().ToLowerInvariant(), type.Name());
        }

        Assert.Equal(Enum.GetValues<EventType>().Length, EventTypes.Names.Count);
    }

    [Theory]
    [InlineData("track", EventType.Track)]
    [InlineData("PAGE", EventType.Page)]
    [InlineData("  Screen ", EventType.Screen)]
    [InlineData("identify", EventType.Identify)]
    [InlineData("Alias", EventType.Alias)]
    [InlineData("group\t", EventType.Group)]
    public void TryParse_KnownNameInAnyCaseWithSpaces_ReturnsTheType(string text, EventType expected)
    {
        Assert.True(EventTypes.TryParse(text, out var type));
        Assert.Equal(expected, type);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tracks")]
    [InlineData("t rack")]
    [InlineData("0")]
    [InlineData("Track()")]
    public void TryParse_UnknownName_ReturnsFalseAndNull(string text)
    {
        Assert.False(EventTypes.TryParse(text, out var type));
        Assert.Null(type);
    }

    [Fact]
    public void TryParse_NameOfEveryType_RoundTrips()
    {
        foreach (var type in Enum.GetValues<EventType>())
        {
            Assert.True(EventTypes.TryParse(type.Name(), out var parsed));
            Assert.Equal(type, parsed);
        }
    }
}
