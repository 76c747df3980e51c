using System.Reflection;
using Pretzel.Core.Events;

namespace Pretzel.Core.Tests.Events;

public sealed class EventColumnTests
{
    [Fact]
    public void All_ListsEveryColumnConstantOnce()
    {
        var constants = typeof(EventColumn)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal);

        Assert.Equal(constants, EventColumn.All.Order(StringComparer.Ordinal));
        Assert.Equal(EventColumn.All.Count, EventColumn.All.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void All_StartsWithMessageIdAndUsesSnakeCase()
    {
        Assert.Equal(EventColumn.MessageId, EventColumn.All[0]);
        Assert.All(EventColumn.All, c => Assert.Matches("^[a-z]+(_[a-z]+)*$", c));
    }

    [Fact]
    public void Event_HasAPropertyForEveryColumn()
    {
        // Event names the "event" column Name; every other column is its PascalCase property.
        var properties = typeof(Event).GetProperties().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var column in EventColumn.All)
        {
            var expected = column == EventColumn.Event
                ? nameof(Event.Name)
                : string.Concat(column.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
            Assert.Contains(expected, properties);
        }

        Assert.Equal(EventColumn.All.Count, properties.Count);
    }
}
